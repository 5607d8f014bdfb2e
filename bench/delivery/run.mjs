// Delivery benchmark (issue #5): synthetic Matrix events published straight onto `matrix.>` at a fixed
// rate, fanned out by the built event-router bundle to N local HTTP endpoints (one subscription each,
// every event matches every subscription). Reports publish→receipt latency (p50/p90/p99/max) and
// delivered events/s, the backlog (consumer pending + routed messages after the cursors + pending batches) over the run,
// the drain time after publishing stops, and an exact ledger (published × endpoints = received). The
// floor is measured in the same run: a core NATS subscriber on the same subjects, publish→subscribe.
//
//   node bench/delivery/run.mjs [--duration 60] [--warmup 5] [--rate 1000] [--endpoints 10]
//                               [--max-wait-ms 50] [--max-size 500] [--no-pin] [--no-build]
//                               [--out results.json] [--docs] [--router-node-args='--cpu-prof']
//   npm run bench:delivery -- --duration 20
//
// Builds the event-router and matrix-cli bundles, finds or starts NATS and PostgreSQL (tools/infra,
// test mode), creates a throwaway database and NATS namespace, provisions, migrates, starts the router
// (on CPU 0 with taskset when there are ≥ 2 CPUs; this process, the publisher and the endpoints are not
// pinned), measures, and cleans everything up, also on failure or Ctrl-C. `--docs` rewrites the
// "Push delivery" section of docs/benchmarks.md (between its markers) and leaves the rest alone.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import {
  cleanupOnExit,
  log,
  machine,
  nodeProcesses,
  sleep,
  throwawayInfra,
  waitReady,
  wholeFlags,
} from '../lib/harness.mjs';
import { freePort } from '../../tools/infra/infra.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROUTER = path.join(ROOT, 'dist/apps/event-router/main.cjs');
const CLI = path.join(ROOT, 'dist/apps/matrix-cli/main.cjs');
const DOCS = path.join(ROOT, 'docs/benchmarks.md');
const MARK = { start: '<!-- bench:delivery:start -->', end: '<!-- bench:delivery:end -->' };
const HARD_LIMIT_MS = 20 * 60_000;

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '5' },
    rate: { type: 'string', default: '1000' },
    endpoints: { type: 'string', default: '10' },
    'max-wait-ms': { type: 'string', default: '50' },
    'max-size': { type: 'string', default: '500' },
    'no-pin': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string' },
    docs: { type: 'boolean', default: false },
    'router-node-args': { type: 'string', default: '' },
  },
});
const whole = wholeFlags(flags);
const settings = {
  durationMs: whole('duration', 1, 600) * 1000,
  warmupMs: whole('warmup', 0, 60) * 1000,
  rate: whole('rate', 1, 20_000),
  endpoints: whole('endpoints', 1, 100),
  maxWaitMs: whole('max-wait-ms', 0, 60_000),
  maxSize: whole('max-size', 1, 1000),
};

const now = () => performance.timeOrigin + performance.now();

// ------------------------------------------------------------------------------------ cleanup

const { onCleanup, cleanup } = cleanupOnExit(HARD_LIMIT_MS);

// ------------------------------------------------------------------------------------ processes

const pin = !flags['no-pin'] && os.availableParallelism() >= 2 && spawnSync('taskset', ['-V']).status === 0;
const { runNode, startNode } = nodeProcesses({ pin, onCleanup });

