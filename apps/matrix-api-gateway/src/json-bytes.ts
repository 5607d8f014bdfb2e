import type { FastifyReply } from 'fastify';
import { weakEtag } from './http-etag';

/** A JSON answer serialised once, with the weak ETag Express would compute for it. */
export interface JsonBytes {
  readonly body: Buffer;
  readonly etag: string;
}

/** Serialises `value` and computes its ETag (Express's weak format: `W/"<length hex>-<sha1 base64>"`). */
export function jsonBytes(value: unknown): JsonBytes {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  return { body, etag: weakEtag(body) };
}

/**
 * Sends pre-serialised JSON as a JSON answer is sent (same headers, ETag, 304 for a matching
 * If-None-Match: the adapter's ETag hook, see gateway-http-adapter.ts), without serialising or hashing it
 * again.
 */
export function sendJsonBytes(reply: FastifyReply, json: JsonBytes, status = 200): void {
  void reply
    .status(status)
    .header('Content-Type', 'application/json; charset=utf-8')
    .header('ETag', json.etag)
    .send(json.body);
}
