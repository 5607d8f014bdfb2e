import type { Checked } from '../subscriptions/subscription.v1';

/** Checks a command's JSON (request or reply) as received on `subject`, naming each problem. */
export type Decoder<T> = (json: unknown, subject: string) => Checked<T>;

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A request decoder: an object whose `scope` keys (the tenancy the gateway resolved: `org`, `propId`,
 * `pid`, …) are non-empty strings, then the command's own `check`.
 */
export function scopedRequest<T>(
  scope: readonly string[],
  check: (json: Record<string, unknown>, problems: string[]) => void,
): Decoder<T> {
  return (json) => {
    if (!isObject(json)) return { ok: false, errors: ['request: must be an object'] };
    const problems: string[] = [];
    for (const key of scope) {
      if (typeof json[key] !== 'string' || json[key] === '') {
        problems.push(`${key}: must be a non-empty string`);
      }
    }
    check(json, problems);
    return problems.length ? { ok: false, errors: problems } : { ok: true, value: json as T };
  };
}

/** A reply decoder that wants an object and takes its fields as they are (the owner built them). */
export const objectReply =
  <T>(): Decoder<T> =>
  (json) =>
    isObject(json) ? { ok: true, value: json as T } : { ok: false, errors: ['reply: must be an object'] };
