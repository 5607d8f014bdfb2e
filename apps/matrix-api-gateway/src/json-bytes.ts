import { createHash } from 'node:crypto';
import type { Response } from 'express';

/** A JSON answer serialised once, with the weak ETag Express would compute for it. */
export interface JsonBytes {
  readonly body: Buffer;
  readonly etag: string;
}

/** Serialises `value` and computes its ETag (Express's weak format: `W/"<length hex>-<sha1 base64>"`). */
export function jsonBytes(value: unknown): JsonBytes {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const hash = createHash('sha1').update(body).digest('base64').substring(0, 27);
  return { body, etag: `W/"${body.length.toString(16)}-${hash}"` };
}

/**
 * Sends pre-serialised JSON as `res.json` would (same headers, ETag, 304 for a matching If-None-Match),
 * without serialising or hashing it again.
 */
export function sendJsonBytes(response: Response, json: JsonBytes, status = 200): void {
  response.status(status);
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('ETag', json.etag);
  response.send(json.body);
}