/** CPU seconds (user + system, all threads) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

// ------------------------------------------------------------------------------------ endpoints

/** One local endpoint: records the latency of every event it receives and which events it saw. */
async function startEndpoint(index, stats) {
  const seen = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const at = now();
      res.writeHead(200).end();
      stats.posts++;
      for (const event of JSON.parse(Buffer.concat(chunks).toString('utf8'))) {
        const { N, T0 } = event.Meta;
        if (seen.has(N)) {
          stats.duplicates++;
          continue;
        }
        seen.add(N);
        stats.received++;
        if (T0 >= stats.measureFrom && T0 < stats.measureTo) stats.latencies.push(at - T0);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(
    `stop endpoint ${index}`,
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );
  return { url: `http://127.0.0.1:${server.address().port}/hook`, seen };
}

// ------------------------------------------------------------------------------------ figures

function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (p) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
  return {
    count: sorted.length,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

/** Other benchmark or test processes running beside this one (they share the 2 CPUs). */
function otherBenchmarks() {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .filter((line) => /bench\/(?!delivery)|jest/.test(line) && !line.includes(String(process.pid)))
    .map((line) => line.trim().split(/\s+/).slice(1, 3).join(' '));
}

// ------------------------------------------------------------------------------------ the run

async function main() {
  const {
    id,
    namespace,
    nats: natsInfra,
    databaseUrl,
    env: base,
  } = await throwawayInfra({
    name: 'delivery',
    ns: 'dl',
    apps: ['event-router', 'matrix-cli'],
    build: !flags['no-build'],
    onCleanup,
  });
  const env = { ...base, ROUTER_ALLOW_TARGETS: 'loopback' };
  await runNode([CLI, 'provision'], env);
  await runNode([ROUTER, 'migrate'], env);

  const nc = await connect({ servers: natsInfra.url.split(','), name: 'bench-delivery' });
  onCleanup('close the NATS connection', () => nc.drain());
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  onCleanup('close PostgreSQL client', () => sql.end());

  const port = await freePort();
  const router = startNode(
    'event-router',
    [...flags['router-node-args'].split(' ').filter(Boolean), ROUTER],
    {
      ...env,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
    },
    0,
  );
  await waitReady(port, router);
  log(`event-router ready on 127.0.0.1:${port}${pin ? ' (CPU 0)' : ''}`);

  // Endpoints and subscriptions: every event matches every subscription.
  const stats = {
    received: 0,
    duplicates: 0,
    posts: 0,
    latencies: [],
    measureFrom: Infinity,
    measureTo: Infinity,
  };
  const endpoints = [];
  for (let i = 0; i < settings.endpoints; i++) {
    const endpoint = await startEndpoint(i, stats);
    endpoints.push(endpoint);
    const reply = await nc.request(
      `${namespace}.router.subscription.create.v1`,
      JSON.stringify({
        owner: { org: 'BENCH' },
        scope: null,
        input: {
          url: endpoint.url,
          kind: 'matrix-events',
          patterns: [i % 2 === 0 ? 'matrix.BENCH.#' : 'matrix.*.scgrids.>'],
          batch: { maxSize: settings.maxSize, maxWaitMs: settings.maxWaitMs },
        },
      }),
      { timeout: 15_000 },
    );
    const answer = reply.json();
    if (!answer.ok) throw new Error(`create subscription: ${JSON.stringify(answer.error)}`);
  }

  // The floor: a core NATS subscriber on the same subjects, in this process.
  const floor = { latencies: [], received: 0 };
  const sub = nc.subscribe(`${namespace}.matrix.BENCH.>`);
  void (async () => {
    for await (const m of sub) {
      const at = now();
      floor.received++;
      const { T0 } = m.json().Meta;
      if (T0 >= stats.measureFrom && T0 < stats.measureTo) floor.latencies.push(at - T0);
    }
  })();

  // Backlog samples: consumer pending + routed messages after each subscription's cursor + pending batches.
  const stream = `${namespace.toUpperCase()}_MATRIX_EVENTS`;
  const durable = `${namespace}-event-router-matrix-events`;
  const samples = [];
  const sample = async () => {
    const info = await jsm.consumers.info(stream, durable);
    const { rows } = await sql.query(
      `select (select coalesce(sum((select count(*) from router.processed p
                                      where p.pos > c.pos and c.subscription_id = any(p.subs))), 0)
                 from router.cursors c)::int as queued,
              (select count(*) from router.batches where status = 'pending')::int as pending`,
    );
    samples.push({
      t: Math.round((now() - started) / 1000),
      consumer: info.num_pending + info.num_ack_pending,
      queued: rows[0].queued,
      pendingBatches: rows[0].pending,
    });
  };

  // Publish at a fixed rate for warm-up + duration (catching up to the schedule every 5 ms).
  const total = Math.round((settings.rate * (settings.warmupMs + settings.durationMs)) / 1000);
  log(
    `publishing ${total} events at ${settings.rate}/s to ${settings.endpoints} endpoints (${settings.warmupMs / 1000} s warm-up)…`,
  );
  const loadBefore = os.loadavg()[0];
  const others = otherBenchmarks();
  const started = now();
  stats.measureFrom = started + settings.warmupMs;
  stats.measureTo = started + settings.warmupMs + settings.durationMs;
  const sampler = setInterval(() => void sample().catch(() => undefined), 5000);
  // The router's CPU over the measured window: a figure neighbours' load moves far less than latency.
  const routerCpu = {};
  const cpuTimers = [
    setTimeout(() => (routerCpu.from = cpuSeconds(router.child.pid)), settings.warmupMs),
    setTimeout(() => (routerCpu.to = cpuSeconds(router.child.pid)), settings.warmupMs + settings.durationMs),
  ];
  const acks = [];
  let published = 0;
  let publishErrors = 0;
  while (published < total) {
    const due = Math.min(total, Math.floor(((now() - started) * settings.rate) / 1000));
    for (; published < due; published++) {
      const t0 = now();
      const unix = Math.floor(t0 / 1000);
      const event = {
        ID: 'BENCH',
        Principal: 'BENCH',
        Description: `bench event ${published}`,
        Event: 'ZONE_CREATED',
        RoutingKey: 'matrix.BENCH.scgrids.ZONE_CREATED.NORMAL',
        RoutingKeyS: ['matrix', 'BENCH', 'scgrids', 'ZONE_CREATED', 'NORMAL'],
        Module: 'scgrids',
        Status: 'NORMAL',
        Time: `scgrids#${unix}`,
        UnixTime: String(unix),
        UnixTimeInt: unix,
        Meta: { N: published, T0: t0 },
      };
      acks.push(
        js
          .publish(`${namespace}.matrix.BENCH.scgrids.ZONE_CREATED.NORMAL`, JSON.stringify(event), {
            msgID: `bench:${id}:${published}`,
          })
          .catch(() => publishErrors++),
      );
    }
    if (acks.length > 2000) await Promise.all(acks.splice(0));
    await sleep(5);
  }
  await Promise.all(acks);
  const publishSeconds = (now() - started) / 1000;
  const expected = published * settings.endpoints;
  log(`published ${published} in ${publishSeconds.toFixed(1)} s; waiting for the backlog to drain…`);
  const stoppedAt = now();
  while (stats.received < expected && now() - stoppedAt < 60_000) await sleep(20);
  const drainMs = now() - stoppedAt;
  clearInterval(sampler);
  cpuTimers.forEach(clearTimeout);
  await sample();
  sub.unsubscribe();

  const measuredSeconds = settings.durationMs / 1000;
  const report = {
    date: new Date().toISOString(),
    commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim(),
    machine: machine({ pin }),
    settings,
    published,
    publishErrors,
    publishRate: published / publishSeconds,
    expected,
    received: stats.received,
    duplicates: stats.duplicates,
    posts: stats.posts,
    delivered: percentiles(stats.latencies),
    deliveredPerSecond: stats.latencies.length / measuredSeconds,
    floor: percentiles(floor.latencies),
    floorReceived: floor.received,
    drainMs,
    // µs of event-router CPU per delivered event (published events × endpoints) in the measured window.
    routerCpuUsPerDelivery:
      ((routerCpu.to - routerCpu.from) * 1e6) / (settings.rate * measuredSeconds * settings.endpoints),
    routerCpuPercent: ((routerCpu.to - routerCpu.from) * 100) / measuredSeconds,
    samples,
    load: { before: loadBefore, after: os.loadavg()[0] },
    otherBenchmarks: [...new Set([...others, ...otherBenchmarks()])],
  };
  if (flags.out) fs.writeFileSync(path.resolve(flags.out), `${JSON.stringify(report, null, 2)}\n`);
  const text = markdown(report);
  process.stdout.write(`${text}\n`);
  if (flags.docs) writeDocs(text);
  if (stats.received !== expected) {
    log(`ledger: ${expected} expected, ${stats.received} received`);
    process.exitCode = 1;
  }
}

const ms = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');

function markdown(r) {
  const s = r.settings;
  const steady = r.samples.filter((x) => x.t * 1000 >= s.warmupMs && x.t * 1000 <= s.warmupMs + s.durationMs);
  const backlog = (x) => x.consumer + x.queued;
  const third = Math.max(1, Math.floor(steady.length / 3));
  const avg = (xs) => (xs.length ? xs.reduce((a, x) => a + backlog(x), 0) / xs.length : NaN);
  return [
    MARK.start,
    '## Push delivery (issue #5)',
    '',
    `Run ${r.date.slice(0, 16).replace('T', ' ')} UTC at commit \`${r.commit}\`: \`npm run bench:delivery -- --duration ${s.durationMs / 1000}${s.rate !== 1000 ? ` --rate ${s.rate}` : ''}\`.`,
    `${s.rate} Matrix events/s published straight onto \`matrix.BENCH.scgrids.ZONE_CREATED.NORMAL\` (JetStream, pipelined acks) for`,
    `${s.warmupMs / 1000} s warm-up + ${s.durationMs / 1000} s measured; ${s.endpoints} subscriptions (patterns \`matrix.BENCH.#\` / \`matrix.*.scgrids.>\`),`,
    `each to its own local HTTP endpoint answering 200 at once; batches of at most ${s.maxSize} events, sent ${s.maxWaitMs} ms after the first`,
    `was queued at the latest. The built event-router bundle ${r.machine.pinned ? 'runs on CPU 0 (taskset); NATS, PostgreSQL and the bench process (publisher, endpoints, floor subscriber) are not pinned' : 'is not pinned'}.`,
    `Machine: ${r.machine.nproc} CPUs (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, kernel ${r.machine.kernel}; ` +
      `1-min load average ${r.load.before.toFixed(1)} before, ${r.load.after.toFixed(1)} after; ` +
      (r.otherBenchmarks.length
        ? `other benchmarks or tests running: ${r.otherBenchmarks.join('; ')}.`
        : 'no other benchmark or test process was seen.'),
    '',
    '| path | events | p50 ms | p90 ms | p99 ms | max ms | per second |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| publish → NATS core subscriber (floor) | ${r.floor.count} | ${ms(r.floor.p50)} | ${ms(r.floor.p90)} | ${ms(r.floor.p99)} | ${ms(r.floor.max)} | ${(r.floor.count / (s.durationMs / 1000)).toFixed(0)} |`,
    `| publish → HTTP receipt at ${s.endpoints} endpoints | ${r.delivered.count} | ${ms(r.delivered.p50)} | ${ms(r.delivered.p90)} | ${ms(r.delivered.p99)} | ${ms(r.delivered.max)} | ${r.deliveredPerSecond.toFixed(0)} |`,
    '',
    `Ledger: ${r.published} published (${r.publishRate.toFixed(0)}/s achieved, ${r.publishErrors} publish errors) × ${s.endpoints} = ${r.expected} expected, ` +
      `${r.received} received${r.received === r.expected ? ' (none missing)' : ` (**${r.expected - r.received} missing**)`}, ${r.duplicates} duplicates, in ${r.posts} POSTs ` +
      `(${(r.received / Math.max(1, r.posts)).toFixed(1)} events per POST). Drained ${ms(r.drainMs)} ms after the last publish. ` +
      `event-router CPU over the measured window: ${r.routerCpuPercent.toFixed(0)} % of one CPU, ${r.routerCpuUsPerDelivery.toFixed(1)} µs per delivered event.`,
    `Backlog (consumer pending + routed messages not yet in a batch), mean of the first vs the last third of the measured samples: ${avg(steady.slice(0, third)).toFixed(0)} → ${avg(steady.slice(-third)).toFixed(0)}; ` +
      `samples every 5 s: ${r.samples.map((x) => backlog(x)).join(', ')}.`,
    '',
    `Target: p99 < 250 ms and no backlog growth (everything received, drained within 1 s of the last publish) — ${r.delivered.p99 < 250 && r.received === r.expected && r.drainMs < 1000 ? 'met' : '**not met**'} in this run.`,
    MARK.end,
  ].join('\n');
}

function writeDocs(section) {
  const text = fs.readFileSync(DOCS, 'utf8');
  const start = text.indexOf(MARK.start);
  const end = text.indexOf(MARK.end);
  const next =
    start >= 0 && end > start
      ? `${text.slice(0, start)}${section}${text.slice(end + MARK.end.length)}`
      : `${text.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(DOCS, next);
  log(`wrote the push delivery section of ${path.relative(ROOT, DOCS)}`);
}

main()
  .catch((error) => {
    log(error.stack ?? String(error));
    process.exitCode = 1;
  })
  .finally(() => cleanup());
