import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
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
 */
export async function send(
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
