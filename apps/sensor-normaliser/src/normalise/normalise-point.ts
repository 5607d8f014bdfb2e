import {
  isValidTimeZone,
  localTimeFields,
  normaliseSlotPoint,
  parseDevType,
  sensorDataSubject,
  unixMillis,
  type NormalisedSensorDataPoint,
  type RejectionReason,
  type SensorDataPointV1,
} from '@matrix/contracts';

export type NormaliseResult =
  | { ok: true; point: NormalisedSensorDataPoint; subject: string }
  | { ok: false; reason: RejectionReason; errors: string[] };

/** Location fields a point needs before it can be published (until the registry fills them in). */
const LOCATION_FIELDS = ['PID', 'InsID', 'Region'] as const;

/**
 * Turns an accepted raw reading into the documented general data format: `unixT` in milliseconds,
 * `t`/`time`/`dow`/`month`/`dom`/`hour`/`minute` computed from `unixT` in the slot's IANA time zone
 * (so they always agree with each other, whatever the device sent), and `v` canonical for its type.
 * Undocumented extras (`AGG`, `DASSOC`, …) are kept.
 */
export function normalisePoint(raw: SensorDataPointV1): NormaliseResult {
  const missing = LOCATION_FIELDS.filter((field) => typeof raw[field] !== 'string' || raw[field] === '');
  if (missing.length > 0) {
    return {
      ok: false,
      reason: 'unknown_device',
      errors: missing.map(
        (field) => `${field}: missing, and device ${raw.DEVID} has no registry entry to fill it in`,
      ),
    };
  }
  const region = raw.Region as string;
  if (!isValidTimeZone(region)) {
    return {
      ok: false,
      reason: 'invalid_time_zone',
      errors: [`Region: "${region}" is not an IANA time zone`],
    };
  }
  const value = normaliseSlotPoint(raw);
  if (!value.ok) return { ok: false, reason: 'invalid_value', errors: value.errors };
  const unixT = unixMillis(raw.unixT);
  const point: NormalisedSensorDataPoint = {
    ...raw,
    ...localTimeFields(unixT, region),
    v: value.value,
    unixT,
    DEVID: raw.DEVID,
    Region: region,
    DevType: raw.DevType,
    PID: raw.PID as string,
    InsID: raw.InsID as string,
  };
  const { provider, slotType } = parseDevType(raw.DevType);
  return { ok: true, point, subject: sensorDataSubject(point.PID, provider, slotType) };
}
