import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import {
  activeContext,
  inSpan,
  injectTraceHeaders,
  SpanKind,
  SpanStatusCode,
  tracingEnabled,
} from '@matrix/platform';
import { TargetGuard } from './target-guard';
import { TargetRefusedError } from './target-refused-error';

export interface SendResult {
  /** `delivered` (2xx), `failed` (any other status), `gone` (410), `timeout`, `refused` (SSRF guard), `error`. */
  outcome: 'delivered' | 'failed' | 'gone' | 'timeout' | 'refused' | 'error';
  statusCode: number | null;
  latencyMs: number;
  /** The first KiB of the response body, or the error. */
  response: string | null;
  retryAfter?: string;
}

const EXCERPT = 1024;
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 4 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 4 }),
};

/**
 * POSTs one body. The target is resolved and checked by the SSRF guard first, and the connection goes to
 * exactly the checked address (the guard's answer is the socket's DNS lookup). Redirects are not
 * followed (a 3xx is a failure); the attempt fails after `timeoutMs` without a complete answer.
 * With tracing on, the attempt is a CLIENT span and the request carries its `traceparent` (W3C trace
 * context), which the receiver may continue; the signature covers the body only, so it is unaffected.
 */
export function send(
  guard: TargetGuard,
  target: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  keep = EXCERPT,
): Promise<SendResult> {
  if (!tracingEnabled()) return sendUntraced(guard, target, body, headers, timeoutMs, keep);
  let attributes: Record<string, string | number> = { [ATTR_HTTP_REQUEST_METHOD]: 'POST' };
  try {
    const url = new URL(target);
    attributes = {
      ...attributes,
      [ATTR_SERVER_ADDRESS]: url.hostname,
      [ATTR_SERVER_PORT]: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      [ATTR_URL_SCHEME]: url.protocol.replace(/:$/, ''),
    };
  } catch {
    // The guard refuses it below, naming why.
  }
  return inSpan('POST', { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const traced = { ...headers };
    injectTraceHeaders(activeContext(), traced);
    const result = await sendUntraced(guard, target, body, traced, timeoutMs, keep);
    if (result.statusCode !== null) span?.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, result.statusCode);
    if (result.outcome !== 'delivered') {
      span?.setStatus({ code: SpanStatusCode.ERROR, message: result.outcome });
      span?.setAttribute(
        ATTR_ERROR_TYPE,
        result.statusCode === null ? result.outcome : String(result.statusCode),
      );
    }
    return result;
  });
}

async function sendUntraced(
  guard: TargetGuard,
  target: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  /** Response bytes kept (the attempt log keeps 1 KiB; a token response needs more). */
  keep = EXCERPT,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let resolved;
  try {
    resolved = await guard.check(target);
  } catch (error) {
    const message = error instanceof TargetRefusedError ? error.message : String(error);
    return { outcome: 'refused', statusCode: null, latencyMs: elapsed(), response: message };
  }
  const { url, address, family } = resolved;
  const lookup: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address, family },
      ]);
    } else callback(null, address, family);
  };
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: elapsed() });
    };
    const request = transport.request(
      url,
      {
        method: 'POST',
        agent: agents[url.protocol as 'http:' | 'https:'],
        lookup,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < keep) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const retryAfter = response.headers['retry-after'];
          finish({
            outcome: status >= 200 && status < 300 ? 'delivered' : status === 410 ? 'gone' : 'failed',
            statusCode: status,
            response: Buffer.concat(chunks).subarray(0, keep).toString('utf8') || null,
            ...(retryAfter ? { retryAfter } : {}),
          });
        });
        response.on('error', (error) =>
          finish({ outcome: 'error', statusCode: status(), response: error.message }),
        );
        const status = () => response.statusCode ?? null;
      },
    );
    const timer = setTimeout(() => {
      finish({ outcome: 'timeout', statusCode: null, response: `no complete answer within ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    request.on('error', (error) => finish({ outcome: 'error', statusCode: null, response: error.message }));
    request.end(body);
  });
}
