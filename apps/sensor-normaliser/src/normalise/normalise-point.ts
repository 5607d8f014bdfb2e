import {
  type DeviceSlotEntry,
  GENERAL_FORMAT_FIELDS,
  isValidTimeZone,
  localTimeFields,
  type NormalisedSensorDataPoint,
  normaliseSlotPoint,
  parseDevType,
  type RejectionReason,
  type SensorDataPointV1,
  sensorDataSubject,
  unixMillis,
} from '@matrix/contracts';

export type NormaliseResult =
  | { ok: true; point: NormalisedSensorDataPoint; subject: string }
  | { ok: false; reason: RejectionReason; errors: string[] };

/** Location fields a point needs before it can be published: from the registry, or carried by the point. */
const LOCATION_FIELDS = ['PID', 'InsID', 'Region'] as const;

/** The documented general-format fields: everything else a point carries is kept as an extra. */
const DOCUMENTED: ReadonlySet<string> = new Set(GENERAL_FORMAT_FIELDS);

/**
 * Turns an accepted raw reading into the documented general data format: `unixT` in milliseconds,
 * `t`/`time`/`dow`/`month`/`dom`/`hour`/`minute` computed from `unixT` in the slot's IANA time zone
 * (so they always agree with each other, whatever the device sent), and `v` canonical for its type.
 * Undocumented extras (`AGG`, `DASSOC`, …) are kept.
 *
 * `entry` is the device's slot in the device-slot directory (looked up by `DEVID`), if it has one:
 * - With an entry, the registry is the source of truth for where the slot is: its `PID`, `PropId`,
 *   `InsID`, `Display` and `Region` replace the point's (a device moved to another zone is attributed to
 *   its new zone); a field the entry does not have (`PropId`, `Display`) keeps the point's value. A point
 *   whose `DevType` is not the slot's is refused as `invalid_point` (a wiring or configuration error).
 * - Without an entry, a point that carries `PID`, `InsID` and `Region` itself is accepted as sent
 *   (providers onboarded without registry entries keep working); one that does not is `unknown_device`.
 */
export function normalisePoint(raw: SensorDataPointV1, entry?: DeviceSlotEntry): NormaliseResult {
  let located: SensorDataPointV1 = raw;
  if (entry) {
    if (raw.DevType !== entry.DevType) {
      return {
        ok: false,
        reason: 'invalid_point',
        errors: [
          `DevType: the reading is ${raw.DevType} but device slot ${raw.DEVID} is a ${entry.DevType} slot in the registry`,
        ],
      };
    }
    // The registry's location wins (reading `entry` instead of copying the point into a new object).
    located = {
      DEVID: raw.DEVID,
      DevType: raw.DevType,
      unixT: raw.unixT,
      v: raw.v,
      PID: entry.PID,
      PropId: entry.PropId ?? raw.PropId,
      InsID: entry.InsID,
      Display: entry.Display ?? raw.Display,
      Region: entry.Region,
    };
  } else {
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
  }
  const region = located.Region as string;
  if (!isValidTimeZone(region)) {
    return {
      ok: false,
      reason: 'invalid_time_zone',
      errors: [
        `Region: "${region}"${entry ? ` (device slot ${raw.DEVID} in the registry)` : ''} is not an IANA time zone`,
      ],
    };
  }
  const value = normaliseSlotPoint(located);
  if (!value.ok) return { ok: false, reason: 'invalid_value', errors: value.errors };
  const unixT = unixMillis(located.unixT);
  const local = localTimeFields(unixT, region);
  // Built in one literal, in the documented field order (reference §3.2): every point gets the same
  // object shape, which keeps serialising it fast (a missing PropId/Display is undefined, which JSON
  // leaves out); the point's undocumented extras follow.
  const point: NormalisedSensorDataPoint = {
    t: local.t,
    v: value.value,
    unixT,
    DEVID: located.DEVID,
    Region: region,
    time: local.time,
    DevType: located.DevType,
    PID: located.PID as string,
    PropId: located.PropId,
    InsID: located.InsID as string,
    Display: located.Display,
    dow: local.dow,
    month: local.month,
    hour: local.hour,
    dom: local.dom,
    minute: local.minute,
  };
  for (const key in raw) {
    if (!DOCUMENTED.has(key) && Object.hasOwn(raw, key)) point[key] = raw[key];
  }
  const { provider, slotType } = parseDevType(located.DevType);
  return { ok: true, point, subject: sensorDataSubject(point.PID, provider, slotType) };
}
