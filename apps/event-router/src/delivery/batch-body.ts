import type { SensorDataEncoding, SubscriptionKind } from '@matrix/contracts';

/**
 * The body of one POST from a batch's messages (each the canonical JSON text of one stream message: a Matrix
 * event object, or an array of sensor data points): a JSON array of events, of points, or — for the
 * legacy sensor data encoding (reference §3.1) — of points each serialised again as a JSON string.
 */
export function batchBody(
  kind: SubscriptionKind,
  encoding: SensorDataEncoding,
  items: readonly string[],
): string {
  if (kind === 'matrix-events') return `[${items.join(',')}]`;
  if (encoding === 'objects') {
    return `[${items
      .map((array) => array.slice(1, -1))
      .filter(Boolean)
      .join(',')}]`;
  }
  const points = items.flatMap((array) => JSON.parse(array) as unknown[]);
  return JSON.stringify(points.map((point) => JSON.stringify(point)));
}
