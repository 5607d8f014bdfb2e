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

/**
 * An item of a well-formed body that fails this SDK's copy of the contract. The platform may have
 * accepted it on purpose (docs/contracts.md: a new enum value, a value it used to refuse, all without a
 * new version), so it is reported rather than taken as a poison message.
 */
export interface InvalidItem {
  /** Its index in the message's array (0 for the one event of a MATRIX_EVENTS message). */
  index: number;
  /** The JSON object as it was received. */
  value: Record<string, unknown>;
  /** Why the contract check refused it (`field: problem; …`). */
  reason: string;
}

/**
 * A message's body decoded: its valid items and its contract-invalid ones, or why the body is not even
 * of the right shape (not JSON, not an object / array of objects: a poison message, it never gets better).
 */
export type Decoded<T> = { ok: true; items: T[]; invalid: InvalidItem[] } | { ok: false; reason: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function json(data: Uint8Array): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(Buffer.from(data).toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, reason: `body: not JSON (${(error as Error).message})` };
  }
}

/**
 * The body of a MATRIX_EVENTS message: one Matrix event object. An object failing the contract is an
 * invalid item, not a malformed body.
 */
export function decodeMatrixEvent(data: Uint8Array): Decoded<MatrixEvent> {
  const body = json(data);
  if (!body.ok) return body;
  if (!isObject(body.value)) return { ok: false, reason: 'body: must be a JSON object (one Matrix event)' };
  const event = validateMatrixEvent(body.value);
  return event.ok
    ? { ok: true, items: [event.value], invalid: [] }
    : { ok: true, items: [], invalid: [{ index: 0, value: body.value, reason: event.errors.join('; ') }] };
}

/** One point of a SENSOR_DATA message and its reading id (the platform's id of the reading, ADR-4). */
export interface IdentifiedPoint {
  point: SensorDataPoint;
  readingId: string;
}

/**
 * The body of a SENSOR_DATA message: a JSON array of points, each paired with its reading id from the
 * `Matrix-Reading-Ids` header (`fallback`, e.g. `<stream>:<seq>`, for a message without it). An element
 * that is an object failing the contract is an invalid item; a body that is not an array of objects is
 * malformed.
 */
export function decodeSensorData(
  data: Uint8Array,
  headers: Readonly<Record<string, string>>,
  fallback: string,
): Decoded<IdentifiedPoint> {
  const body = json(data);
  if (!body.ok) return body;
  const elements = body.value;
  if (!Array.isArray(elements) || elements.length === 0) {
    // The shape errors (one point object, not an array, an empty array) are the contract's own words.
    const shape = validatePointList(validateNormalisedPoint, elements);
    return { ok: false, reason: shape.ok ? 'body: must be a JSON array of points' : shape.errors.join('; ') };
  }
  const notObject = elements.findIndex((element) => !isObject(element));
  if (notObject >= 0) return { ok: false, reason: `[${notObject}]: must be a JSON object` };
  // The ids follow the positions of all elements, valid or not.
  const ids = readingIdsOf(headers, elements.length, fallback);
  const items: IdentifiedPoint[] = [];
  const invalid: InvalidItem[] = [];
  elements.forEach((element: Record<string, unknown>, index) => {
    const point = validateNormalisedPoint(element);
    if (point.ok) items.push({ point: point.value as SensorDataPoint, readingId: ids[index]! });
    else invalid.push({ index, value: element, reason: point.errors.join('; ') });
  });
  return { ok: true, items, invalid };
}

/** The header naming the reading ids, for consumers that read headers themselves. */
export const READING_IDS_HEADER = HEADER.readingIds;
