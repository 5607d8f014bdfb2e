import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BatchKind, InvalidBatchItem } from './parse-batch';
import type { BatchOf, WebhookReceiver } from './webhook-receiver';

/** A request as node:http and Express hand it over (Express's `req.body` is set by a body parser). */
export type WebhookRequest = IncomingMessage & { body?: unknown };

export interface WebhookHandlerOptions<K extends BatchKind = BatchKind> {
  /** Largest body read, in bytes (default 32 MiB); a larger one is answered 413. */
  maxBodyBytes?: number;
  /**
   * Told of every failure answered 5xx or not answered at all: `onBatch` or `onInvalid` throwing, the
   * request body failing to arrive (a client gone mid-body), a receiver that throws. Default `console.error`.
   */
  onError?: (error: unknown, req: WebhookRequest) => void;
  /**
   * Given the batch's objects that fail this SDK's contract check (the platform may send values an older
   * SDK does not know, docs/contracts.md), before `onBatch`; the POST is still answered 2xx. If it throws,
   * the POST is answered 500. Default: `console.warn` of their indexes and reasons.
   */
  onInvalid?: (invalid: InvalidBatchItem[], batch: BatchOf<K>, req: WebhookRequest) => unknown;
}

const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

class BodyTooLarge extends Error {}

/** express.json() (or another parser) already turned the body into a value: the signed bytes are gone. */
class BodyAlreadyParsed extends Error {}

/** The body could not be read from the connection (e.g. the client went away mid-body). */
export class WebhookBodyReadError extends Error {
  override readonly name = 'WebhookBodyReadError';
}

async function rawBodyOf(req: WebhookRequest, limit: number): Promise<Buffer> {
  // express.raw() / express.text() already read the bytes; express.json() leaves nothing to verify.
  if (Buffer.isBuffer(req.body)) return req.body;
  if (typeof req.body === 'string') return Buffer.from(req.body, 'utf8');
  if (req.body !== undefined) {
    throw new BodyAlreadyParsed(
      'the body was parsed before the webhook handler: mount it before express.json(), or use express.raw()',
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new BodyTooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof BodyTooLarge) throw error;
    throw new WebhookBodyReadError(
      `the request body could not be read: ${(error as Error)?.message ?? String(error)}`,
      {
        cause: error,
      },
    );
  }
  return Buffer.concat(chunks);
}

function answer(res: ServerResponse, status: number, problem?: Record<string, unknown>): void {
  if (res.headersSent || res.destroyed) return;
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
 * Objects of the batch that fail this SDK's contract check do not fail it: they go to `onInvalid`.
 * Nothing escapes as an unhandled rejection: any other failure is told to `onError` and answered 500
 * while the response has not started.
 *
 * ```ts
 * http.createServer(webhookHandler(receiver, async (batch) => save(batch))).listen(8000);
 * app.post('/matrix', webhookHandler(receiver, onBatch)); // Express: before any JSON body parser
 * ```
 */
export function webhookHandler<K extends BatchKind>(
  receiver: WebhookReceiver<K>,
  onBatch: (batch: BatchOf<K>, req: WebhookRequest) => unknown,
  options: WebhookHandlerOptions<K> = {},
): (req: WebhookRequest, res: ServerResponse) => void {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const report = (error: unknown, req: WebhookRequest): void => {
    try {
      (options.onError ?? ((e: unknown) => console.error('webhook handler failed:', e)))(error, req);
    } catch (reportError) {
      console.error('webhook handler failed, and so did its onError:', error, reportError);
    }
  };
  const onInvalid =
    options.onInvalid ??
    ((invalid: InvalidBatchItem[], batch: BatchOf<K>) =>
      console.warn(
        `webhook ${batch.webhookId}: ${invalid.length} item(s) fail this SDK's contract check: ` +
          invalid.map((item) => `[${item.index}] ${item.reason}`).join('; '),
      ));
  const handle = async (req: WebhookRequest, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return answer(res, 405, { title: 'Method Not Allowed' });
    let body: Buffer;
    try {
      body = await rawBodyOf(req, limit);
    } catch (error) {
      if (error instanceof BodyTooLarge) return answer(res, 413, { title: 'Payload Too Large' });
      if (error instanceof BodyAlreadyParsed) {
        return answer(res, 500, { title: 'Webhook handler misconfigured', detail: error.message });
      }
      report(error, req);
      return answer(res, 400, { title: 'Bad Request', detail: 'the request body could not be read' });
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
      if (result.batch.invalid.length > 0) await onInvalid(result.batch.invalid, result.batch, req);
      await onBatch(result.batch, req);
    } catch (error) {
      report(error, req);
      return answer(res, 500, { title: 'The batch was not processed' });
    }
    answer(res, 204);
  };
  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      report(error, req);
      if (!res.headersSent && !res.destroyed) answer(res, 500, { title: 'The batch was not processed' });
      else res.destroy();
    });
  };
}
