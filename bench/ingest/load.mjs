// HTTP load generator of the ingest benchmark (run by run.mjs as its own process).
//
//   node bench/ingest/load.mjs '<json spec>'
//
// POSTs JSON arrays of `pointsPerRequest` points (points.mjs) to 127.0.0.1:<port><path>, with
// `Authorization: Bearer <key>` (the keys taken in turn, one per request), on keep-alive sockets; with
// `ports` (several push-ingress replicas) instead of `port`, the ports are taken in turn too, one per request:
// - `closed`: `concurrency` clients, each sending its next batch as soon as the previous is answered;
// - `open`: `rate` requests per second on a fixed schedule, whatever the answers (open loop: a slow
//   server does not slow the sender down, so queueing shows in the latencies).
// Request i carries the points firstSeq + i·pointsPerRequest … + pointsPerRequest − 1 (unixT = unixBase + seq),
// so every point maps back to the POST that sent it. Only requests *sent* inside the measured window (after
// `warmupMs`, for `durationMs`) count for the HTTP figures; when it closes nothing new is sent and the
// requests in flight finish (bounded by `timeoutMs`). Every answer must be `expectStatus` with
// `{"accepted": pointsPerRequest, "duplicates": 0}`.
//
// `mix` picks the slot types and values (points.mjs); with `probes` ({first, count, every}) every
// `every`-th request carries a probe's one reading as its last point (points.mjs probeOfRequest), same seq.
//
// Prints `{"event":"window-start"|"window-end","at":<epoch ms>}` lines when the window opens and closes,
// then one JSON line of results; writes the send time (epoch ms, sub-millisecond) and status of every
// request to `sendLog`, for POST-to-row latencies.
import fs from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { hardTimeLimit, readSpec } from '../lib/child.mjs';
import { pointRenderer, probeOfRequest } from './points.mjs';

/**
 * @typedef {{ host: string, port?: number, ports?: number[], path: string, keys: string[], mode: 'closed' | 'open',
 *   concurrency?: number, rate?: number, slots: number, unixBase: number, firstSeq: number,
 *   pointsPerRequest: number, warmupMs: number, durationMs: number, timeoutMs?: number,
 *   expectStatus: number, sendLog?: string, mix?: string,
 *   probes?: { first: number, count: number, every: number } }} LoadSpec
 */

/** @type {LoadSpec} */
const spec = readSpec('load.mjs', [
  'host',
  JSON.parse(process.argv[2] ?? '{}').ports === undefined ? 'port' : 'ports',
  'path',
  'keys',
  'mode',
  'slots',
  'unixBase',
  'firstSeq',
  'durationMs',
]);
const perRequest = spec.pointsPerRequest ?? 100;
const warmupMs = spec.warmupMs ?? 0;
const timeoutMs = spec.timeoutMs ?? 30_000;
// Whatever happens, this process ends by itself.
hardTimeLimit('load.mjs', warmupMs + spec.durationMs + timeoutMs + 15_000);

const maxSockets = spec.mode === 'closed' ? spec.concurrency : 512;
const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
const render = pointRenderer(spec.slots, spec.unixBase, spec.mix);
const authorizations = spec.keys.map((key) => `Bearer ${key}`);
const ports = spec.ports ?? [spec.port];
if (ports.length === 0 || !ports.every((port) => Number.isInteger(port) && port > 0 && port < 65536)) {
  process.stderr.write(
    `load.mjs: "ports" must be a non-empty list of TCP ports, got ${JSON.stringify(ports)}\n`,
  );
  process.exit(64);
}
/** Wall-clock time in ms with sub-millisecond resolution (comparable with PostgreSQL's now()). */
const wall = () => performance.timeOrigin + performance.now();

/** @type {number[]} */
const sendTimes = [];
/** @type {number[]} */
const statuses = [];
/** @type {number[]} */
const latencies = [];
/** @type {Record<string, number>} */
const errorKinds = {};
let errors = 0;
let sent = 0;
let inFlight = 0;
let maxInFlight = 0;
let acceptedPoints = 0;
let countedAcceptedPoints = 0;
let maxLagMs = 0;

