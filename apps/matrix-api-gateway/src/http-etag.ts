import { createHash } from 'node:crypto';

/** Express's weak ETag of a body: `W/"<length hex>-<sha1 base64, 27 characters>"`. */
export function weakEtag(body: Buffer | string): string {
  const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
  const hash = createHash('sha1').update(body).digest('base64').substring(0, 27);
  return `W/"${length.toString(16)}-${hash}"`;
}

const NO_CACHE = /(?:^|,)\s*?no-cache\s*?(?:,|$)/;

/**
 * Whether a conditional GET is answered 304 with this ETag, as Express (`fresh`) decides: `If-None-Match`
 * lists it (weak comparison) or is `*`, unless `Cache-Control: no-cache`; an `If-Modified-Since` never
 * matches (the gateway sends no `Last-Modified`).
 */
export function isFresh(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  etag: string,
): boolean {
  const noneMatch = headers['if-none-match'];
  const modifiedSince = headers['if-modified-since'];
  if (!noneMatch && !modifiedSince) return false;
  const cacheControl = headers['cache-control'];
  if (typeof cacheControl === 'string' && NO_CACHE.test(cacheControl)) return false;
  if (typeof noneMatch === 'string' && noneMatch !== '*') {
    const matches = noneMatch.split(',').map((token) => token.trim());
    if (!matches.some((m) => m === etag || m === `W/${etag}` || `W/${m}` === etag)) return false;
  }
  return !modifiedSince;
}
