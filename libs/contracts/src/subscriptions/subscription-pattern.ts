/*
 * Routing-key patterns of push subscriptions (reference §2.2): dot-separated tokens matched against the
 * subject of a message — `matrix.<principal>.<module>.<eventid>.<priority>` for Matrix events,
 * `sensor.data.<pid>.<provider>.<type>` for sensor data. `*` is one token (the documented wildcard),
 * `#` zero or more tokens (AMQP topic exchanges), `>` one or more tokens at the end (NATS).
 */

const LITERAL = /^[A-Za-z0-9_~-]+$/;

/** At most this many patterns per subscription and tokens per pattern. */
export const PATTERN_LIMITS = { patterns: 20, tokens: 16, length: 512 } as const;

/** Why `pattern` is not a valid routing-key pattern, or undefined when it is. */
export function patternProblem(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string' || pattern.length === 0) return 'must be a non-empty string';
  if (pattern.length > PATTERN_LIMITS.length) return `must be at most ${PATTERN_LIMITS.length} characters`;
  const tokens = pattern.split('.');
  if (tokens.length > PATTERN_LIMITS.tokens) return `must have at most ${PATTERN_LIMITS.tokens} tokens`;
  for (const [i, token] of tokens.entries()) {
    if (token === '*' || token === '#') continue;
    if (token === '>') {
      if (i !== tokens.length - 1) return '`>` may only be the last token';
      continue;
    }
    if (!LITERAL.test(token)) {
      return `token ${i + 1} ("${token}") must be *, #, > or [A-Za-z0-9_~-]+ (ids with other characters are ~XX-escaped as in subjects)`;
    }
  }
  return undefined;
}

/** Whether `subject` (namespace removed) matches `pattern`; the reference implementation the router's index agrees with. */
export function patternMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === s.length;
    const token = p[i]!;
    if (token === '#') {
      for (let k = j; k <= s.length; k++) if (match(i + 1, k)) return true;
      return false;
    }
    if (token === '>') return j < s.length;
    if (j === s.length) return false;
    return (token === '*' || token === s[j]) && match(i + 1, j + 1);
  };
  return match(0, 0);
}
