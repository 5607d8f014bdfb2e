import 'reflect-metadata';
import { applyDecorators } from '@nestjs/common';
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

/*
 * The optional fields every registry input shares, each one decorator: its OpenAPI schema and its
 * validation together. (applyDecorators applies in the order given; the list is the stacked order reversed,
 * so constraints register exactly as the stacked decorators did.)
 */
const OptionalText = (max: number) =>
  applyDecorators(MaxLength(max), IsString(), IsOptional(), ApiProperty({ type: String, required: false }));
const OptionalObject = () =>
  applyDecorators(
    IsObject(),
    IsOptional(),
    ApiProperty({ type: 'object', additionalProperties: true, selfRequired: false }),
  );
const OptionalFlag = () =>
  applyDecorators(IsBoolean(), IsOptional(), ApiProperty({ type: Boolean, required: false }));
const OptionalSize = () =>
  applyDecorators(
    Max(SIZE.max),
    Min(0),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    IsOptional(),
    ApiProperty({ type: Number, minimum: 0, required: false }),
  );

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
  @OptionalObject()
  address?: Record<string, unknown>;
  @OptionalText(64)
  country?: string;
  @OptionalText(64)
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
  @OptionalObject()
  email?: Record<string, unknown>;
  @OptionalObject()
  address?: Record<string, unknown>;
  @OptionalObject()
  coordinates?: Record<string, unknown>;
  @OptionalFlag()
  isBeaconEnabled?: boolean;
  @OptionalFlag()
  isPropertyAddress?: boolean;
  @OptionalText(64)
  country?: string;
  @OptionalText(64)
  countryLocale?: string;
  @OptionalSize()
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
  @OptionalText(32)
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
  @OptionalSize()
  area?: number;
  @OptionalText(2048)
  floorPlan?: string;
}

export class UpdateLevelInput extends PartialType(CreateLevelInput) {}

export class ZoneFields {
  @OptionalSize()
  area?: number;
  @OptionalText(100)
  floorType?: string;
  @OptionalObject()
  tags?: Record<string, unknown>;
  @OptionalText(100)
  zoneCategoryId?: string;
  @OptionalObject()
  units?: Record<string, unknown>;
  @OptionalFlag()
  isBuildingOperatingHours?: boolean;
  @OperatingHours(false, false)
  @IsOptional()
  @Validate(IsOperatingHours)
  operatingHours?: Record<string, { Start: string; End: string }[]>;
  @OptionalText(32)
  status?: string;
  @OptionalText(100)
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
  @OptionalText(128)
  devid?: string;
  @OptionalText(200)
  display?: string;
  @OptionalText(32)
  conn?: string;
  @OptionalObject()
  params?: Record<string, unknown>;
  @OptionalText(64)
  firmwareVersion?: string;
  @ApiProperty({ type: String, required: false })
  @IsOptional()
  @Validate(IsTimeZone)
  timeZone?: string;
  @OptionalFlag()
  commissioned?: boolean;
  @OptionalFlag()
  unhealthy?: boolean;
  @OptionalFlag()
  requiresHealthCheck?: boolean;
}

/** A slot's fields but its alias and type (fixed at creation), all optional. */
export class UpdateDeviceSlotInput extends PartialType(
  OmitType(CreateDeviceSlotInput, ['alias', 'type'] as const),
) {}

/** `scgrids.updateProperty`: a property's name or status (reference: "updates a given Property's Name or Status"). */
export class UpdatePropertyInput {
  @ApiProperty({ type: String, minLength: 1, maxLength: 200, required: false })
  @IsOptional()
  @IsString()
  @MinLength(NAME.min)
  @MaxLength(NAME.max)
  name?: string;
  @OptionalText(32)
  status?: string;
}

/**
 * Upper-case catalogue ids as the documented examples write them: `SCHOOL`, `AUDITORIUMS/THEATERS`,
 * `DOOR/OPENING`; the same pattern as the check of `registry.property_types.type_id` (migration
 * PropertyTypeIdCheck1766600003000).
 */
const CATALOGUE_ID = /^[A-Z0-9_/&.-]{1,64}$/;
const CatalogueId = (example: string) =>
  applyDecorators(
    Matches(CATALOGUE_ID, {
      message: `must be an upper-case id such as ${example} (A-Z 0-9 _ / & . -, at most 64)`,
    }),
    IsString(),
    ApiProperty({ type: String, pattern: CATALOGUE_ID.source }),
  );
const RequiredName = () =>
  applyDecorators(
    MaxLength(NAME.max),
    MinLength(NAME.min),
    IsString(),
    ApiProperty({ type: String, minLength: 1, maxLength: 200 }),
  );

export class CreatePropertyTypeInput {
  @RequiredName()
  name: string;
  @CatalogueId('COMMERCIAL_BUILDINGS')
  typeId: string;
}

export class CreateZoneCategoryInput {
  @RequiredName()
  name: string;
  @CatalogueId('LABS')
  categoryId: string;
  @CatalogueId('SCHOOL')
  propertyTypeId: string;
}

export class CreateZoneUnitInput {
  @RequiredName()
  name: string;
  @CatalogueId('DOOR/OPENING')
  unitId: string;
  @CatalogueId('CONFERENCE_ROOMS')
  zoneCategoryId: string;
  // A picture clients load as they are: only http(s), never javascript: or data: URLs.
  @ApiProperty({ type: String, maxLength: 2048 })
  @Matches(/^https?:\/\/[^\s]+$/i, { message: 'must be an http or https URL' })
  @MaxLength(2048)
  @IsString()
  imageUrl: string;
}
