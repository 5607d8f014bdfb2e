import {
  validateMatrixEvent,
  validateNormalisedPoint,
  type MatrixEventV1,
  type NormalisedSensorDataPoint,
} from '@matrix/contracts';
import { WebhookError } from './webhook-error';

/** A Matrix event in the documented general data format (Matrix documentation §2.4). */
export type MatrixEvent = MatrixEventV1;

/** A normalised sensor data point in the documented general data format (Matrix documentation §3.2). */
export type SensorDataPoint = NormalisedSensorDataPoint;

/** What a push subscription delivers (its `kind`). */
export type BatchKind = 'matrix-events' | 'sensor-data';

/**
 * How a sensor data batch is written: `objects` (a JSON array of points) or `json-strings` (the
 * documented legacy array whose every element is a point serialised again as a JSON string, §3.1).
 */
export type SensorDataEncoding = 'objects' | 'json-strings';

/**
 * An item of a well-formed batch that fails this SDK's copy of the contract. The platform may send it on
 * purpose (docs/contracts.md: a new enum value, a value it used to refuse, without a new version), so it
 * is reported beside the valid items rather than failing the batch.
 */
export interface InvalidBatchItem {
  /** Its index in the batch. */
  index: number;
  /** The JSON object as received (parsed from its string in the `json-strings` encoding). */
  item: Record<string, unknown>;
  /** Why the contract check refused it (`field: problem; …`). */
  reason: string;
}

/** The items of one POST: the valid ones typed, the contract-invalid ones in `invalid`. */
export type ParsedItems =
  | { kind: 'matrix-events'; events: MatrixEvent[]; invalid: InvalidBatchItem[] }
  | {
      kind: 'sensor-data';
      encoding: SensorDataEncoding;
      points: SensorDataPoint[];
      invalid: InvalidBatchItem[];
    };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The kind of a batch from its first element: an event has a `RoutingKey`, a point a `DEVID`. */
function kindOf(first: unknown): BatchKind | undefined {
  if (typeof first === 'string') return 'sensor-data';
  if (!isObject(first)) return undefined;
  if ('RoutingKey' in first || 'Event' in first) return 'matrix-events';
  if ('DEVID' in first || 'DevType' in first) return 'sensor-data';
  return undefined;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new WebhookError('malformed_body', `${what} is not JSON: ${(error as Error).message}`);
  }
}

/** The points of a sensor data batch in either encoding; every element must use the same one. */
function sensorItems(items: unknown[]): { encoding: SensorDataEncoding; points: unknown[] } {
  if (typeof items[0] !== 'string') {
    if (items.some((item) => typeof item === 'string')) {
      throw new WebhookError('malformed_body', 'the body mixes JSON strings and objects');
    }
    return { encoding: 'objects', points: items };
  }
  const points = items.map((item, index) => {
    if (typeof item !== 'string') {
      throw new WebhookError('malformed_body', `[${index}] is not a JSON string like the elements before it`);
    }
    return parseJson(item, `[${index}]`);
  });
  return { encoding: 'json-strings', points };
}

/** Each element checked with `validate`: the valid ones, and the invalid ones with their reason. */
function partition<T>(
  elements: unknown[],
  validate: (input: unknown) => { ok: true; value: T } | { ok: false; errors: string[] },
): { valid: T[]; invalid: InvalidBatchItem[] } {
  const valid: T[] = [];
  const invalid: InvalidBatchItem[] = [];
  elements.forEach((element, index) => {
    if (!isObject(element)) throw new WebhookError('malformed_body', `[${index}] is not a JSON object`);
    const result = validate(element);
    if (result.ok) valid.push(result.value);
    else invalid.push({ index, item: element, reason: result.errors.join('; ') });
  });
  return { valid, invalid };
}

/**
 * Parses and validates the body of one POST: a JSON array of Matrix events, or of sensor data points in
 * either encoding, checked with the Matrix contracts (`@matrix/contracts`: the same checks the platform
 * applies before it publishes). An element that is a JSON object failing the contract goes to `invalid`
 * with its reason; a body that is not a JSON array of objects (or JSON strings of objects) is refused. With
 * `expected`, a batch of the other kind is refused; without it the kind is read from the first element.
 * Throws a {@link WebhookError}.
 */
export function parseBatch(body: string, expected?: BatchKind): ParsedItems {
  const parsed = parseJson(body, 'the body');
  if (!Array.isArray(parsed)) throw new WebhookError('malformed_body', 'the body is not a JSON array');
  if (parsed.length === 0) throw new WebhookError('invalid_items', 'the body is an empty array');
  const kind = kindOf(parsed[0]);
  if (kind === undefined) {
    throw new WebhookError('invalid_items', '[0] is neither a Matrix event nor a sensor data point');
  }
  if (expected !== undefined && kind !== expected) {
    throw new WebhookError('invalid_items', `expected a ${expected} batch, got ${kind}`);
  }
  if (kind === 'matrix-events') {
    const { valid, invalid } = partition(parsed, validateMatrixEvent);
    return { kind, events: valid, invalid };
  }
  const { encoding, points } = sensorItems(parsed);
  const { valid, invalid } = partition(points, validateNormalisedPoint);
  return { kind, encoding, points: valid as SensorDataPoint[], invalid };
}
