import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BatchKind } from './parse-batch';
import type { BatchOf, WebhookReceiver } from './webhook-receiver';

/** A request as node:http and Express hand it over (Express's `req.body` is set by a body parser). */
export type WebhookRequest = IncomingMessage & { body?: unknown };

export interface WebhookHandlerOptions {
  /** Largest body read, in bytes (default 32 MiB); a larger one is answered 413. */
  maxBodyBytes?: number;
  /** Told when `onBatch` throws (default: `console.error`); the POST is answered 500 either way. */
  onError?: (error: unknown, req: WebhookRequest) => void;
}

const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

class BodyTooLarge extends Error {}

async function rawBodyOf(req: WebhookRequest, limit: number): Promise<Buffer> {
  // express.raw() / express.text() already read the bytes; express.json() leaves nothing to verify.
  if (Buffer.isBuffer(req.body)) return req.body;
  if (typeof req.body === 'string') return Buffer.from(req.body, 'utf8');
  if (req.body !== undefined) {
    throw new Error(
      'the body was parsed before the webhook handler: mount it before express.json(), or use express.raw()',
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function answer(res: ServerResponse, status: number, problem?: Record<string, unknown>): void {
  if (!problem) {
    res.writeHead(status).end();
    return;
  }
  res
    .writeHead(status, { 'content-type': 'application/problem+json' })
    .end(JSON.stringify({ status, ...problem }));
}

/**
 * A node:http request listener (and Express handler) for a push endpoint: reads the raw body, verifies
 * it with `receiver`, and hands the typed batch to `onBatch`. Answers 204 once `onBatch` resolved (the
 * platform then counts the batch delivered), 401/400 (problem+json) for a POST that fails verification,
 * and 500 when `onBatch` throws — the platform retries the same batch later, with the same `webhook-id`.
 *
 * ```ts
 * http.createServer(webhookHandler(receiver, async (batch) => save(batch))).listen(8000);
 * app.post('/matrix', webhookHandler(receiver, onBatch)); // Express: before any JSON body parser
 * ```
 */
export function webhookHandler<K extends BatchKind>(
  receiver: WebhookReceiver<K>,
  onBatch: (batch: BatchOf<K>, req: WebhookRequest) => unknown,
  options: WebhookHandlerOptions = {},
): (req: WebhookRequest, res: ServerResponse) => void {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return (req, res) => {
    void (async () => {
      if (req.method !== 'POST') return answer(res, 405, { title: 'Method Not Allowed' });
      let body: Buffer;
      try {
        body = await rawBodyOf(req, limit);
      } catch (error) {
        if (error instanceof BodyTooLarge) return answer(res, 413, { title: 'Payload Too Large' });
        return answer(res, 500, { title: 'Webhook handler misconfigured', detail: (error as Error).message });
      }
      const result = receiver.verify(body, req.headers);
      if (!result.ok) {
        const { error } = result;
        return answer(res, error.status, {
          title: error.status === 401 ? 'Unauthorized' : 'Bad Request',
          code: error.code,
          detail: error.message,
          ...(error.errors.length > 0 ? { errors: error.errors } : {}),
        });
      }
      try {
        await onBatch(result.batch, req);
      } catch (error) {
        (options.onError ?? ((e: unknown) => console.error('webhook batch handler failed:', e)))(error, req);
        return answer(res, 500, { title: 'The batch was not processed' });
      }
      answer(res, 204);
    })();
  };
}
