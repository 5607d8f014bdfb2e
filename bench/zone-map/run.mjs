// Zone-map benchmark (issue #3): p50/p95/p99/max latency and requests/s of
//   POST /prod/v2/scgrids/v1/actions?op=scgrids.buildingZoneMap   (SC-HMAC v1)
//   GET  /v1/buildings/{pid}/zone-map                              (Basic)
// for one building of 2,000 zones on 2 levels, at 50 concurrent keep-alive clients, against the built
// gateway bundle, and the same for a plain Node `http` server answering the identical bytes (the raw
// baseline), with the same load generator (load.mjs) in its own process.
//
//   node bench/zone-map/run.mjs [--duration 15] [--warmup 3] [--concurrency 50] [--zones 2000]
//                               [--no-pin] [--no-build] [--out results.json]
//                               [--gateway-node-args='--cpu-prof --cpu-prof-dir=tmp/prof']
//   npm run bench:zone-map
//
// Builds the gateway and matrix-cli bundles, finds or starts NATS and PostgreSQL (tools/infra/infra.mjs,
// test mode), creates a throwaway database and NATS namespace, provisions, migrates and bootstraps a
// tenant, starts the gateway, seeds over REST, measures, and cleans everything up again, also on failure
// or Ctrl-C. With `taskset` and ≥ 2 CPUs the servers under test run on CPU 0 and the load generator on
// CPU 1 (PostgreSQL and NATS are not pinned). Everything listens on and is sent to 127.0.0.1 only.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  cleanupOnExit,
  log,
  machine,
  nodeProcesses,
  tasksetAvailable,
  waitReady,
  throwawayInfra,
} from '../lib/harness.mjs';
import { freePort } from '../../tools/infra/infra.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HERE = path.dirname(fileURLToPath(import.meta.url));
const GATEWAY = path.join(ROOT, 'dist/apps/matrix-api-gateway/main.cjs');
const CLI = path.join(ROOT, 'dist/apps/matrix-cli/main.cjs');
/** The whole run, setup and cleanup included, is bounded by this. */
const HARD_LIMIT_MS = 15 * 60_000;

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '50' },
    zones: { type: 'string', default: '2000' },
    'no-pin': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string' },
    'gateway-node-args': { type: 'string', default: '' },
  },
});
const positive = (name, max) => {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`--${name} must be a whole number from 1 to ${max}`);
  }
  return value;
};
const settings = {
  durationMs: positive('duration', 120) * 1000,
  warmupMs: Number(flags.warmup) >= 0 && Number(flags.warmup) <= 60 ? Number(flags.warmup) * 1000 : 3000,
  concurrency: positive('concurrency', 500),
  zones: positive('zones', 5000),
};

// ------------------------------------------------------------------------------------ cleanup

const { onCleanup, cleanup } = cleanupOnExit(HARD_LIMIT_MS);

// ------------------------------------------------------------------------------------ processes

const pin = !flags['no-pin'] && os.availableParallelism() >= 2 && tasksetAvailable();
const { startNode, runNode } = nodeProcesses({ pin, onCleanup });

// ------------------------------------------------------------------------------------ HTTP

/** @returns {Promise<{ status: number, text: string, body: Buffer, json: any }>} */
function request(port, method, urlPath, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        headers: {
          ...headers,
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const text = raw.toString('utf8');
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, body: raw, json });
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${urlPath}: no answer in 30 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

// ------------------------------------------------------------------------------------ the run