/** @returns {Promise<{ status: number, body: string } | { error: string }>} */
function post(index) {
  const body = render.batch(
    spec.firstSeq + index * perRequest,
    perRequest,
    probeOfRequest(index, spec.probes),
  );
  return new Promise((resolve) => {
    const request = http.request(
      {
        agent,
        host: spec.host,
        port: ports[index % ports.length],
        method: 'POST',
        path: spec.path,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: authorizations[index % authorizations.length],
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on('error', (error) => resolve({ error: error.message }));
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => resolve({ error: error.message }));
    request.end(body);
  });
}

function fail(kind, counted) {
  if (!counted) return;
  errors += 1;
  errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
}

/** Sends request `index` now and records how it went. */
async function send(index, counted) {
  const started = performance.now();
  sendTimes[index] = performance.timeOrigin + started;
  statuses[index] = 0;
  sent += 1;
  inFlight += 1;
  maxInFlight = Math.max(maxInFlight, inFlight);
  const result = await post(index);
  inFlight -= 1;
  const latency = performance.now() - started;
  if ('error' in result) {
    statuses[index] = -1;
    fail(`network: ${result.error}`, counted);
    return;
  }
  statuses[index] = result.status;
  if (counted) latencies.push(latency);
  if (result.status !== spec.expectStatus) {
    fail(`HTTP ${result.status}: ${result.body.slice(0, 160)}`, counted);
    return;
  }
  let answer;
  try {
    answer = JSON.parse(result.body);
  } catch {
    fail('answer is not JSON', counted);
    return;
  }
  if (answer?.accepted !== perRequest || (answer.duplicates ?? 0) !== 0) {
    fail(`accepted ${answer?.accepted} duplicates ${answer?.duplicates}`, counted);
    statuses[index] = -2;
    return;
  }
  acceptedPoints += perRequest;
  if (counted) countedAcceptedPoints += perRequest;
}

const started = performance.now();
const measureFrom = started + warmupMs;
const measureTo = measureFrom + spec.durationMs;
// The window in wall-clock time, for the rows that landed in it (projected_at).
const windowStart = performance.timeOrigin + measureFrom;
const windowEnd = performance.timeOrigin + measureTo;
const windowStarted = new Promise((resolve) =>
  setTimeout(() => {
    process.stdout.write(`${JSON.stringify({ event: 'window-start', at: wall() })}\n`);
    resolve(undefined);
  }, warmupMs),
);
const windowEnded = new Promise((resolve) =>
  setTimeout(() => {
    process.stdout.write(`${JSON.stringify({ event: 'window-end', at: wall() })}\n`);
    resolve(undefined);
  }, warmupMs + spec.durationMs),
);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let next = 0;
if (spec.mode === 'closed') {
  const client = async () => {
    for (;;) {
      const now = performance.now();
      if (now >= measureTo) return;
      await send(next++, now >= measureFrom);
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, client));
} else {
  const interval = 1000 / spec.rate;
  /** @type {Promise<void>[]} */
  const pending = [];
  for (let i = 0; ; i++) {
    const due = started + i * interval;
    if (due >= measureTo) break;
    const wait = due - performance.now();
    if (wait > 0.5) await sleep(wait);
    maxLagMs = Math.max(maxLagMs, performance.now() - due);
    pending.push(send(next++, due >= measureFrom));
  }
  await Promise.all(pending);
}
await windowStarted;
await windowEnded;
const finished = wall();
agent.destroy();

if (spec.sendLog) {
  fs.writeFileSync(
    spec.sendLog,
    JSON.stringify({ firstSeq: spec.firstSeq, pointsPerRequest: perRequest, sendTimes, statuses }),
  );
}

latencies.sort((a, b) => a - b);
const at = (q) =>
  latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] : NaN;
const round = (x) => Math.round(x * 100) / 100;
const seconds = spec.durationMs / 1000;
process.stdout.write(
  `${JSON.stringify({
    mode: spec.mode,
    requests: latencies.length,
    requestsSent: sent,
    seqUsed: sent * perRequest,
    rps: round(latencies.length / seconds),
    pointsPerSecond: round(countedAcceptedPoints / seconds),
    acceptedPoints,
    countedAcceptedPoints,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(latencies[latencies.length - 1] ?? NaN),
    mean: round(latencies.reduce((sum, x) => sum + x, 0) / (latencies.length || 1)),
    errors,
    errorKinds,
    maxInFlight,
    maxScheduleLagMs: round(maxLagMs),
    windowStart,
    windowEnd,
    finishedAt: finished,
  })}\n`,
);
