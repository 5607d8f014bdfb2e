/**
 * NATS subject tokens may not contain `.`, `*`, `>` or whitespace (and `#` is a wildcard in AMQP-style patterns). Ids in Matrix are usually hex or
 * upper-snake, so they pass unchanged; anything else is escaped reversibly as `~XX` (hex of each
 * UTF-8 byte), keeping subjects unambiguous and filterable.
 */
const SAFE = /^[A-Za-z0-9_-]+$/;

/** Encodes one id as a subject token: unchanged when already safe, else `~XX`-escaped; `''` → `~`. */
export function encodeSubjectToken(value: string): string {
  if (value.length === 0) return '~';
  if (SAFE.test(value)) return value;
  let out = '';
  for (const char of value) {
    if (/[A-Za-z0-9_-]/.test(char)) {
      out += char;
    } else {
      for (const byte of Buffer.from(char, 'utf8')) {
        out += `~${byte.toString(16).padStart(2, '0').toUpperCase()}`;
      }
    }
  }
  return out;
}

/** Reverses {@link encodeSubjectToken}; throws on a malformed `~` escape instead of guessing. */
export function decodeSubjectToken(token: string): string {
  if (token === '~') return '';
  if (!token.includes('~')) return token;
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '~') {
      const hex = token.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) {
        throw new Error(`"${token}" is not an encoded subject token (bad escape at ${i})`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(token[i] as string, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
