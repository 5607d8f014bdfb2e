import { hash } from 'node:crypto';
import { stableStringify } from '../shared/stable-json';

/**
 * The identity of a reading: provider, device alias, time and a hash of the whole point. It is the
 * `Nats-Msg-Id` on SENSOR_RAW, the root of the ids downstream and the idempotency key of the SQL row,
 * so a batch posted twice (within seconds or days) yields each row once.
 */
export function readingId(provider: string, devid: string, unixT: number, point: unknown): string {
  // One-shot hashes (no Hash object per call): this runs for every point push-ingress accepts.
  const payloadHash = hash('sha256', stableStringify(point), 'hex').slice(0, 24);
  return hash('sha256', `${provider}\u0000${devid}\u0000${unixT}\u0000${payloadHash}`, 'hex').slice(0, 40);
}
