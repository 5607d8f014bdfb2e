import {
  HEADER,
  readingIdsOf,
  validateMatrixEvent,
  validateNormalisedPoint,
  validatePointList,
  type MatrixEventV1,
  type NormalisedSensorDataPoint,
} from '@matrix/contracts';

/** A Matrix event in the documented general data format (Matrix documentation §2.4). */
export type MatrixEvent = MatrixEventV1;
/** A normalised sensor data point in the documented general data format (Matrix documentation §3.2). */
export type SensorDataPoint = NormalisedSensorDataPoint;

/** A message's body decoded, or why it cannot be (a poison message: it never gets better). */
export type Decoded<T> = { ok: true; items: T[] } | { ok: false; reason: string };

function json(data: Uint8Array): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(Buffer.from(data).toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, reason: `body: not JSON (${(error as Error).message})` };
  }
}

/** The body of a MATRIX_EVENTS message: one Matrix event object. */
export function decodeMatrixEvent(data: Uint8Array): Decoded<MatrixEvent> {
  const body = json(data);
  if (!body.ok) return body;
  const event = validateMatrixEvent(body.value);
  return event.ok ? { ok: true, items: [event.value] } : { ok: false, reason: event.errors.join('; ') };
}

/** One point of a SENSOR_DATA message and its reading id (the platform's id of the reading, ADR-4). */
export interface IdentifiedPoint {
  point: SensorDataPoint;
  readingId: string;
}

/**
 * The body of a SENSOR_DATA message: a JSON array of points, each paired with its reading id from the
 * `Matrix-Reading-Ids` header (`fallback`, e.g. `<stream>:<seq>`, for a message without it).
 */
export function decodeSensorData(
  data: Uint8Array,
  headers: Readonly<Record<string, string>>,
  fallback: string,
): Decoded<IdentifiedPoint> {
  const body = json(data);
  if (!body.ok) return body;
  const points = validatePointList(validateNormalisedPoint, body.value);
  if (!points.ok) return { ok: false, reason: points.errors.join('; ') };
  const ids = readingIdsOf(headers, points.value.length, fallback);
  return {
    ok: true,
    items: points.value.map((point, i) => ({ point: point as SensorDataPoint, readingId: ids[i]! })),
  };
}

/** The header naming the reading ids, for consumers that read headers themselves. */
export const READING_IDS_HEADER = HEADER.readingIds;
