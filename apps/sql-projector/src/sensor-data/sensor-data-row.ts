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

/** Maps a data point to the column values of `matrix.sensor_data`, in SENSOR_DATA_COLUMNS order. */
export function sensorDataRow(
  msgId: string,
  streamSeq: number,
  point: NormalisedSensorDataPointV1,
): unknown[] {
  const extraEntries = Object.entries(point).filter(([key]) => !DOCUMENTED.has(key));
  return [
    msgId,
    point.t,
    JSON.stringify(point.v),
    point.unixT,
    point.DEVID,
    point.Region,
    new Date(point.unixT).toISOString(),
    point.DevType,
    point.PID,
    point.PropId ?? null,
    point.InsID,
    point.Display ?? null,
    point.dow,
    point.month,
    point.hour,
    point.dom,
    point.minute,
    extraEntries.length > 0 ? JSON.stringify(Object.fromEntries(extraEntries)) : null,
    streamSeq,
  ];
}
