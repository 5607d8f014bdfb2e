import { createHash } from 'node:crypto';
import { validateList, type Validated } from '../shared/validation';
import { HEADER } from './message-headers';

/**
 * Messages that carry points (`SENSOR_RAW`, `SENSOR_DATA`, ADR-10): the body is a JSON array of points,
 * also for one point, and the header `Matrix-Reading-Ids` lists each point's reading id (ADR-4) in array
 * order, so a consumer can key every point (the SQL row, a delivery) by the id it has had since ingress.
 */

/**
 * Why a message whose body is one point object is refused (and so dead-lettered by its consumer) instead
 * of read: the shape of messages published before batching, which no producer has published since
 * (docs/data-formats.md, "Messages on SENSOR_RAW and SENSOR_DATA").
 */
export const SINGLE_POINT_MESSAGE =
  'body: one point object, the message shape from before batching, is no longer read: a message is a JSON array of points';

/**
 * Decodes the body of a message carrying points: a JSON array whose every element passes `validate`
 * (errors prefixed with the element's index, `[3].v: …`). One object is refused as
 * {@link SINGLE_POINT_MESSAGE}.
 */
export function validatePointList<T>(
  validate: (input: unknown) => Validated<T>,
  input: unknown,
): Validated<T[]> {
  if (Array.isArray(input)) return validateList(validate, input);
  const single = typeof input === 'object' && input !== null;
  return { ok: false, errors: [single ? SINGLE_POINT_MESSAGE : 'body: must be a JSON array of points'] };
}

/** Most points in one message, and most bytes of its JSON body (well under NATS' 1 MiB payload). */
export const POINT_BATCH_LIMITS = { maxPoints: 250, maxBytes: 256 * 1024 } as const;

/** One point and its reading id. */
export interface IdentifiedPoint<P = unknown> {
  readonly id: string;
  readonly point: P;
}

/** A message's worth of points, with its body already serialised. */
export interface PointBatch<P = unknown> {
  readonly ids: string[];
  readonly points: P[];
  /** The JSON array, as bytes. */
  readonly body: Uint8Array;
}

const encoder = new TextEncoder();

/**
 * Splits points, in order, into messages of at most `maxPoints` points and `maxBytes` of JSON (a single
 * point larger than `maxBytes` still gets a message of its own).
 */
export function chunkPoints<P>(
  points: readonly IdentifiedPoint<P>[],
  limits: { maxPoints: number; maxBytes: number } = POINT_BATCH_LIMITS,
): PointBatch<P>[] {
  const batches: PointBatch<P>[] = [];
  let start = 0;
  // The common case first: the next `maxPoints` points fit, and are serialised in one call. The byte
  // count is the one the point-by-point split below uses (body + 1), so the chunks are the same as its.
  while (start < points.length) {
    const slice = points.slice(start, start + limits.maxPoints);
    const members = slice.map((member) => member.point);
    const body = encoder.encode(JSON.stringify(members));
    if (body.length + 1 > limits.maxBytes) break;
    batches.push({ ids: slice.map((member) => member.id), points: members, body });
    start += slice.length;
  }
  if (start < points.length) batches.push(...chunkPointByPoint(points.slice(start), limits));
  return batches;
}

/** `chunkPoints` measuring every point, for points that do not fit one message of `maxPoints`. */
function chunkPointByPoint<P>(
  points: readonly IdentifiedPoint<P>[],
  limits: { maxPoints: number; maxBytes: number },
): PointBatch<P>[] {
  const batches: PointBatch<P>[] = [];
  let ids: string[] = [];
  let members: P[] = [];
  let parts: string[] = [];
  let bytes = 2;
  const close = () => {
    if (ids.length === 0) return;
    batches.push({ ids, points: members, body: encoder.encode(`[${parts.join(',')}]`) });
    ids = [];
    members = [];
    parts = [];
    bytes = 2;
  };
  for (const { id, point } of points) {
    const json = JSON.stringify(point);
    const size = Buffer.byteLength(json) + 1;
    if (ids.length >= limits.maxPoints || (ids.length > 0 && bytes + size > limits.maxBytes)) close();
    ids.push(id);
    members.push(point);
    parts.push(json);
    bytes += size;
  }
  close();
  return batches;
}

/**
 * The `Nats-Msg-Id` of a message carrying these reading ids: `<prefix>:<id>` for one point (what a
 * single-point message has always had), else `<prefix>:b<hash of the ids>`. The same points in the same
 * order give the same id, so a retried batch is dropped by the stream's duplicate window.
 */
export function pointBatchMsgId(prefix: string, ids: readonly string[]): string {
  if (ids.length === 1) return `${prefix}:${ids[0]}`;
  return `${prefix}:b${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 40)}`;
}

/** The headers naming the points' reading ids. */
export function readingIdsHeader(ids: readonly string[]): Record<string, string> {
  return { [HEADER.readingIds]: ids.join(',') };
}

/**
 * The reading id of each of `count` points of a message: from `Matrix-Reading-Ids` when it lists exactly
 * `count`; a message without them (not published by the platform) gets `fallback` (e.g. its
 * `Nats-Msg-Id`) for a single point, else `fallback#<index>`.
 */
export function readingIdsOf(
  headers: Readonly<Record<string, string>>,
  count: number,
  fallback: string,
): string[] {
  const listed = headers[HEADER.readingIds]?.split(',').filter((id) => id !== '');
  if (listed && listed.length === count) return listed;
  if (count === 1) return [fallback];
  return Array.from({ length: count }, (_, i) => `${fallback}#${i}`);
}
