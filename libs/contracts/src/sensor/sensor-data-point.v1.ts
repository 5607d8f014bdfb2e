import 'reflect-metadata';
import {
  IsDefined,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

/** `Provider#SlotType`, e.g. `SMARTCLEAN#PPLCTR` (reference §3.3). */
export const DEV_TYPE_PATTERN = /^[A-Za-z0-9_-]+#[A-Za-z0-9_.-]+$/;

/**
 * One sensor data point in the documented general data format (reference §3.2) as a device,
 * gateway or provider sends it to push-ingress. Only what identifies the reading is required;
 * the location fields (`PID`, `InsID`, …) may be filled in later from the device-slot registry, and
 * the local-time fields (`t`, `time`, `dow`, …) are derived from `unixT` and `Region`.
 * Undocumented extras seen in real data (`AGG`, `DASSOC`, `DevSubType`, …) are kept as they are.
 */
export class SensorDataPointV1 {
  /** Device slot alias id. */
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  DEVID: string;

  /** Device slot type `Provider#SlotType`. */
  @IsString()
  @Matches(DEV_TYPE_PATTERN, { message: 'DevType must look like Provider#SlotType, e.g. SMARTCLEAN#PPLCTR' })
  DevType: string;

  /** Unix time in milliseconds (older data sends seconds; see `unixMillis`). */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  unixT: number;

  /** Type-specific reading (reference §3.4). */
  @IsDefined()
  @IsObject()
  v: Record<string, unknown>;

  @IsOptional() @IsString() @MaxLength(14) t?: string;
  @IsOptional() @IsString() @MaxLength(64) Region?: string;
  @IsOptional() @IsString() @MaxLength(32) time?: string;
  @IsOptional() @IsString() @MaxLength(128) PID?: string;
  @IsOptional() @IsString() @MaxLength(128) PropId?: string;
  @IsOptional() @IsString() @MaxLength(128) InsID?: string;
  @IsOptional() @IsString() @MaxLength(256) Display?: string;
  @IsOptional() @IsString() @MaxLength(2) dow?: string;
  @IsOptional() @IsString() @MaxLength(2) month?: string;
  @IsOptional() @IsString() @MaxLength(2) hour?: string;
  @IsOptional() @IsString() @MaxLength(2) dom?: string;
  @IsOptional() @IsString() @MaxLength(2) minute?: string;

  [extra: string]: unknown;
}

/**
 * A data point as published on `SENSOR_DATA`: every documented field present, local-time fields
 * computed in the slot's time zone, `v` canonical for its type. This object is what NATS
 * subscribers, sensor data push and the SQL table all see. The class validates it on consume.
 */
export class NormalisedSensorDataPointV1 {
  @IsString() @MinLength(1) @MaxLength(128) DEVID: string;
  @IsString() @Matches(DEV_TYPE_PATTERN) DevType: string;
  @IsNumber({ allowNaN: false, allowInfinity: false }) unixT: number;
  @IsDefined() @IsObject() v: Record<string, unknown>;
  @IsString() @Matches(/^\d{14}$/) t: string;
  @IsString() @MinLength(1) Region: string;
  @IsString() @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/) time: string;
  @IsString() @MinLength(1) PID: string;
  @IsOptional() @IsString() PropId?: string;
  @IsString() @MinLength(1) InsID: string;
  @IsOptional() @IsString() Display?: string;
  @IsString() @Matches(/^[0-6]$/) dow: string;
  @IsString() @Matches(/^\d{2}$/) month: string;
  @IsString() @Matches(/^\d{2}$/) hour: string;
  @IsString() @Matches(/^\d{2}$/) dom: string;
  @IsString() @Matches(/^\d{2}$/) minute: string;

  [extra: string]: unknown;
}

export interface NormalisedSensorDataPoint {
  t: string;
  v: Record<string, unknown>;
  unixT: number;
  DEVID: string;
  Region: string;
  time: string;
  DevType: string;
  PID: string;
  PropId?: string;
  InsID: string;
  Display?: string;
  dow: string;
  month: string;
  hour: string;
  dom: string;
  minute: string;
  [extra: string]: unknown;
}

/**
 * Slot types seen without their `Provider#` prefix, and what they mean. The AQ Wired example of the
 * reference (§3.4.8) sends `DevType: "ODRDTR"`; only documented cases are listed, so any other bare
 * type is still refused and its sender told to fix it rather than guessed at.
 */
export const LEGACY_DEV_TYPES: Readonly<Record<string, string>> = {
  ODRDTR: 'SMARTCLEAN#ODRDTR',
};

/**
 * The `Provider#SlotType` a `DevType` stands for: a documented legacy bare type is mapped
 * (`ODRDTR` → `SMARTCLEAN#ODRDTR`), anything else is returned unchanged. Apply it at the edge, before
 * validation and before the reading id is computed, so the stored point carries the canonical type.
 */
export function canonicalDevType(devType: string): string {
  return (Object.hasOwn(LEGACY_DEV_TYPES, devType) ? LEGACY_DEV_TYPES[devType] : undefined) ?? devType;
}

/** Splits `SMARTCLEAN#PPLCTR` into its provider and slot type. */
export function parseDevType(devType: string): { provider: string; slotType: string } {
  const index = devType.indexOf('#');
  if (index <= 0 || index === devType.length - 1) {
    throw new Error(`DevType "${devType}" is not Provider#SlotType`);
  }
  return { provider: devType.slice(0, index), slotType: devType.slice(index + 1) };
}

/** Older data (2021) carries `unixT` in seconds; anything below 10^11 is read as seconds. */
export function unixMillis(unixT: number): number {
  return Math.abs(unixT) < 1e11 ? Math.round(unixT * 1000) : Math.round(unixT);
}

/** The documented general-format fields (reference §3.2), in their documented order. */
export const GENERAL_FORMAT_FIELDS = [
  't',
  'v',
  'unixT',
  'DEVID',
  'Region',
  'time',
  'DevType',
  'PID',
  'PropId',
  'InsID',
  'Display',
  'dow',
  'month',
  'hour',
  'dom',
  'minute',
] as const;
