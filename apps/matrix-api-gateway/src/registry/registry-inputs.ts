import 'reflect-metadata';
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
  @IsString() @MinLength(NAME.min) @MaxLength(NAME.max) name: string;
  @IsString()
  @Matches(/^[A-Z0-9_/-]{1,64}$/, { message: 'must be an upper-case type id such as BANK' })
  typeId: string;
  @Validate(IsTimeZone) timeZone: string;
  @IsOptional() @IsObject() address?: Record<string, unknown>;
  @IsOptional() @IsString() @MaxLength(64) country?: string;
  @IsOptional() @IsString() @MaxLength(64) countryLocale?: string;
}

export class CreateBuildingInput {
  @IsString() @MinLength(NAME.min) @MaxLength(NAME.max) name: string;
  @IsInt() @Min(0) @Max(60) levelsCount: number;
  @Validate(IsTimeZone) timeZone: string;
  @IsOptional() @Matches(ID) pid?: string;
  @IsOptional() @Validate(IsOperatingHours) operatingHours?: Record<string, { Start: string; End: string }[]>;
  @IsOptional() @IsObject() email?: Record<string, unknown>;
  @IsOptional() @IsObject() address?: Record<string, unknown>;
  @IsOptional() @IsObject() coordinates?: Record<string, unknown>;
  @IsOptional() @IsBoolean() isBeaconEnabled?: boolean;
  @IsOptional() @IsBoolean() isPropertyAddress?: boolean;
  @IsOptional() @IsString() @MaxLength(64) country?: string;
  @IsOptional() @IsString() @MaxLength(64) countryLocale?: string;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(SIZE.max) area?: number;
}

export class UpdateBuildingInput {
  @IsOptional() @IsString() @MinLength(NAME.min) @MaxLength(NAME.max) name?: string;
  @IsOptional() @IsString() @MaxLength(32) status?: string;
  @IsOptional() @IsInt() @Min(0) @Max(60) levelsCount?: number;
  @IsOptional() @Validate(IsOperatingHours) operatingHours?: Record<string, { Start: string; End: string }[]>;
  @IsOptional() @Validate(IsTimeZone) timeZone?: string;
  @IsOptional() @IsObject() email?: Record<string, unknown>;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(SIZE.max) area?: number;
}

export class CreateLevelInput {
  @IsString() @MinLength(NAME.min) @MaxLength(NAME.max) name: string;
  @IsOptional() @IsString() @MaxLength(32) level?: string;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(SIZE.max) area?: number;
  @IsOptional() @IsString() @MaxLength(2048) floorPlan?: string;
}

export class UpdateLevelInput {
  @IsOptional() @IsString() @MinLength(NAME.min) @MaxLength(NAME.max) name?: string;
  @IsOptional() @IsString() @MaxLength(32) level?: string;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(SIZE.max) area?: number;
  @IsOptional() @IsString() @MaxLength(2048) floorPlan?: string;
}

export class ZoneFields {
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(SIZE.max) area?: number;
  @IsOptional() @IsString() @MaxLength(100) floorType?: string;
  @IsOptional() @IsObject() tags?: Record<string, unknown>;
  @IsOptional() @IsString() @MaxLength(100) zoneCategoryId?: string;
  @IsOptional() @IsObject() units?: Record<string, unknown>;
  @IsOptional() @IsBoolean() isBuildingOperatingHours?: boolean;
  @IsOptional() @Validate(IsOperatingHours) operatingHours?: Record<string, { Start: string; End: string }[]>;
  @IsOptional() @IsString() @MaxLength(32) status?: string;
  @IsOptional() @IsString() @MaxLength(100) beaconId?: string;
}

export class CreateZoneInput extends ZoneFields {
  @IsString() @MinLength(NAME.min) @MaxLength(NAME.max) name: string;
  @IsString() @Matches(ID, { message: 'must be a level id' }) lid: string;
}

export class CreateZonesInput {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  zones: CreateZoneInput[];
}
nestedInputs(CreateZonesInput, 'zones', CreateZoneInput);

export class UpdateZoneInput extends ZoneFields {
  @IsOptional() @IsString() @MinLength(NAME.min) @MaxLength(NAME.max) name?: string;
}

export class CreateDeviceSlotInput {
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,128}$/, { message: 'must be 1–128 of A-Z a-z 0-9 _ -' })
  alias?: string;
  @IsString()
  @Matches(DEV_TYPE_PATTERN, { message: 'must look like Provider#SlotType, e.g. SMARTCLEAN#PPLCTR' })
  type: string;
  @IsString() @Matches(ID, { message: 'must be a zone id' }) zoneId: string;
  @IsOptional() @IsString() @MaxLength(128) devid?: string;
  @IsOptional() @IsString() @MaxLength(200) display?: string;
  @IsOptional() @IsString() @MaxLength(32) conn?: string;
  @IsOptional() @IsObject() params?: Record<string, unknown>;
  @IsOptional() @IsString() @MaxLength(64) firmwareVersion?: string;
  @IsOptional() @Validate(IsTimeZone) timeZone?: string;
  @IsOptional() @IsBoolean() commissioned?: boolean;
  @IsOptional() @IsBoolean() unhealthy?: boolean;
  @IsOptional() @IsBoolean() requiresHealthCheck?: boolean;
}

export class UpdateDeviceSlotInput {
  @IsOptional() @IsString() @Matches(ID, { message: 'must be a zone id' }) zoneId?: string;
  @IsOptional() @IsString() @MaxLength(128) devid?: string;
  @IsOptional() @IsString() @MaxLength(200) display?: string;
  @IsOptional() @IsString() @MaxLength(32) conn?: string;
  @IsOptional() @IsObject() params?: Record<string, unknown>;
  @IsOptional() @IsString() @MaxLength(64) firmwareVersion?: string;
  @IsOptional() @Validate(IsTimeZone) timeZone?: string;
  @IsOptional() @IsBoolean() commissioned?: boolean;
  @IsOptional() @IsBoolean() unhealthy?: boolean;
  @IsOptional() @IsBoolean() requiresHealthCheck?: boolean;
}
