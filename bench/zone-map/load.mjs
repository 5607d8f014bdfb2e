// Closed-loop HTTP load generator for the zone-map benchmark (run by run.mjs as its own process).
//
//   node bench/zone-map/load.mjs '<json spec>'
//
// `concurrency` clients, each on its own keep-alive socket (http.Agent, maxSockets = concurrency), send
// one request, read the whole answer, check it and send the next, for `warmupMs` and then `durationMs`.
// Only requests *started* inside the measured window count; when it closes no new request is sent and
// the ones in flight finish (bounded by `timeoutMs`). SC-HMAC requests are signed per request with a
// fresh x-sc-time. Every answer must be 200 and a zone map of `entries` zones: an answer is parsed once
// and later answers that are byte-identical to a checked one count as checked (a memcmp, so the
// generator stays cheap enough not to be the bottleneck). Prints one JSON line of results on stdout.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { hardTimeLimit, readSpec } from '../lib/child.mjs';

/**
 * @typedef {{ scheme: 'schmac', module: string, propid: string, op: string, accessKey: string, secretKey: string }
 *   | { scheme: 'basic', accessKey: string, secretKey: string }} Auth
 * @typedef {{ host: string, port: number, method: string, path: string, body?: string, auth: Auth,
 *   concurrency: number, warmupMs: number, durationMs: number, timeoutMs: number,
 *   expect: { shape: 'actions' | 'rest', entries: number } }} LoadSpec
 */

/** @type {LoadSpec} */
const spec = readSpec('load.mjs', [
  'host',
  'port',
  'method',
  'path',
  'auth',
  'concurrency',
  'durationMs',
  'expect',
]);
const warmupMs = spec.warmupMs ?? 0;
const timeoutMs = spec.timeoutMs ?? 10_000;
// Whatever happens, this process ends by itself.
hardTimeLimit('load.mjs', warmupMs + spec.durationMs + timeoutMs + 10_000);

const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });
const body = spec.body === undefined ? undefined : Buffer.from(spec.body, 'utf8');
const basic =
  spec.auth.scheme === 'basic'
    ? `Basic ${Buffer.from(`${spec.auth.accessKey}:${spec.auth.secretKey}`).toString('base64')}`
    : '';
const hmacKey = Buffer.from(spec.auth.secretKey, 'utf8');

function headers() {
  /** @type {Record<string, string>} */
  const h = {};
  if (body) {
    h['content-type'] = 'application/json';
    h['content-length'] = String(body.length);
  }
  if (spec.auth.scheme === 'basic') {
    h['authorization'] = basic;
  } else {
    const { module, propid, op, accessKey } = spec.auth;
    const time = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', hmacKey)
      .update(`${module}/${propid}/${op}/${accessKey}/${time}`, 'utf8')
      .digest('hex');
    h['x-sc-identity'] = 'external';
    h['x-sc-time'] = time;
    h['authorization'] = `SCHMAC_V1;${accessKey};${signature}`;
  }
  return h;
}

/** @returns {Promise<{ status: number, body: Buffer } | { error: string }>} */
function once() {
  return new Promise((resolve) => {
    const request = http.request(
      { agent, host: spec.host, port: spec.port, method: spec.method, path: spec.path, headers: headers() },
      (response) => {
        /** @type {Buffer[]} */
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
        response.on('error', (error) => resolve({ error: error.message }));
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => resolve({ error: error.message }));
    request.end(body);
  });
}

/** Bodies already parsed and found right; later answers that equal one of them are right too. */
const checked = [];
/** @param {Buffer} text @returns {string | undefined} what is wrong, if anything */
function check(text) {
  for (const good of checked) if (good.equals(text)) return undefined;
  let parsed;
  try {
    parsed = JSON.parse(text.toString('utf8'));
  } catch {
    return 'not JSON';
  }
  const map = spec.expect.shape === 'actions' ? parsed?.data : parsed?.zones;
  if (!map || typeof map !== 'object') return 'no zone map in the body';
  const count = Object.keys(map).length;
  if (count !== spec.expect.entries) return `${count} zones instead of ${spec.expect.entries}`;
  if (spec.expect.shape === 'actions' ? parsed.LEK !== undefined : parsed.nextCursor !== null) {
    return 'the map has a next page';
  }
  if (checked.length < 16) checked.push(text);
  return undefined;
}

const started = performance.now();
const measureFrom = started + warmupMs;
const measureTo = measureFrom + spec.durationMs;
/** @type {number[]} */
const latencies = [];
/** @type {Record<string, number>} */
const errorKinds = {};
let errors = 0;
let warmupRequests = 0;
let bytes = 0;

function fail(kind, counted) {
  if (!counted) return;
  errors += 1;
  errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
}

async function client() {
  for (;;) {
    const sent = performance.now();
    if (sent >= measureTo) return;
    const counted = sent >= measureFrom;
    const result = await once();
    const latency = performance.now() - sent;
    if (!counted) warmupRequests += 1;
    if ('error' in result) {
      fail(`network: ${result.error}`, counted);
      continue;
    }
    if (counted) {
      latencies.push(latency);
      bytes += result.body.length;
    }
    if (result.status !== 200) {
      fail(`HTTP ${result.status}`, counted);
      continue;
    }
    const wrong = check(result.body);
    if (wrong) fail(wrong, counted);
  }
}

await Promise.all(Array.from({ length: spec.concurrency }, client));
agent.destroy();

latencies.sort((a, b) => a - b);
const at = (q) =>
  latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] : NaN;
const round = (x) => Math.round(x * 100) / 100;
process.stdout.write(
  `${JSON.stringify({
    requests: latencies.length,
    warmupRequests,
    rps: round(latencies.length / (spec.durationMs / 1000)),
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(latencies[latencies.length - 1] ?? NaN),
    mean: round(latencies.reduce((sum, x) => sum + x, 0) / (latencies.length || 1)),
    errors,
    errorKinds,
    bytesPerResponse: latencies.length ? Math.round(bytes / latencies.length) : 0,
  })}\n`,
);