async function main() {
  const infra = await throwawayInfra({
    name: 'zone_map',
    ns: 'zm',
    apps: ['matrix-api-gateway', 'matrix-cli'],
    build: !flags['no-build'],
    onCleanup,
  });
  const env = {
    ...infra.env,
    MATRIX_SECRET_KEY: randomBytes(32).toString('base64'),
    // The per-credential limit (default 50/s) would answer 429 to a load test of one credential.
    RATE_LIMIT_PER_SECOND: '100000',
    RATE_LIMIT_BURST: '1000000',
  };
  await runNode([CLI, 'provision'], env);
  await runNode([GATEWAY, 'migrate'], env);
  const tenant = JSON.parse(
    await runNode([GATEWAY, 'bootstrap', '--org', 'BENCH', '--property', 'Bench Campus'], env),
  );

  const port = await freePort();
  const gateway = startNode(
    'matrix-api-gateway',
    [...flags['gateway-node-args'].split(' ').filter(Boolean), GATEWAY],
    { ...env, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port) },
    0,
  );
  await waitReady(port, gateway);
  log(`gateway listens on 127.0.0.1:${port}${pin ? ' (CPU 0; load generator on CPU 1)' : ''}`);

  const basic = {
    authorization: `Basic ${Buffer.from(`${tenant.accessKey}:${tenant.secretKey}`).toString('base64')}`,
  };
  const rest = async (method, urlPath, body) => {
    const res = await request(port, method, urlPath, { headers: basic, body });
    if (res.status >= 300) throw new Error(`${method} ${urlPath}: ${res.status} ${res.text.slice(0, 500)}`);
    return res.json;
  };

  // Seed: one building, two levels, `zones` zones spread over them, up to 1,000 per call.
  const seeded = Date.now();
  const building = await rest('POST', `/v1/properties/${tenant.propid}/buildings`, {
    name: 'Bench Tower',
    levelsCount: 2,
    timeZone: 'Europe/Berlin',
  });
  const pid = building.pid;
  const lids = [];
  for (const [name, level] of [
    ['Ground', '0'],
    ['First', '1'],
  ]) {
    lids.push((await rest('POST', `/v1/buildings/${pid}/levels`, { name, level })).lid);
  }
  for (let from = 0; from < settings.zones; from += 1000) {
    const zones = [];
    for (let i = from; i < Math.min(settings.zones, from + 1000); i++) {
      zones.push({
        name: `Zone ${String(i + 1).padStart(4, '0')} ${i % 3 === 0 ? 'Washroom' : 'Office'}`,
        lid: lids[i % 2],
      });
    }
    await rest('POST', `/v1/buildings/${pid}/zones`, { zones });
  }
  log(`seeded building ${pid}: 2 levels, ${settings.zones} zones in ${Date.now() - seeded} ms`);

  // The two requests under test.
  const op = 'scgrids.buildingZoneMap';
  const actionsPath = `/prod/v2/scgrids/v1/actions?${new URLSearchParams({ op, org: tenant.org, pid, propid: tenant.propid })}`;
  const actionsAuth = {
    scheme: 'schmac',
    module: 'scgrids',
    propid: tenant.propid,
    op,
    accessKey: tenant.accessKey,
    secretKey: tenant.secretKey,
  };
  const restPath = `/v1/buildings/${pid}/zone-map`;
  const restAuth = { scheme: 'basic', accessKey: tenant.accessKey, secretKey: tenant.secretKey };
  const targets = {
    actions: { method: 'POST', path: actionsPath, body: '{}', auth: actionsAuth, shape: 'actions' },
    rest: { method: 'GET', path: restPath, auth: restAuth, shape: 'rest' },
  };

  // One checked answer of each: its bytes are what the raw baseline serves.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matrix-bench-'));
  onCleanup('remove temp files', async () => fs.rmSync(dir, { recursive: true, force: true }));
  const files = {};
  for (const [name, target] of Object.entries(targets)) {
    const sample = await runLoad(port, target, { concurrency: 1, warmupMs: 0, durationMs: 200 });
    if (sample.errors > 0) throw new Error(`${name}: ${JSON.stringify(sample.errorKinds)}`);
    const res = await request(port, target.method, target.path, {
      headers: await oneOffHeaders(target),
      body: target.body === undefined ? undefined : JSON.parse(target.body),
    });
    if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
    files[name] = path.join(dir, `${name}.json`);
    fs.writeFileSync(files[name], res.body);
  }

  const results = [];
  for (const name of ['actions', 'rest']) {
    log(`gateway ${name}: ${settings.warmupMs / 1000} s warm-up + ${settings.durationMs / 1000} s…`);
    results.push({ server: 'gateway', surface: name, ...(await runLoad(port, targets[name])) });
  }
  await gateway.stop();

  const raw = startNode(
    'raw http server',
    [
      path.join(HERE, 'raw-server.mjs'),
      JSON.stringify({
        routes: {
          'POST /prod/v2/scgrids/v1/actions': files.actions,
          [`GET ${restPath}`]: files.rest,
        },
      }),
    ],
    { PATH: process.env.PATH },
    0,
  );
  const rawPort = await new Promise((resolve, reject) => {
    raw.child.stdout.on('data', (chunk) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    void raw.exited.then(() => reject(new Error(`raw server exited: ${raw.output.text()}`)));
  });
  for (const name of ['actions', 'rest']) {
    log(`raw http (${name} bytes): ${settings.warmupMs / 1000} s warm-up + ${settings.durationMs / 1000} s…`);
    results.push({ server: 'raw', surface: name, ...(await runLoad(rawPort, targets[name])) });
  }
  await raw.stop();

  const report = { date: new Date().toISOString(), machine: machine({ pin }), settings, results };
  if (flags.out) fs.writeFileSync(path.resolve(flags.out), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${markdown(report)}\n`);
  const failed = results.filter((r) => r.errors > 0);
  if (failed.length > 0) {
    log(
      `errors: ${failed.map((r) => `${r.server} ${r.surface} ${JSON.stringify(r.errorKinds)}`).join('; ')}`,
    );
    process.exitCode = 1;
  }
}

/** Headers for one request outside the load generator (the same signing as load.mjs). */
async function oneOffHeaders(target) {
  const { createHmac } = await import('node:crypto');
  const a = target.auth;
  if (a.scheme === 'basic') {
    return { authorization: `Basic ${Buffer.from(`${a.accessKey}:${a.secretKey}`).toString('base64')}` };
  }
  const time = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', Buffer.from(a.secretKey, 'utf8'))
    .update(`${a.module}/${a.propid}/${a.op}/${a.accessKey}/${time}`, 'utf8')
    .digest('hex');
  return {
    'x-sc-identity': 'external',
    'x-sc-time': time,
    authorization: `SCHMAC_V1;${a.accessKey};${signature}`,
  };
}

/** Runs load.mjs against 127.0.0.1:port (on CPU 1 when pinning) and returns its figures. */
async function runLoad(port, target, overrides = {}) {
  const spec = {
    host: '127.0.0.1',
    port,
    method: target.method,
    path: target.path,
    body: target.body,
    auth: target.auth,
    concurrency: settings.concurrency,
    warmupMs: settings.warmupMs,
    durationMs: settings.durationMs,
    timeoutMs: 10_000,
    expect: { shape: target.shape, entries: settings.zones },
    ...overrides,
  };
  const limit = spec.warmupMs + spec.durationMs + 60_000;
  const out = await runNode(
    [path.join(HERE, 'load.mjs'), JSON.stringify(spec)],
    { PATH: process.env.PATH },
    {
      timeoutMs: limit,
      cpu: 1,
    },
  );
  return JSON.parse(out.trim().split('\n').pop());
}

/** Deletes every stream (KV buckets included) of the namespace. */

const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

function markdown({ date, machine: m, settings: s, results }) {
  const raw = Object.fromEntries(results.filter((r) => r.server === 'raw').map((r) => [r.surface, r]));
  const label = (r) =>
    r.server === 'raw'
      ? `raw http (${r.surface} bytes)`
      : r.surface === 'actions'
        ? 'gateway actions `scgrids.buildingZoneMap`'
        : 'gateway REST `GET /v1/buildings/{pid}/zone-map`';
  const ratio = (r, key) => (r.server === 'raw' ? '1' : fmt(r[key] / raw[r.surface][key], 2));
  const lines = [
    `${date} · ${m.nproc} CPUs (${m.cpuModel}) · ${m.memoryGiB} GiB · Node ${m.node} · ` +
      `${s.concurrency} clients · ${s.zones} zones · ${s.warmupMs / 1000} s warm-up + ${s.durationMs / 1000} s` +
      `${m.pinned ? ' · server on CPU 0, load generator on CPU 1' : ''}`,
    '',
    '| server | p50 ms | p95 ms | p99 ms | max ms | req/s | errors | body bytes | p95 ÷ raw | req/s ÷ raw |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${label(r)} | ${fmt(r.p50, 2)} | ${fmt(r.p95, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.max, 1)} | ` +
        `${fmt(r.rps, 0)} | ${r.errors} | ${r.bytesPerResponse} | ${ratio(r, 'p95')} | ${ratio(r, 'rps')} |`,
    ),
  ];
  return lines.join('\n');
}

try {
  await main();
} catch (error) {
  log(`failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit();
