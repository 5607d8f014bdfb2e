import 'reflect-metadata';
import { ApiProperty, OmitType, PartialType, PickType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { DEV_TYPE_PATTERN, isValidTimeZone } from '@matrix/contracts';
import { OperatingHours } from './registry.api';
import { nestedInputs } from './validate-input';

/* What callers may send to the registry, validated the same way whichever surface they come through. */

@ValidatorConstraint({ name: 'timeZone' })
class IsTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isValidTimeZone(value);
  }
  defaultMessage(): string {
    return 'must be an IANA time zone such as Europe/Berlin';
  }
}

const HHMM = /^([01]\d|2[0-3])[0-5]\d$|^2400$/;

@ValidatorConstraint({ name: 'operatingHours' })
class IsOperatingHours implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    return Object.entries(value).every(
      ([day, slots]) =>
        /^[0-6]$/.test(day) &&
        Array.isArray(slots) &&
        slots.length <= 24 &&
        slots.every(
          (slot: unknown) =>
            typeof slot === 'object' &&
            slot !== null &&
            HHMM.test(String((slot as { Start?: unknown }).Start)) &&
            HHMM.test(String((slot as { End?: unknown }).End)),
        ),
    );
  }
  defaultMessage(): string {
    return 'must map days "0" (Sunday) … "6" to lists of {"Start":"HHMM","End":"HHMM"}';
  }
}

const NAME = { min: 1, max: 200 };
const SIZE = { max: 1e9 };
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export class CreatePropertyInput {
  @ApiProperty({ type: String, minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(NAME.min)
  @MaxLength(NAME.max)
  name: string;
  @ApiProperty({ type: String })
  @IsString()
  @Matches(/^[A-Z0-9_/-]{1,64}$/, { message: 'must be an upper-case type id such as BANK' })
  typeId: string;
  @ApiProperty({ type: String })
  @Validate(IsTimeZone)
  timeZone: string;
  @ApiProperty({ type: 'object', additionalProperties: true, selfRequired: false })
  @IsOptional()
  @IsObject()
  address?: Record<string, unknown>;
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  country?: string;
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  countryLocale?: string;
}

export class CreateBuildingInput {
  @ApiProperty({ type: String, minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(NAME.min)
  @MaxLength(NAME.max)
  name: string;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 60 })
  @IsInt()
  @Min(0)
  @Max(60)
  levelsCount: number;
  @ApiProperty({ type: String })
  @Validate(IsTimeZone)
  timeZone: string;
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @Matches(ID)
  pid?: string;
  @OperatingHours(false, false)
  @IsOptional()
  @Validate(IsOperatingHours)
  operatingHours?: Record<string, { Start: string; End: string }[]>;
  @ApiProperty({ type: 'object', additionalProperties: true, selfRequired: false })
  @IsOptional()
  @IsObject()
  email?: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, selfRequired: false })
  @IsOptional()
  @IsObject()
  address?: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, selfRequired: false })
  @IsOptional()
  @IsObject()
  coordinates?: Record<string, unknown>;
  @ApiProperty({ type: Boolean, required: false })
  @IsOptional()
  @IsBoolean()
  isBeaconEnabled?: boolean;
  @ApiProperty({ type: Boolean, required: false })
  @IsOptional()
  @IsBoolean()
  isPropertyAddress?: boolean;
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  country?: string;
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  countryLocale?: string;
  @ApiProperty({ type: Number, minimum: 0, required: false })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(SIZE.max)
  area?: number;
}

/** The building fields that can change (all optional), and its status. */
export class UpdateBuildingInput extends PartialType(
  PickType(CreateBuildingInput, [
    'name',
    'levelsCount',
    'operatingHours',
    'timeZone',
    'email',
    'area',
  ] as const),
) {
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  status?: string;
}

export class CreateLevelInput {
  @ApiProperty({ type: String, minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(NAME.min)
  @MaxLength(NAME.max)
  name: string;
  @ApiProperty({ type: String, description: 'e.g. L0', required: false })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  level?: string;
  @ApiProperty({ type: Number, minimum: 0, required: false })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(SIZE.max)
  area?: number;
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  floorPlan?: string;
}

export class UpdateLevelInput extends PartialType(CreateLevelInput) {}

export class ZoneFields {
  @ApiProperty({ type: Number, minimum: 0, required: false })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(SIZE.max)
  area?: number;
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  floorType?: string;
  @ApiProperty({ type: 'object', additionalProperties: true, selfRequired: false })
  @IsOptional()
  @IsObject()
  tags?: Record<string, unknown>;
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  zoneCategoryId?: string;
  @ApiProperty({ type: 'object', additionalProperties: true, selfRequired: false })
  @IsOptional()
  @IsObject()
  units?: Record<string, unknown>;
  @ApiProperty({ type: Boolean, required: false })
  @IsOptional()
  @IsBoolean()
  isBuildingOperatingHours?: boolean;
  @OperatingHours(false, false)
  @IsOptional()
  @Validate(IsOperatingHours)
  operatingHours?: Record<string, { Start: string; End: string }[]>;
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  status?: string;
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  beaconId?: string;
}

export class CreateZoneInput extends ZoneFields {
  @ApiProperty({ type: String, minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(NAME.min)
  @MaxLength(NAME.max)
  name: string;
  @ApiProperty({ type: String })
  @IsString()
  @Matches(ID, { message: 'must be a level id' })
  lid: string;
}

export class CreateZonesInput {
  @ApiProperty({ type: () => [CreateZoneInput], minItems: 1, maxItems: 1000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  zones: CreateZoneInput[];
}
nestedInputs(CreateZonesInput, 'zones', CreateZoneInput);

export class UpdateZoneInput extends ZoneFields {
  @ApiProperty({ type: String, minLength: 1, maxLength: 200, required: false })
  @IsOptional()
  @IsString()
  @MinLength(NAME.min)
  @MaxLength(NAME.max)
  name?: string;
}

export class CreateDeviceSlotInput {
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,128}$/, { message: 'must be 1–128 of A-Z a-z 0-9 _ -' })
  alias?: string;
  @ApiProperty({ type: String, description: 'Provider#SlotType' })
  @IsString()
  @Matches(DEV_TYPE_PATTERN, { message: 'must look like Provider#SlotType, e.g. SMARTCLEAN#PPLCTR' })
  type: string;
  @ApiProperty({ type: String })
  @IsString()
  @Matches(ID, { message: 'must be a zone id' })
  zoneId: string;
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  devid?: string;
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  display?: string;
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  conn?: string;
  @ApiProperty({ type: 'object', additionalProperties: true, selfRequired: false })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  firmwareVersion?: string;
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @Validate(IsTimeZone)
  timeZone?: string;
  @ApiProperty({ type: Boolean, required: false })
  @IsOptional()
  @IsBoolean()
  commissioned?: boolean;
  @ApiProperty({ type: Boolean, required: false })
  @IsOptional()
  @IsBoolean()
  unhealthy?: boolean;
  @ApiProperty({ type: Boolean, required: false })
  @IsOptional()
  @IsBoolean()
  requiresHealthCheck?: boolean;
}

/** A slot's fields but its alias and type (fixed at creation), all optional. */
export class UpdateDeviceSlotInput extends PartialType(
  OmitType(CreateDeviceSlotInput, ['alias', 'type'] as const),
) {}
