import { GENERAL_FORMAT_FIELDS, type NormalisedSensorDataPointV1 } from '@matrix/contracts';

/** The documented general-format fields; anything else a point carries goes to `extra`. */
const DOCUMENTED: ReadonlySet<string> = new Set(GENERAL_FORMAT_FIELDS);

export const SENSOR_DATA_COLUMNS = [
  'msg_id',
  't',
  'v',
  'unixt',
  'devid',
  'region',
  'time',
  'devtype',
  'pid',
  'propid',
  'insid',
  'display',
  'dow',
  'month',
  'hour',
  'dom',
  'minute',
  'extra',
  'stream_seq',
] as const;

/**
 * Maps a data point to the column values of `matrix.sensor_data`, in SENSOR_DATA_COLUMNS order; `v` and
 * `extra` stay JSON values (the batch is serialised once, see INSERT_SENSOR_DATA).
 */
export function sensorDataRow(
  msgId: string,
  streamSeq: number,
  point: NormalisedSensorDataPointV1,
  /** The building's property as the registry has it; when unknown, the point's own `PropId`. */
  property?: string,
): unknown[] {
  let extra: Record<string, unknown> | null = null;
  for (const key in point) {
    if (DOCUMENTED.has(key) || !Object.hasOwn(point, key)) continue;
    const value = point[key];
    if (value === undefined) continue;
    extra ??= {};
    extra[key] = value;
  }
  return [
    msgId,
    point.t,
    point.v,
    point.unixT,
    point.DEVID,
    point.Region,
    new Date(point.unixT).toISOString(),
    point.DevType,
    point.PID,
    property ?? point.PropId ?? null,
    point.InsID,
    point.Display ?? null,
    point.dow,
    point.month,
    point.hour,
    point.dom,
    point.minute,
    extra,
    streamSeq,
  ];
}
