// Ingest benchmark (issue #4): sustained end-to-end throughput from `POST /v1/sensor-data` (batches of
// 100 points, `Authorization: Bearer mik_…`) through push-ingress → SENSOR_RAW → sensor-normaliser (enriched
// from DEVICE_SLOTS) → SENSOR_DATA → sql-projector to rows in `matrix.sensor_data`, with the raw ceilings
// measured in the same run:
//   1. JetStream publish, acks pipelined: one point per message (msgs/s) and 100 points per message;
//   2. PostgreSQL COPY of the same rows into a plain table shaped like matrix.sensor_data (rows/s);
//   3. a plain Node `http` server answering 202 to the same POSTs (requests/s);
//   4. end to end at saturation: `--concurrency` closed-loop clients for `--duration` s: points/s accepted,
//      rows/s landed in that window, the drain afterwards, CPU per process;
//   5. end to end at a fixed open-loop `--rate` (default 5,000 points/s = 50 POSTs/s): POST-to-row latency
//      per point (row.projected_at − the time its POST was sent) and HTTP latency.
//
//   node bench/ingest/run.mjs [--duration 30] [--warmup 5] [--concurrency 32] [--keys 8] [--slots 2000]
//                             [--rate 5000] [--latency-duration 30] [--ceiling-duration 10]
//                             [--copy-rows 300000] [--no-build] [--out results.json] [--load-cpu 1]
//                             [--ingest-auth required|disabled] [--quiet-below 25] [--quiet-wait 120]
//                             [--service-node-args='--cpu-prof --cpu-prof-dir=tmp/prof']
//                             [--solutions [--probe-rate 10]] [--replicas 1] [--spread-keys]
//   npm run bench:ingest
//
// Builds the three services and matrix-cli (tools/esbuild/build.mjs), finds or starts NATS and PostgreSQL
// (tools/infra/infra.mjs, test mode), creates a throwaway database and NATS namespace, provisions and
// migrates, seeds `--slots` device slots (DEVICE_SLOTS) of one building and `--keys` ingest keys of it
// (INGEST_KEYS), measures, and removes everything again, also on failure or Ctrl-C; the whole run is
// bounded to 30 minutes. The load generator (load.mjs) and the ceilings (ceilings.mjs) run as their own
// processes; nothing is pinned unless `--load-cpu` is given (the pipeline is five processes that need
// both CPUs). On a shared machine each phase first waits (up to --quiet-wait s) until the machine is less
// than --quiet-below % busy, and CPU use per process is recorded over each measured window, other
// processes included. Everything listens on and is sent to 127.0.0.1 only. Before and after each end-to-end
// phase the run reads sensor-normaliser's `matrix_consumer_batch_messages` histogram (/metrics), for the
// mean batch size per consumer over the phase.
//
// --replicas N (issue #18; default 1, which is the run described above): N processes each of push-ingress,
// sensor-normaliser and sql-projector, each on its own port; the load generator sends its requests to the N
// push-ingress ports in turn (one request each), and the CPU of each app is the sum over its processes (each
// process's share is kept too). With N > 1 the run waits, before measuring, until the normaliser replicas
// have shared out the SENSOR_RAW partitions (each holds its fair share of leases in CONSUMER_LEASES) and
// records that split before and after the saturation phase. The exactly-once check is unchanged.
//
// --spread-keys (off by default): push-ingress publishes a batch on its ingest key's lane, and a lane goes to
// one of the SENSOR_RAW partitions by a hash of the key id, so the --keys random keys fill the partitions
// unevenly (8 keys over 8 partitions: about 5 partitions get any traffic, one may get three keys' worth), and
// differently in every run. With the flag, the key ids are drawn so that key i falls in partition i mod the
// partitions (8 keys: one each), and the run fails when a partition durable got no batch. No effect on code
// from before partitions.
//
// --solutions (issue #14; off by default, and without it the run is as described above): incident-service
// is built and migrated too and runs beside the pipeline; its durable consumer incident-service-sensor-data
// takes all of sensor.data.> and raises incidents from the slot types its solutions watch. The points are
// the `solutions` mix of points.mjs (every watched slot type, with values that cross the rules' lines now
// and then) and the bench building is put in PRINCIPALS (incident-service needs its organisation).
//   - Saturation is measured three times, in the order A1, B, A2 — A without incident-service consuming
//     (the service stopped and its consumer deleted, so no backlog builds up for B), B with it (the
//     consumer re-created at the end of SENSOR_DATA, the service started). B ÷ mean(A1, A2) of the rows
//     landed per second is the figure of issue #14 (target ≥ 0.9); A-B-A cancels a drift linear in time.
//     After B the run waits (up to 5 min) until incident-service has caught up before stopping it.
//   - The --rate open loop then runs with incident-service consuming (consumer re-created at the end
//     again). About --probe-rate requests a second carry, as their last point, the one reading of a probe
//     (a people counter alone in its own zone, count 30 = the default usage threshold): exactly that
//     reading crosses a line, so the INCIDENT_CREATED(_OPEN) event the run receives on
//     <ns>.matrix.*.scworkforcemanagement.> naming that device (Meta.SourceDeviceIdentifier) gives the
//     latency from the POST's send time to the incident event (p50/p95/p99 of the probes sent in the
//     window; target p99 < 1 s), and every accepted probe must have raised exactly one incident.
//   The figures go to the results (--out, key `solutions`) and a "Solutions" markdown block for
//   docs/benchmarks.md is printed after the usual one. The run is then bounded to 45 minutes.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DeliverPolicy, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import {
  cleanupOnExit,
  log,
  nodeProcesses,
  sleep,
  tail,
  tasksetAvailable,
  throwawayInfra,
  waitReady,
} from '../lib/harness.mjs';
import { freePort } from '../../tools/infra/infra.mjs';
import {
  pointRenderer,
  probeAlias,
  probeEntry,
  probeOfRequest,
  PROBE_COUNT,
  slotTypesOf,
} from './points.mjs';
import { seedBenchBuilding } from './seed.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HERE = path.dirname(fileURLToPath(import.meta.url));
const SERVICES = ['sql-projector', 'sensor-normaliser', 'push-ingress'];
const bundle = (app) => path.join(ROOT, 'dist/apps', app, 'main.cjs');
/** incident-service (--solutions) and its consumer on SENSOR_DATA. */
const INCIDENTS = 'incident-service';
const SOLUTIONS_DURABLE = 'incident-service-sensor-data';
/** The events of a new incident (apps/incident-service/src/incidents/incidents.repository.ts EVENT_OF). */
const CREATION_EVENTS = new Set(['INCIDENT_CREATED_OPEN', 'INCIDENT_CREATED']);
/** After the latency phase drained, how long to wait for the probes' incident events, and then for duplicates. */
const PROBE_EVENT_WAIT_MS = 30_000;
const DUPLICATE_GRACE_MS = 2_000;
/** Longest wait for the pipeline to drain after a phase. */
const DRAIN_LIMIT_MS = 5 * 60_000;
const POINTS_PER_REQUEST = 100;

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '32' },
    keys: { type: 'string', default: '8' },
    slots: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '5000' },
    'latency-duration': { type: 'string' },
    'ceiling-duration': { type: 'string', default: '10' },
    'copy-rows': { type: 'string', default: '300000' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string' },
    'load-cpu': { type: 'string' },
    'ingest-auth': { type: 'string', default: 'required' },
    'service-node-args': { type: 'string', default: '' },
    'quiet-below': { type: 'string', default: '25' },
    'quiet-wait': { type: 'string', default: '120' },
    solutions: { type: 'boolean', default: false },
    'probe-rate': { type: 'string', default: '10' },
    replicas: { type: 'string', default: '1' },
    'spread-keys': { type: 'boolean', default: false },
  },
});
const whole = (name, min, max, value = flags[name]) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return number;
};
if (!['required', 'disabled'].includes(flags['ingest-auth'])) {
  throw new Error('--ingest-auth must be required or disabled');
}
const settings = {
  durationMs: whole('duration', 1, 300) * 1000,
  warmupMs: whole('warmup', 0, 60) * 1000,
  concurrency: whole('concurrency', 1, 512),
  keys: whole('keys', 1, 64),
  slots: whole('slots', slotTypesOf(flags.solutions ? 'solutions' : 'default').length, 100_000),
  rate: whole('rate', POINTS_PER_REQUEST, 1_000_000),
  latencyDurationMs: whole('latency-duration', 1, 300, flags['latency-duration'] ?? flags.duration) * 1000,
  ceilingDurationMs: whole('ceiling-duration', 1, 120) * 1000,
  copyRows: whole('copy-rows', 1000, 5_000_000),
  pointsPerRequest: POINTS_PER_REQUEST,
  ingestAuth: flags['ingest-auth'],
  quietBelow: whole('quiet-below', 1, 101),
  quietWaitMs: whole('quiet-wait', 0, 600) * 1000,
  loadCpu: flags['load-cpu'] === undefined ? undefined : whole('load-cpu', 0, os.availableParallelism() - 1),
  solutions: flags.solutions,
  mix: flags.solutions ? 'solutions' : 'default',
  probeRate: whole('probe-rate', 1, 1000),
  replicas: whole('replicas', 1, 8),
  spreadKeys: flags['spread-keys'],
};
/** The whole run, setup and cleanup included, is bounded by this. */
const HARD_LIMIT_MS = (settings.solutions ? 45 : 30) * 60_000;

/** Where the load generator's send logs go (removed at the end). */
let tempDir = os.tmpdir();

// ------------------------------------------------------------------------------------ cleanup

const { onCleanup, cleanup } = cleanupOnExit(HARD_LIMIT_MS);

// ------------------------------------------------------------------------------------ processes

const canPin = tasksetAvailable();
const { nodeCommand, startNode } = nodeProcesses({ pin: canPin, onCleanup });

/**
 * Runs a node script to completion; calls `onLine` with every stdout line and resolves with the last one,
 * rejects with its output on failure. `onStart` gets the child (its pid, for CPU accounting).
 */
function runNode(args, env, { timeoutMs = 120_000, cpu, onLine, onStart } = {}) {
  return new Promise((resolve, reject) => {
    const { command, args: argv } = nodeCommand(args, cpu);
    const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    onStart?.(child);
    const lines = [];
    let partial = '';
    const stderr = tail();
    child.stdout.on('data', (chunk) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        if (!line.trim()) continue;
        lines.push(line);
        onLine?.(line);
      }
    });
    child.stderr.on('data', stderr.push);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const kill = async () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL');
    onCleanup(`kill ${path.basename(args[0])}`, kill);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (partial.trim()) lines.push(partial);
      if (code === 0) resolve(lines[lines.length - 1] ?? '');
      else reject(new Error(`${args.join(' ').slice(0, 200)} exited ${signal ?? code}:\n${stderr.text()}`));
    });
  });
}

// ------------------------------------------------------------------------------------ HTTP

/** @returns {Promise<{ status: number, text: string }>} */
function request(port, method, urlPath, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(body);
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
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${urlPath}: no answer in 30 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

// ------------------------------------------------------------------------------------ CPU accounting

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** Name (comm) and utime + stime (all threads, clock ticks) of a process; undefined when it is gone. */
function processStat(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    return { name: stat.slice(stat.indexOf('(') + 1, close), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** `name`, or for an interpreter (`node tsc`, `node eslint`…) the name and its script's file name. */
function processLabel(pid, name) {
  if (name.startsWith('kworker')) return 'kworker (kernel)';
  if (!['node', 'npm', 'python3', 'sh', 'bash'].includes(name)) return name;
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const script = argv.slice(1).find((arg) => !arg.startsWith('-'));
    return script ? `${name} ${path.basename(script)}` : name;
  } catch {
    return name;
  }
}

/** Busy and total ticks of the whole machine (/proc/stat). */
function machineTicks() {
  const [, ...values] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/**
 * A snapshot of CPU ticks per process group: our services (one pid, or a list for the replicas of an app)
 * and load generator by pid, nats-server and
 * postgres processes by name, PostgreSQL backends of the bench database (pg_stat_activity) apart from
 * the rest of PostgreSQL (WAL writer, checkpointer, other databases), and every other process by name.
 */
async function cpuSnapshot(named, admin, dbName) {
  const backends = new Set(
    (await admin.query('select pid from pg_stat_activity where datname = $1', [dbName])).rows.map(
      (r) => r.pid,
    ),
  );
  backends.delete((await admin.query('select pg_backend_pid() as pid')).rows[0].pid);
  const byPid = new Map(
    Object.entries(named).flatMap(([group, pids]) => [pids].flat().map((pid) => [pid, group])),
  );
  const groups = {};
  const others = {};
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = processStat(pid);
    if (!stat) continue;
    const group =
      byPid.get(pid) ??
      (stat.name === 'nats-server'
        ? 'nats-server'
        : stat.name === 'postgres'
          ? backends.has(pid)
            ? 'postgres: bench db'
            : 'postgres: other'
          : undefined);
    if (group) (groups[group] ??= {})[pid] = stat.ticks;
    else others[pid] = stat;
  }
  return { at: Date.now(), machine: machineTicks(), groups, others };
}

/**
 * CPU use between two snapshots, in % of one CPU (top's convention: 2 CPUs = 200 %), per group, with the
 * busiest other processes by name (other work on a shared machine shows there).
 */
function cpuBetween(a, b) {
  const replicated = new Set(
    settings.replicas > 1 ? Object.keys(b.groups).filter((group) => SERVICES.includes(group)) : [],
  );
  const seconds = (b.at - a.at) / 1000;
  const percent = (ticks) => Math.round((ticks / CLK_TCK / seconds) * 1000) / 10;
  const shares = {};
  /** The share of each process of a group of several replicas (an app's, with --replicas > 1). */
  const replicaShares = {};
  let accounted = 0;
  for (const [group, pids] of Object.entries(b.groups)) {
    let ticks = 0;
    for (const [pid, end] of Object.entries(pids)) {
      const used = end - (a.groups[group]?.[pid] ?? end);
      ticks += used;
      if (replicated.has(group)) (replicaShares[group] ??= {})[pid] = percent(used);
    }
    shares[group] = percent(ticks);
    accounted += ticks;
  }
  const otherTicks = {};
  for (const [pid, { name, ticks }] of Object.entries(b.others)) {
    // Kernel threads rename themselves (kworker/0:2-events → …-writeback): match by pid; a pid that was
    // reused since (fewer ticks than before) started inside the window.
    const earlier = a.others[pid]?.ticks ?? 0;
    const used = ticks >= earlier ? ticks - earlier : ticks;
    if (used <= 0) continue;
    const label = processLabel(pid, name);
    otherTicks[label] = (otherTicks[label] ?? 0) + used;
  }
  const busy = b.machine.busy - a.machine.busy;
  const total = b.machine.total - a.machine.total;
  shares['everything else'] = percent(Math.max(0, busy - accounted));
  return {
    seconds: Math.round(seconds * 10) / 10,
    percentOfOneCpu: shares,
    busiestOthers: Object.fromEntries(
      Object.entries(otherTicks)
        .filter(([, ticks]) => ticks > 0)
        .sort((x, y) => y[1] - x[1])
        .slice(0, 6)
        .map(([name, ticks]) => [name, percent(ticks)]),
    ),
    machineBusyPercent: Math.round((busy / total) * 1000) / 10,
    ...(Object.keys(replicaShares).length > 0 ? { perReplica: replicaShares } : {}),
  };
}

/** CHECKPOINT, when the bench's role may (superuser or pg_checkpoint); otherwise says so and goes on. */
async function checkpoint(db) {
  try {
    await db.query('checkpoint');
  } catch (error) {
    log(`no checkpoint before the phase (${error.message}): WAL checkpoints may fall inside a window`);
  }
}

/**
 * On a shared machine, waits (up to `waitMs`) until the whole machine is less than `belowPercent` busy
 * over a second, so a phase does not start in the middle of someone else's build. Returns the last
 * reading and how long it waited.
 */
async function waitQuiet(belowPercent, waitMs) {
  const started = Date.now();
  for (;;) {
    const a = machineTicks();
    await sleep(1000);
    const b = machineTicks();
    const busy = Math.round(((b.busy - a.busy) / (b.total - a.total)) * 1000) / 10;
    const waited = Math.round((Date.now() - started) / 100) / 10;
    if (busy < belowPercent) return { busyPercent: busy, waitedSeconds: waited, quiet: true };
    if (Date.now() - started >= waitMs) {
      log(`the machine is still ${busy} % busy after ${waited} s; measuring anyway`);
      return { busyPercent: busy, waitedSeconds: waited, quiet: false };
    }
  }
}

// ------------------------------------------------------------------------------------ machine

function machine(natsVersion, postgresVersion) {
  const lscpu = spawnSync('lscpu', { encoding: 'utf8' });
  return {
    nproc: os.availableParallelism(),
    lscpu: lscpu.status === 0 ? lscpu.stdout.split('\n').slice(0, 10).join('\n') : '(lscpu not available)',
    cpuModel: os.cpus()[0]?.model ?? '?',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    kernel: os.release(),
    natsServer: natsVersion,
    postgres: postgresVersion,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

// ------------------------------------------------------------------------------------ statistics

const round = (x, digits = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : null);
function percentiles(sorted) {
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  if (sorted.length === 0) return { count: 0 };
  return {
    count: sorted.length,
    p50: round(at(0.5), 1),
    p95: round(at(0.95), 1),
    p99: round(at(0.99), 1),
    max: round(sorted[sorted.length - 1], 1),
  };
}

// ------------------------------------------------------------------------------------ the run

async function main() {
  const { dbName, namespace, nats, databaseUrl, env } = await throwawayInfra({
    name: 'ingest',
    ns: 'in',
    apps: [...SERVICES, ...(settings.solutions ? [INCIDENTS] : []), 'matrix-cli'],
    build: !flags['no-build'],
    onCleanup,
  });
  const ns = {
    subject: (s) => `${namespace}.${s}`,
    stream: (s) => `${namespace.toUpperCase()}_${s}`,
    durable: (s) => `${namespace}-${s}`,
  };
  await runNode([bundle('matrix-cli'), 'provision'], env);
  await runNode([bundle('sql-projector'), 'migrate'], env);
  if (settings.solutions) await runNode([bundle(INCIDENTS), 'migrate'], env);

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  onCleanup('close the database connection', () => db.end());
  const nc = await connect({ servers: nats.url.split(','), name: 'bench-ingest', timeout: 5000 });
  onCleanup('close the NATS connection', () => nc.drain());
  const jsm = await jetstreamManager(nc);
  /** The partition durables of SENSOR_RAW (sensor-normaliser-raw-p<k>; none before partitions, commit 28ad8aa). */
  const partitionDurables = await durablesOf(
    jsm,
    ns.stream('SENSOR_RAW'),
    `${ns.durable('sensor-normaliser-raw')}-p`,
  );
  const natsVersion = nc.info?.version ?? '?';
  const postgresVersion = (await db.query('show server_version')).rows[0].server_version;

  // Seed: one building of `slots` device slots (DEVICE_SLOTS) and `keys` ingest keys of it (INGEST_KEYS);
  // --spread-keys: key i's lane in partition i.
  const spread = settings.spreadKeys ? partitionDurables.length : 0;
  const { building, keys } = await seedBenchBuilding(nc, ns, {
    slots: settings.slots,
    keys: settings.keys,
    mix: settings.mix,
    spread,
  });
  const kvm = new Kvm(nc);
  log(
    `seeded ${settings.slots} device slots (${slotTypesOf(settings.mix).join(', ')}) and ${settings.keys} ingest key(s)`,
  );

  // --solutions: the probes of the latency phase (one slot each), the building in PRINCIPALS, the
  // consumer deleted until B, and the incident events received from now on.
  const requestRate = settings.rate / POINTS_PER_REQUEST;
  const probeEvery = Math.max(1, Math.round(requestRate / settings.probeRate));
  const probes = settings.solutions
    ? {
        first: 0,
        every: probeEvery,
        count:
          Math.floor(Math.ceil(((2000 + settings.latencyDurationMs) / 1000) * requestRate) / probeEvery) + 1,
      }
    : undefined;
  /** @type {{ at: number, event: string, taskId?: string, devices: string[], name?: string }[]} */
  const incidentEvents = [];
  let solutionsConsumer;
  if (settings.solutions) {
    for (let from = 0; from < probes.count; from += 500) {
      const puts = [];
      for (let k = from; k < Math.min(probes.count, from + 500); k++) {
        const entry = probeEntry(k, building);
        puts.push(slotsKv.put(entry.Alias, JSON.stringify(entry)));
      }
      await Promise.all(puts);
    }
    const principals = await kvm.open(ns.stream('PRINCIPALS'));
    await principals.put(
      building.pid,
      JSON.stringify({ type: 'building', org: building.org, property: building.propId }),
    );
    solutionsConsumer = await consumerControl(jsm, ns.stream('SENSOR_DATA'), ns.durable(SOLUTIONS_DURABLE));
    await solutionsConsumer.remove();
    const uncovered = watchedSlotTypes().filter((type) => !slotTypesOf('solutions').includes(type));
    if (uncovered.length > 0) log(`the solutions mix has no points of ${uncovered.join(', ')}, watched now`);
    const decoder = new TextDecoder();
    nc.subscribe(ns.subject('matrix.*.scworkforcemanagement.>'), {
      callback: (error, message) => {
        if (error) return;
        const at = performance.timeOrigin + performance.now();
        try {
          const event = JSON.parse(decoder.decode(message.data));
          incidentEvents.push({
            at,
            event: event.Event,
            taskId: event.Meta?.TaskId,
            devices: Array.isArray(event.Meta?.SourceDeviceIdentifier)
              ? event.Meta.SourceDeviceIdentifier
              : [],
            name: event.Meta?.Name,
          });
        } catch {
          incidentEvents.push({ at, event: 'unparsable', devices: [] });
        }
      },
    });
    log(
      `seeded ${probes.count} probe slots (one every ${probeEvery} POSTs of the latency phase) and the building in PRINCIPALS`,
    );
  }

  // Every point of the run has its own seq; unixT = unixBase + seq (an hour ago onwards).
  const unixBase = Date.now() - 3_600_000;
  let nextSeq = 0;
  const takeSeq = (used) => {
    const first = nextSeq;
    nextSeq += used + 1_000;
    return first;
  };
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matrix-bench-ingest-'));
  onCleanup('remove temp files', async () => fs.rmSync(tempDir, { recursive: true, force: true }));
  const ceilingLimit = settings.ceilingDurationMs + 180_000;
  const common = { slots: settings.slots, unixBase, mix: settings.mix };
  /** Runs a ceiling after waiting for a quiet machine; notes how busy the machine was meanwhile. */
  const ceiling = async (run) => {
    const before = await waitQuiet(settings.quietBelow, settings.quietWaitMs);
    const start = await cpuSnapshot({ 'bench (this process)': process.pid }, db, dbName);
    const result = await run();
    const { machineBusyPercent, busiestOthers } = cpuBetween(
      start,
      await cpuSnapshot({ 'bench (this process)': process.pid }, db, dbName),
    );
    return { ...result, machine: { before, busyPercentDuring: machineBusyPercent, busiestOthers } };
  };

  // 1. JetStream publish ceilings.
  const jetstreamCeilings = [];
  for (const [pointsPerMessage, window] of [
    [1, 256],
    [POINTS_PER_REQUEST, 32],
  ]) {
    log(`ceiling: JetStream publish, ${pointsPerMessage} point(s) per message, ${window} in flight…`);
    const result = await ceiling(async () =>
      JSON.parse(
        await runNode(
          [
            path.join(HERE, 'ceilings.mjs'),
            JSON.stringify({
              kind: 'jetstream',
              natsUrl: nats.url,
              stream: ns.stream(`BENCH_CEILING_${pointsPerMessage}`),
              subjectPrefix: ns.subject(`bench.ceiling${pointsPerMessage}`),
              pointsPerMessage,
              window,
              warmupMs: 2000,
              durationMs: settings.ceilingDurationMs,
              firstSeq: nextSeq,
              limitMs: ceilingLimit,
              ...common,
            }),
          ],
          { PATH: process.env.PATH },
          { timeoutMs: ceilingLimit },
        ),
      ),
    );
    takeSeq(result.seqUsed);
    jetstreamCeilings.push(result);
  }

  // 2. PostgreSQL COPY ceiling.
  log(`ceiling: PostgreSQL COPY of ${settings.copyRows} rows, 1 then 2 connections…`);
  const copyCeiling = await ceiling(async () =>
    JSON.parse(
      await runNode(
        [
          path.join(HERE, 'ceilings.mjs'),
          JSON.stringify({
            kind: 'copy',
            databaseUrl,
            table: 'bench_ceiling.sensor_data',
            rows: settings.copyRows,
            rowsPerStatement: 5000,
            connections: [1, 2],
            firstSeq: nextSeq,
            limitMs: ceilingLimit,
            ...building,
            ...common,
          }),
        ],
        { PATH: process.env.PATH },
        { timeoutMs: ceilingLimit },
      ),
    ),
  );
  takeSeq(copyCeiling.seqUsed);
  await db.query('drop schema if exists bench_ceiling cascade');

  // 3. Raw HTTP floor.
  const raw = startNode(
    'raw http server',
    [path.join(HERE, 'raw-server.mjs'), JSON.stringify({ pointsPerRequest: POINTS_PER_REQUEST })],
    { PATH: process.env.PATH },
  );
  const rawPort = await new Promise((resolve, reject) => {
    raw.child.stdout.on('data', (chunk) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    void raw.exited.then(() => reject(new Error(`raw server exited: ${raw.output.text()}`)));
  });
  log(
    `raw http floor: ${settings.concurrency} clients, 2 s warm-up + ${settings.ceilingDurationMs / 1000} s…`,
  );
  const rawHttp = await ceiling(() =>
    runLoad(rawPort, keys, {
      mode: 'closed',
      concurrency: settings.concurrency,
      warmupMs: 2000,
      durationMs: settings.ceilingDurationMs,
      firstSeq: nextSeq,
      expectStatus: 202,
      ...common,
    }),
  );
  takeSeq(rawHttp.load.seqUsed);
  await raw.stop();

  // The pipeline.
  /** The first (with --replicas 1 the only) process of each app, and every replica of it. */
  const services = {};
  const replicas = {};
  const nodeArgs = flags['service-node-args'].split(' ').filter(Boolean);
  for (const app of SERVICES) {
    replicas[app] = [];
    for (let i = 0; i < settings.replicas; i++) {
      const port = await freePort();
      const name = settings.replicas > 1 ? `${app} #${i + 1}` : app;
      const service = startNode(name, [...nodeArgs, bundle(app)], {
        ...env,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(port),
        ...(app === 'push-ingress' ? { INGEST_AUTH: settings.ingestAuth } : {}),
      });
      await waitReady(port, service);
      replicas[app].push({ ...service, port });
    }
    services[app] = replicas[app][0];
  }
  const ingressPort = services['push-ingress'].port;
  /** Where the load goes: the one push-ingress port, or (--replicas > 1) all of them, one request each in turn. */
  const ingressTarget =
    settings.replicas > 1 ? replicas['push-ingress'].map((service) => service.port) : ingressPort;
  log(
    `services ready: ${SERVICES.map((app) => `${app} :${replicas[app].map((service) => service.port).join(' :')}`).join(', ')}`,
  );
  /** The partition durables of SENSOR_RAW (sensor-normaliser-raw-p<k>; none before partitions, commit 28ad8aa). */
  const drainConsumers = [
    [ns.stream('SENSOR_RAW'), ns.durable('sensor-normaliser-raw')],
    ...partitionDurables.map((durable) => [ns.stream('SENSOR_RAW'), durable]),
    [ns.stream('SENSOR_DATA'), ns.durable('sql-projector-sensor-data')],
  ];
  /** --replicas > 1: which normaliser replica holds which partition (CONSUMER_LEASES). */
  const leases =
    settings.replicas > 1 && partitionDurables.length > 0
      ? await kvm.open(ns.stream('CONSUMER_LEASES'))
      : undefined;
  const split = () =>
    partitionSplit(
      leases,
      replicas['sensor-normaliser'].map((service) => service.child.pid),
      partitionDurables.length,
    );
  let splitBefore;
  if (leases) {
    splitBefore = await waitBalanced(split, settings.replicas);
    log(`SENSOR_RAW partitions by normaliser replica: ${splitText(splitBefore)}`);
  }

  // push-ingress must be checking the keys: a batch without one is refused (INGEST_AUTH=required).
  const unauthenticated = (
    await request(ingressPort, 'POST', '/v1/sensor-data', {
      body: pointRenderer(settings.slots, unixBase, settings.mix).batch(takeSeq(1), 1),
    })
  ).status;
  if (settings.ingestAuth === 'required' && unauthenticated !== 401) {
    throw new Error(`a batch without an ingest key answered ${unauthenticated}, not 401: is auth on?`);
  }

  // A first batch through the whole pipeline, so a broken setup fails here with a reason.
  {
    const firstSeq = takeSeq(POINTS_PER_REQUEST);
    const res = await request(ingressPort, 'POST', '/v1/sensor-data', {
      headers: { authorization: `Bearer ${keys[0]}` },
      body: pointRenderer(settings.slots, unixBase, settings.mix).batch(firstSeq, POINTS_PER_REQUEST),
    });
    if (res.status !== 202)
      throw new Error(`the first POST answered ${res.status}: ${res.text.slice(0, 500)}`);
    const until = Date.now() + 30_000;
    for (;;) {
      const rows = await countRows(db, unixBase + firstSeq, unixBase + firstSeq + POINTS_PER_REQUEST);
      if (rows === POINTS_PER_REQUEST) break;
      if (Date.now() > until) {
        throw new Error(
          `the first batch did not land (${rows}/${POINTS_PER_REQUEST} rows after 30 s); rejected: ${await rejectedSummary(jsm, ns)}`,
        );
      }
      await sleep(200);
    }
    log('a first batch went through the pipeline');
  }

  // --solutions: incident-service, started with its consumer re-created at the end of SENSOR_DATA (so it
  // takes only what is published from then on), stopped once it has caught up, its consumer deleted.
  //
  // Its clock is set to the readings' time. A point's unixT is unixBase + seq (one millisecond a point,
  // the ceilings included), so at these rates the readings' time runs 5–30× faster than the wall clock and
  // soon stands hours ahead of it, and the solutions apply no reading stamped more than 5 minutes ahead of
  // their clock (and raise nothing for one over an hour behind it: docs/solutions.md). The service starts
  // with CLOCK_CONTROL=on and is moved (workforce.clock.advance.v1) to a minute past the last reading the
  // coming phase can send (`points`, counted generously), so every reading of the phase is in its past and
  // less than an hour behind it — a replay of recorded data in its own time.
  let incidents;
  /** How far incident-service's clock stands ahead of the wall clock (ms, about). */
  let clockOffsetMs = 0;
  const startSolutions = async (points) => {
    await solutionsConsumer.add();
    const port = await freePort();
    const service = startNode(INCIDENTS, [...nodeArgs, bundle(INCIDENTS)], {
      ...env,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      CLOCK_CONTROL: 'on',
    });
    await waitReady(port, service);
    incidents = { ...service, port };
    const lastReading = unixBase + nextSeq + points;
    const seconds = Math.ceil((lastReading + 60_000 - Date.now()) / 1000);
    if (seconds > 0) {
      const reply = await nc.request(ns.subject('workforce.clock.advance.v1'), JSON.stringify({ seconds }), {
        timeout: 5000,
      });
      const now = reply.json().data?.now;
      if (!now) throw new Error(`${INCIDENTS} did not move its clock: ${reply.string()}`);
      clockOffsetMs = Date.parse(now) - Date.now();
      log(`${INCIDENTS}'s clock moved ${seconds} s ahead, to ${now}`);
    }
    log(`${INCIDENTS} ready on :${port}, consuming ${ns.durable(SOLUTIONS_DURABLE)}`);
  };
  const stopSolutions = async () => {
    await incidents?.stop();
    // What it logged (LOG_LEVEL=warn: its warnings and errors, e.g. a failed write of the solutions), last 4 kB.
    const logged = incidents?.output.text();
    if (logged) log(`${INCIDENTS} logged (last 4 kB):\n${logged}`);
    incidents = undefined;
    await solutionsConsumer.remove();
  };

  const named = () => ({
    ...Object.fromEntries(
      SERVICES.map((app) => [
        app,
        settings.replicas > 1 ? replicas[app].map((service) => service.child.pid) : services[app].child.pid,
      ]),
    ),
    ...(incidents ? { [INCIDENTS]: incidents.child.pid } : {}),
    'bench (this process)': process.pid,
  });
  const phase = async (name, load) => {
    const firstSeq = nextSeq;
    let startSnapshot;
    let cpu;
    let loadPid;
    const pending = [];
    // Every phase starts right after a checkpoint: a saturation window writes ~0.5 GB of WAL, so without
    // it a checkpoint forced by max_wal_size (its writes and the full-page images after it) fell inside
    // some windows and not others (PostgreSQL's log showed three in one series of runs).
    await checkpoint(db);
    const before = await waitQuiet(settings.quietBelow, settings.quietWaitMs);
    const eventsBefore = incidentEvents.length;
    const solutionsOn = incidents !== undefined;
    const batchesBefore = await batchCounts(replicas);
    const result = await runLoad(
      ingressTarget,
      keys,
      { ...load, firstSeq, expectStatus: 202, ...common },
      {
        onStart: (child) => (loadPid = child.pid),
        onEvent: (event) => {
          const ids = { ...named(), 'load generator': loadPid };
          if (event.event === 'window-start') {
            pending.push(cpuSnapshot(ids, db, dbName).then((s) => (startSnapshot = s)));
          } else if (event.event === 'window-end') {
            pending.push(
              Promise.all([...pending]).then(async () => {
                cpu = cpuBetween(startSnapshot, await cpuSnapshot(ids, db, dbName));
              }),
            );
          }
        },
      },
    );
    await Promise.all(pending);
    takeSeq(result.load.seqUsed);
    log(`${name}: load done (${result.load.pointsPerSecond} points/s accepted); waiting for the drain…`);
    const drain = await waitDrained(
      jsm,
      drainConsumers,
      db,
      unixBase + firstSeq,
      unixBase + firstSeq + result.load.seqUsed,
      {
        expected: result.load.acceptedPoints,
      },
    );
    const batches = batchesBetween(batchesBefore, await batchCounts(replicas));
    const analysis = await analyse(db, unixBase, result, drain);
    const solutions = solutionsOn
      ? {
          consuming: true,
          caughtUp: await waitCaughtUp(
            jsm,
            ns.stream('SENSOR_DATA'),
            ns.durable(SOLUTIONS_DURABLE),
            result.load.finishedAt,
          ),
        }
      : { consuming: false };
    solutions.incidentEvents = countEvents(incidentEvents.slice(eventsBefore));
    return {
      name,
      settings: load,
      load: result.load,
      sendLog: result.sendLog,
      machineBefore: before,
      cpu,
      drain,
      batches,
      solutions,
      ...analysis,
    };
  };

  // 4. End to end at saturation (with --solutions: A1, B, A2).
  const saturationLoad = {
    mode: 'closed',
    concurrency: settings.concurrency,
    warmupMs: settings.warmupMs,
    durationMs: settings.durationMs,
  };
  const saturationLog = (label) =>
    log(
      `end to end, saturation${label}: ${settings.concurrency} clients, ${settings.warmupMs / 1000} s warm-up + ${settings.durationMs / 1000} s…`,
    );
  saturationLog(settings.solutions ? ' A1 (incident-service not consuming)' : '');
  const saturation = await phase(settings.solutions ? 'saturation A1' : 'saturation', saturationLoad);
  const splitAfter = leases ? await split() : undefined;
  if (splitAfter) log(`SENSOR_RAW partitions after the saturation phase: ${splitText(splitAfter)}`);
  let saturationB;
  let saturationA2;
  // Generously: twice A1's accepted rate over warm-up, window and a tail.
  const saturationPoints = Math.ceil(
    2 * saturation.load.pointsPerSecond * ((settings.warmupMs + settings.durationMs) / 1000 + 10),
  );
  if (settings.solutions) {
    await startSolutions(saturationPoints);
    saturationLog(' B (incident-service consuming)');
    saturationB = await phase('saturation B', saturationLoad);
    await stopSolutions();
    saturationLog(' A2 (incident-service not consuming)');
    saturationA2 = await phase('saturation A2', saturationLoad);
    await startSolutions(Math.ceil(settings.rate * (settings.latencyDurationMs / 1000 + 12)));
  }

  // 5. End to end at a fixed rate (with --solutions: incident-service consuming, probes in the load).
  log(
    `end to end, latency: ${settings.rate} points/s (${requestRate} POSTs/s), 2 s warm-up + ${settings.latencyDurationMs / 1000} s` +
      `${settings.solutions ? `, incident-service consuming, ${round(requestRate / probeEvery, 1)} probes/s` : ''}…`,
  );
  const latency = await phase('latency', {
    mode: 'open',
    rate: requestRate,
    warmupMs: 2000,
    durationMs: settings.latencyDurationMs,
    ...(probes ? { probes } : {}),
  });

  let solutions;
  if (settings.solutions) {
    const probeReport = await probeIncidents(db, latency, probes, incidentEvents, clockOffsetMs);
    latency.solutions.incidentEvents = countEvents(
      incidentEvents.filter((e) => e.at >= latency.load.windowStart - 2000),
    );
    await stopSolutions();
    const database = (
      await db.query(
        `select count(*) as incidents,
                count(*) filter (where exists (select 1 from unnest(source_device_ids) d where d like 'bench-probe-%')) as probe_incidents,
                count(distinct task_id) as distinct_tasks
           from workforce.incidents`,
      )
    ).rows[0];
    const a = [saturation.rowsPerSecond, saturationA2.rowsPerSecond];
    const meanA = (a[0] + a[1]) / 2;
    solutions = {
      order: ['A1 (incident-service not consuming)', 'B (consuming)', 'A2 (not consuming)'],
      saturation: { A1: saturation, B: saturationB, A2: saturationA2 },
      ratio: {
        rowsPerSecondBToMeanA: round(saturationB.rowsPerSecond / meanA, 3),
        rowsPerSecondBToA1: round(saturationB.rowsPerSecond / a[0], 3),
        rowsPerSecondBToA2: round(saturationB.rowsPerSecond / a[1], 3),
        acceptedBToMeanA: round(
          saturationB.acceptedPointsPerSecond /
            ((saturation.acceptedPointsPerSecond + saturationA2.acceptedPointsPerSecond) / 2),
          3,
        ),
        target: 0.9,
      },
      probes: probeReport,
      database: {
        incidents: Number(database.incidents),
        probeIncidents: Number(database.probe_incidents),
        distinctTasks: Number(database.distinct_tasks),
        createdEventsReceived: new Set(
          incidentEvents.filter((e) => CREATION_EVENTS.has(e.event)).map((e) => e.taskId),
        ).size,
      },
      uncoveredSlotTypes: watchedSlotTypes().filter((type) => !slotTypesOf('solutions').includes(type)),
    };
    solutions.targets = {
      throughput: solutions.ratio.rowsPerSecondBToMeanA >= 0.9,
      latencyP99: (probeReport.postToIncidentEventMs.p99 ?? Infinity) < 1000,
      exactlyOne: probeReport.lost === 0 && probeReport.duplicated === 0 && probeReport.exactlyOne > 0,
    };
  }

  // Nothing lost, nothing refused, nothing twice.
  const phases = [saturation, saturationB, saturationA2, latency].filter(Boolean);
  for (const p of phases) delete p.sendLog;
  const totals = {
    rows: Number((await db.query('select count(*) as n from matrix.sensor_data')).rows[0].n),
    distinctUnixT: Number(
      (await db.query('select count(distinct unixt) as n from matrix.sensor_data')).rows[0].n,
    ),
    rejected: await streamMessages(jsm, ns.stream('SENSOR_REJECTED')),
    deadLettered: await streamMessages(jsm, ns.stream('DLQ')),
  };
  totals.expected = POINTS_PER_REQUEST + phases.reduce((sum, p) => sum + p.load.acceptedPoints, 0);

  for (const app of SERVICES.slice().reverse()) {
    await Promise.all(replicas[app].map((service) => service.stop()));
  }

  const report = {
    date: new Date().toISOString(),
    machine: machine(natsVersion, postgresVersion),
    settings,
    unauthenticatedPostStatus: unauthenticated,
    ceilings: {
      jetstream: jetstreamCeilings,
      copy: copyCeiling,
      rawHttp: { ...rawHttp.load, machine: rawHttp.machine },
    },
    saturation,
    latency,
    totals,
    ...(splitBefore
      ? { partitionSplit: { beforeSaturation: splitBefore, afterSaturation: splitAfter } }
      : {}),
    ...(solutions ? { solutions } : {}),
  };
  report.ratios = ratios(report);
  if (flags.out) {
    fs.mkdirSync(path.dirname(path.resolve(flags.out)), { recursive: true });
    fs.writeFileSync(path.resolve(flags.out), `${JSON.stringify(report, null, 2)}\n`);
  }
  process.stdout.write(`${markdown(report)}\n`);
  if (solutions) process.stdout.write(`\n${solutionsMarkdown(report)}\n`);

  const problems = [];
  if (spread > 0) {
    const worked = Object.keys(saturation.batches['sensor-normaliser']?.perConsumer ?? {}).length;
    const expected = Math.min(spread, settings.keys);
    if (worked !== expected) {
      problems.push(
        `--spread-keys: ${worked} partition durables got batches at saturation, not ${expected} (is the lane hash still FNV-1a of the key id?)`,
      );
    }
  }
  if (totals.rows !== totals.expected)
    problems.push(`${totals.rows} rows for ${totals.expected} accepted points`);
  if (totals.distinctUnixT !== totals.rows)
    problems.push(`${totals.rows - totals.distinctUnixT} duplicate rows`);
  if (totals.rejected + totals.deadLettered > 0) {
    problems.push(
      `${totals.rejected} rejected, ${totals.deadLettered} dead-lettered: ${await rejectedSummary(jsm, ns)}`,
    );
  }
  for (const r of [rawHttp.load, ...phases.map((p) => p.load)]) {
    if (r.errors > 0) problems.push(`${r.mode} load: ${JSON.stringify(r.errorKinds)}`);
  }
  if (solutions) {
    const p = solutions.probes;
    if (p.lost > 0) problems.push(`${p.lost} probe(s) raised no incident (${p.lostProbes.join(', ')})`);
    if (p.duplicated > 0) {
      problems.push(
        `${p.duplicated} probe(s) raised more than one incident (${p.duplicatedProbes.join(', ')})`,
      );
    }
    if (p.notAccepted > 0) problems.push(`${p.notAccepted} probe POST(s) not accepted`);
    for (const p of [saturationB, latency]) {
      if (!p.solutions.caughtUp.caughtUp) problems.push(`${INCIDENTS} had not caught up after ${p.name}`);
    }
    const missed = Object.entries(solutions.targets)
      .filter(([, met]) => !met)
      .map(([target]) => target);
    log(
      `issue #14 targets: B ÷ mean(A) ${solutions.ratio.rowsPerSecondBToMeanA} (≥ 0.9), ` +
        `POST-to-incident-event p99 ${p99Text(solutions.probes)} ms (< 1,000)` +
        (missed.length ? `; missed: ${missed.join(', ')}` : '; all met'),
    );
  }
  if (problems.length > 0) {
    log(`problems: ${problems.join('; ')}`);
    process.exitCode = 1;
  }
}

const p99Text = (probes) => probes.postToIncidentEventMs.p99 ?? '–';

/**
 * Deletes and re-creates a durable consumer as provisioned (its configuration read once, now), delivering
 * only what is published after it is created.
 */
async function consumerControl(jsm, stream, durable) {
  const { config } = await jsm.consumers.info(stream, durable);
  const keep = [
    'durable_name',
    'description',
    'ack_policy',
    'ack_wait',
    'max_deliver',
    'backoff',
    'max_ack_pending',
    'filter_subject',
    'replay_policy',
  ];
  const provisioned = Object.fromEntries(
    keep.filter((k) => config[k] !== undefined).map((k) => [k, config[k]]),
  );
  return {
    config: provisioned,
    remove: async () => {
      try {
        await jsm.consumers.delete(stream, durable);
      } catch (error) {
        if (!/not found/i.test(String(error?.message ?? error))) throw error;
      }
    },
    add: () => jsm.consumers.add(stream, { ...provisioned, deliver_policy: DeliverPolicy.New }),
  };
}

/** The slot types incident-service's solutions watch (RULES_OF_SLOT_TYPE, read from its source). */
function watchedSlotTypes() {
  const file = path.join(ROOT, 'apps/incident-service/src/solutions/solution-params.ts');
  try {
    const source = fs.readFileSync(file, 'utf8');
    const block = /RULES_OF_SLOT_TYPE[^=]*=\s*\{([\s\S]*?)\};/.exec(source)?.[1] ?? '';
    return [...block.matchAll(/^\s*([A-Z0-9_]+)\s*:/gm)].map((m) => m[1]);
  } catch {
    return [];
  }
}

/**
 * Waits (up to DRAIN_LIMIT_MS) until a consumer has nothing pending or unacknowledged; answers whether it
 * did and how long after `since` (the load's end, epoch ms) that was.
 */
async function waitCaughtUp(jsm, stream, durable, since) {
  const started = Date.now();
  for (;;) {
    const info = await jsm.consumers.info(stream, durable);
    const busy = info.num_pending + info.num_ack_pending;
    if (busy === 0) {
      return { caughtUp: true, secondsAfterLoadEnd: round((Date.now() - since) / 1000, 1) };
    }
    if (Date.now() - started > DRAIN_LIMIT_MS) {
      log(`${durable} has not caught up after ${DRAIN_LIMIT_MS / 1000} s: ${busy} messages pending`);
      return { caughtUp: false, pending: busy, secondsAfterLoadEnd: round((Date.now() - since) / 1000, 1) };
    }
    await sleep(busy > 0 ? 500 : 200);
  }
}

/** Incident events by event id, and the incidents created (distinct TaskId of creation events). */
function countEvents(events) {
  const byEvent = {};
  for (const e of events) byEvent[e.event] = (byEvent[e.event] ?? 0) + 1;
  const created = new Set(events.filter((e) => CREATION_EVENTS.has(e.event)).map((e) => e.taskId));
  return { byEvent, incidentsCreated: created.size };
}

/**
 * Waits (bounded) until every accepted probe of the latency phase has its incident event, then a moment
 * for duplicates, and answers per probe: its incidents (distinct TaskId of the creation events naming the
 * probe in Meta.SourceDeviceIdentifier) and, for the probes sent in the measured window, the time from its
 * POST's send time to the first such event; and, to tell where that time went, from the send time to the
 * probe's row (projected_at) and to the start of the incident-service batch that raised it (the incident's
 * created_on: the batch's clock reading).
 */
async function probeIncidents(db, latency, probes, events, clockOffsetMs = 0) {
  const send = JSON.parse(fs.readFileSync(latency.sendLog, 'utf8'));
  const window = { from: latency.load.windowStart, to: latency.load.windowEnd };
  /** @type {{ k: number, alias: string, sentAt: number, accepted: boolean }[]} */
  const sent = [];
  for (let index = 0; index < send.sendTimes.length; index++) {
    const k = probeOfRequest(index, probes);
    if (k === undefined) continue;
    sent.push({
      k,
      alias: probeAlias(k),
      sentAt: send.sendTimes[index],
      accepted: send.statuses[index] === 202,
    });
  }
  const creations = () => {
    const byDevice = new Map();
    for (const e of events) {
      if (!CREATION_EVENTS.has(e.event)) continue;
      for (const device of e.devices) {
        if (!byDevice.has(device)) byDevice.set(device, []);
        byDevice.get(device).push(e);
      }
    }
    return byDevice;
  };
  const accepted = sent.filter((p) => p.accepted);
  const until = Date.now() + PROBE_EVENT_WAIT_MS;
  for (;;) {
    const byDevice = creations();
    const waiting = accepted.filter((p) => !byDevice.has(p.alias)).length;
    if (waiting === 0) break;
    if (Date.now() > until) {
      log(`${waiting} probe(s) without an incident event ${PROBE_EVENT_WAIT_MS / 1000} s after the drain`);
      break;
    }
    await sleep(200);
  }
  await sleep(DUPLICATE_GRACE_MS);
  const byDevice = creations();
  const epochMs = async (sql) =>
    new Map(
      (await db.query({ text: sql, rowMode: 'array' })).rows.map(([device, at]) => [device, Number(at)]),
    );
  const rowAt = await epochMs(
    `select devid, extract(epoch from projected_at) * 1000 from matrix.sensor_data where devid like 'bench-probe-%'`,
  );
  const raisedAt = await epochMs(
    `select d, extract(epoch from min(created_on)) * 1000 from workforce.incidents, unnest(source_device_ids) d
      where d like 'bench-probe-%' group by d`,
  );
  const latencies = [];
  const toRow = [];
  const toRaise = [];
  const lostProbes = [];
  const duplicatedProbes = [];
  let exactlyOne = 0;
  let duplicateEvents = 0;
  for (const p of accepted) {
    const found = byDevice.get(p.alias) ?? [];
    const tasks = new Set(found.map((e) => e.taskId));
    if (tasks.size === 0) lostProbes.push(p.alias);
    else if (tasks.size > 1) duplicatedProbes.push(p.alias);
    else exactlyOne += 1;
    // An incident auto-assigned at creation announces itself twice (INCIDENT_CREATED_OPEN, INCIDENT_CREATED):
    // a duplicate event is the same event of the same incident received again.
    duplicateEvents += found.length - new Set(found.map((e) => `${e.taskId} ${e.event}`)).size;
    if (p.sentAt < window.from || p.sentAt >= window.to) continue;
    if (found.length > 0) latencies.push(Math.min(...found.map((e) => e.at)) - p.sentAt);
    if (rowAt.has(p.alias)) toRow.push(rowAt.get(p.alias) - p.sentAt);
    // created_on is on incident-service's clock, moved ahead by `clockOffsetMs` (startSolutions).
    if (raisedAt.has(p.alias)) toRaise.push(raisedAt.get(p.alias) - clockOffsetMs - p.sentAt);
  }
  for (const list of [latencies, toRow, toRaise]) list.sort((a, b) => a - b);
  return {
    readingCount: PROBE_COUNT,
    perSecond: round(probes.count > 0 ? latency.settings.rate / probes.every : 0, 2),
    sent: sent.length,
    notAccepted: sent.length - accepted.length,
    exactlyOne,
    lost: lostProbes.length,
    duplicated: duplicatedProbes.length,
    duplicateEvents,
    lostProbes: lostProbes.slice(0, 10),
    duplicatedProbes: duplicatedProbes.slice(0, 10),
    postToIncidentEventMs: percentiles(latencies),
    postToRowMs: percentiles(toRow),
    postToIncidentBatchStartMs: percentiles(toRaise),
    waitedForEventsMs: PROBE_EVENT_WAIT_MS,
    duplicateGraceMs: DUPLICATE_GRACE_MS,
  };
}

/**
 * Runs load.mjs against 127.0.0.1:port (or a list of ports, taken in turn per request); resolves with its
 * figures and the path of its send log.
 */
async function runLoad(port, keys, spec, { onStart, onEvent } = {}) {
  const sendLog = path.join(tempDir, `send-log-${Date.now()}-${randomBytes(3).toString('hex')}.json`);
  const full = {
    host: '127.0.0.1',
    ...(Array.isArray(port) ? { ports: port } : { port }),
    path: '/v1/sensor-data',
    keys,
    pointsPerRequest: POINTS_PER_REQUEST,
    timeoutMs: 30_000,
    sendLog,
    ...spec,
  };
  const limit = full.warmupMs + full.durationMs + 90_000;
  const last = await runNode(
    [path.join(HERE, 'load.mjs'), JSON.stringify(full)],
    { PATH: process.env.PATH },
    {
      timeoutMs: limit,
      cpu: settings.loadCpu,
      onStart,
      onLine: (line) => {
        if (line.startsWith('{"event"')) onEvent?.(JSON.parse(line));
      },
    },
  );
  return { load: JSON.parse(last), sendLog };
}

/** The durables of `stream` whose names start with `prefix`, sorted. */
async function durablesOf(jsm, stream, prefix) {
  const names = [];
  for await (const info of jsm.consumers.list(stream)) {
    if (info.name.startsWith(prefix)) names.push(info.name);
  }
  return names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * Who holds each SENSOR_RAW partition: the CONSUMER_LEASES keys `sensor-normaliser-raw.p<k>` hold the member
 * id `<host>-<pid>-<hex>` of a normaliser replica (libs/messaging/src/lib/partitions), mapped here to the
 * replica (#1…, in start order) by its pid.
 */
async function partitionSplit(kv, normaliserPids, partitions) {
  const byPartition = {};
  for (let k = 0; k < partitions; k++) {
    const entry = await kv.get(`sensor-normaliser-raw.p${k}`);
    if (!entry || entry.operation !== 'PUT') {
      byPartition[`p${k}`] = null;
      continue;
    }
    const member = entry.string();
    const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(member)?.[1]);
    const index = normaliserPids.indexOf(pid);
    byPartition[`p${k}`] = index >= 0 ? `#${index + 1}` : `other (${member})`;
  }
  const byReplica = {};
  for (const [partition, holder] of Object.entries(byPartition)) {
    (byReplica[holder ?? 'none'] ??= []).push(partition);
  }
  return { at: new Date().toISOString(), byPartition, byReplica };
}

const splitText = (split) =>
  Object.entries(split.byReplica)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([holder, partitions]) => `${holder} ${partitions.join(' ')}`)
    .join('; ');

/**
 * Waits (up to 90 s) until every partition is held and each of the `replicas` normaliser replicas holds its
 * fair share (the leases are renewed and shared out every 3 s; a partition given back may wait out the ack
 * wait first). Answers the split then, balanced or not (logged).
 */
async function waitBalanced(split, replicas) {
  const until = Date.now() + 90_000;
  for (;;) {
    const current = await split();
    const counts = Array.from({ length: replicas }, (_, i) => current.byReplica[`#${i + 1}`]?.length ?? 0);
    const partitions = Object.keys(current.byPartition).length;
    const share = Math.ceil(partitions / replicas);
    const held = counts.reduce((a, b) => a + b, 0);
    if (held === partitions && counts.every((count) => count <= share)) return current;
    if (Date.now() > until) {
      log(`the normaliser replicas had not shared out the partitions after 90 s: ${splitText(current)}`);
      return current;
    }
    await sleep(500);
  }
}

/**
 * The `matrix_consumer_batch_messages` histogram's sum and count per consumer, summed over the replicas of
 * sensor-normaliser and sql-projector (their /metrics on the HTTP port).
 */
async function batchCounts(replicas) {
  const counts = {};
  for (const app of ['sensor-normaliser', 'sql-projector']) {
    for (const service of replicas[app]) {
      let text = '';
      try {
        const res = await fetch(`http://127.0.0.1:${service.port}/metrics`);
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        text = await res.text();
      } catch (error) {
        log(`no batch sizes from ${service.name} (GET /metrics: ${error.message})`);
      }
      for (const match of text.matchAll(
        /^matrix_consumer_batch_messages_(sum|count)\{[^}]*\bconsumer="([^"]+)"[^}]*\} (\S+)$/gm,
      )) {
        const entry = ((counts[app] ??= {})[match[2]] ??= { sum: 0, count: 0 });
        entry[match[1]] += Number(match[3]);
      }
    }
  }
  return counts;
}

/** Batches and messages per consumer between two `batchCounts`, and the mean batch size, per app and in all. */
function batchesBetween(before, after) {
  const result = {};
  for (const [app, consumers] of Object.entries(after)) {
    const perConsumer = {};
    let batches = 0;
    let messages = 0;
    for (const [consumer, { sum, count }] of Object.entries(consumers)) {
      const was = before[app]?.[consumer] ?? { sum: 0, count: 0 };
      const b = count - was.count;
      const m = sum - was.sum;
      if (b <= 0) continue;
      perConsumer[consumer] = { batches: b, messages: m, meanMessages: round(m / b, 1) };
      batches += b;
      messages += m;
    }
    result[app] = { batches, messages, meanMessages: round(messages / (batches || 1), 1), perConsumer };
  }
  return result;
}

async function countRows(db, fromUnixT, toUnixT) {
  const { rows } = await db.query(
    'select count(*) as n from matrix.sensor_data where unixt >= $1 and unixt < $2',
    [fromUnixT, toUnixT],
  );
  return Number(rows[0].n);
}

async function streamMessages(jsm, name) {
  try {
    return (await jsm.streams.info(name)).state.messages;
  } catch {
    return 0;
  }
}

/** The first few rejections and dead letters, for error messages. */
async function rejectedSummary(jsm, ns) {
  const reasons = [];
  for (const stream of ['SENSOR_REJECTED', 'DLQ']) {
    const count = await streamMessages(jsm, ns.stream(stream));
    if (count === 0) continue;
    try {
      const message = await jsm.streams.getMessage(ns.stream(stream), { seq: 1 });
      // A dead letter says which consumer gave up on it and why (Matrix-Dlq-Consumer, Matrix-Dlq-Reason).
      const why = ['Matrix-Dlq-Consumer', 'Matrix-Dlq-Deliveries', 'Matrix-Dlq-Reason']
        .map((name) => [name, message.header?.get(name)])
        .filter(([, value]) => value)
        .map(([name, value]) => `${name.slice('Matrix-Dlq-'.length).toLowerCase()}: ${value}`)
        .join('; ');
      reasons.push(
        `${stream} (${count}): ${why ? `[${why}] ` : ''}${message.subject} ${new TextDecoder().decode(message.data).slice(0, 400)}`,
      );
    } catch (error) {
      reasons.push(`${stream} (${count}): ${error.message}`);
    }
  }
  return reasons.join(' | ') || 'none';
}

/**
 * Waits until the pipeline's consumers (`[stream, durable]`: the normaliser's, its partition durables
 * included, and the projector's) have nothing pending or unacknowledged and every accepted point of the
 * phase is a row. Returns when that was and how many rows there are.
 */
async function waitDrained(jsm, consumers, db, fromUnixT, toUnixT, { expected }) {
  const started = Date.now();
  let rows = 0;
  for (;;) {
    let busy = 0;
    for (const [stream, durable] of consumers) {
      const info = await jsm.consumers.info(stream, durable);
      busy += info.num_pending + info.num_ack_pending;
    }
    if (busy === 0) {
      rows = await countRows(db, fromUnixT, toUnixT);
      if (rows >= expected) break;
    }
    if (Date.now() - started > DRAIN_LIMIT_MS) {
      log(`not drained after ${DRAIN_LIMIT_MS / 1000} s: ${busy} messages pending, ${rows}/${expected} rows`);
      break;
    }
    await sleep(busy > 0 ? 500 : 200);
  }
  return {
    rows,
    expected,
    drained: rows >= expected,
    waitedSeconds: round((Date.now() - started) / 1000, 1),
  };
}

/**
 * From the rows of the phase (projected_at) and the load generator's send log: rows landed per second in
 * the measured window, the backlog when the load stopped and how long it took to drain, and the POST-to-row
 * latency of every point whose POST was sent in the window and accepted.
 */
async function analyse(db, unixBase, { load, sendLog }, drain) {
  const send = JSON.parse(fs.readFileSync(sendLog, 'utf8'));
  const window = { from: load.windowStart, to: load.windowEnd };
  const base = unixBase + send.firstSeq;
  const { rows } = await db.query({
    text: `select unixt - $1::bigint as offset, extract(epoch from projected_at) * 1000 as at
             from matrix.sensor_data where unixt >= $1 and unixt < $2`,
    values: [base, base + load.seqUsed],
    rowMode: 'array',
  });
  const latencies = [];
  let inWindow = 0;
  let landedBeforeEnd = 0;
  let last = 0;
  let first = Infinity;
  for (const [offsetText, atText] of rows) {
    const offset = Number(offsetText);
    const at = Number(atText);
    if (at >= window.from && at < window.to) inWindow += 1;
    if (at <= load.finishedAt) landedBeforeEnd += 1;
    last = Math.max(last, at);
    first = Math.min(first, at);
    const index = Math.floor(offset / send.pointsPerRequest);
    const sentAt = send.sendTimes[index];
    if (send.statuses[index] === 202 && sentAt >= window.from && sentAt < window.to)
      latencies.push(at - sentAt);
  }
  latencies.sort((a, b) => a - b);
  const seconds = (window.to - window.from) / 1000;
  return {
    window: { seconds: round(seconds, 2) },
    rowsInWindow: inWindow,
    rowsPerSecond: round(inWindow / seconds, 0),
    acceptedPointsPerSecond: load.pointsPerSecond,
    backlogAtLoadEnd: load.acceptedPoints - landedBeforeEnd,
    drainSeconds: round(Math.max(0, last - load.finishedAt) / 1000, 2),
    phaseRows: rows.length,
    postToRowMs: percentiles(latencies),
    httpMs: { p50: load.p50, p95: load.p95, p99: load.p99, max: load.max },
    drained: drain.drained,
  };
}

function ratios({ ceilings, saturation }) {
  const e2e = saturation.rowsPerSecond;
  const [single, batched] = ceilings.jetstream;
  return {
    endToEndPointsPerSecond: e2e,
    toJetStreamSinglePointPublish: round(e2e / single.pointsPerSecond, 3),
    toJetStreamBatchedPublish: round(e2e / batched.pointsPerSecond, 3),
    toPostgresCopy: round(e2e / ceilings.copy.rowsPerSecond, 3),
    toRawHttp: round(e2e / ceilings.rawHttp.pointsPerSecond, 3),
  };
}

/** Deletes every stream (KV buckets included) of the namespace. */

const int = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const num = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

const others = (top) =>
  Object.entries(top ?? {})
    .slice(0, 3)
    .map(([name, percent]) => `${name} ${num(percent)} %`)
    .join(', ') || 'none';

/** The process groups of the CPU tables, in display order. */
const CPU_ORDER = [
  'push-ingress',
  'sensor-normaliser',
  'sql-projector',
  'incident-service',
  'postgres: bench db',
  'postgres: other',
  'nats-server',
  'load generator',
  'bench (this process)',
  'everything else',
];

function markdown(report) {
  const {
    date,
    machine: m,
    settings: s,
    ceilings,
    saturation: sat,
    latency: lat,
    ratios: r,
    totals,
  } = report;
  const [single, batched] = ceilings.jetstream;
  const copy = ceilings.copy;
  const rawHttp = ceilings.rawHttp;
  const order = CPU_ORDER;
  const cpuGroups = [
    ...new Set([
      ...Object.keys(sat.cpu?.percentOfOneCpu ?? {}),
      ...Object.keys(lat.cpu?.percentOfOneCpu ?? {}),
    ]),
  ].sort((x, y) => order.indexOf(x) - order.indexOf(y));
  /** CPU time per point landed, in µs. */
  const perPoint = (phase, group) => {
    const percent = phase.cpu?.percentOfOneCpu[group];
    return Number.isFinite(percent) && phase.rowsPerSecond > 0
      ? (percent / 100) * (1e6 / phase.rowsPerSecond)
      : NaN;
  };
  const sum = (phase, f) => cpuGroups.reduce((total, g) => total + (f(phase, g) || 0), 0);
  const lines = [
    `${date} · ${m.nproc} CPUs (${m.cpuModel}) · ${m.memoryGiB} GiB · Node ${m.node} · nats-server ${m.natsServer} · ` +
      `PostgreSQL ${m.postgres} · ${s.slots} slots · ${s.keys} ingest key(s) (INGEST_AUTH=${s.ingestAuth}: a POST without a key got ${report.unauthenticatedPostStatus}) · ${s.pointsPerRequest} points per POST · ` +
      `${s.replicas} ${s.replicas === 1 ? 'process' : 'replicas'} each of push-ingress, sensor-normaliser and sql-projector` +
      (s.spreadKeys ? ' · keys spread over the SENSOR_RAW partitions (--spread-keys)' : ''),
    '',
    '| phase | figure | ÷ ceiling |',
    '| --- | --- | ---: |',
    `| JetStream publish, 1 point/message (${single.bytesPerMessage} B, ${single.window} in flight) | ` +
      `${int(single.messagesPerSecond)} msgs/s = points/s | |`,
    `| JetStream publish, ${batched.pointsPerMessage} points/message (${int(batched.bytesPerMessage)} B, ${batched.window} in flight) | ` +
      `${int(batched.messagesPerSecond)} msgs/s = ${int(batched.pointsPerSecond)} points/s | |`,
    `| PostgreSQL COPY (${copy.rowsPerStatement} rows/statement) | ` +
      copy.runs.map((run) => `${int(run.rowsPerSecond)} rows/s (${run.connections} conn.)`).join(', ') +
      ' | |',
    `| raw HTTP 202 (${s.concurrency} clients) | ${int(rawHttp.rps)} req/s = ${int(rawHttp.pointsPerSecond)} points/s, ` +
      `p50 ${num(rawHttp.p50, 2)} ms, p99 ${num(rawHttp.p99, 2)} ms | |`,
    `| **end to end, saturation**${s.solutions ? ' A1' : ''} (${s.concurrency} clients, ${s.durationMs / 1000} s) | ` +
      `accepted ${int(sat.acceptedPointsPerSecond)} points/s; **landed ${int(sat.rowsPerSecond)} rows/s**; ` +
      `backlog at end ${int(sat.backlogAtLoadEnd)} points, drained ${num(sat.drainSeconds, 1)} s later; ` +
      `HTTP p50 ${num(sat.httpMs.p50)} ms, p99 ${num(sat.httpMs.p99)} ms; POST-to-row p50 ${int(sat.postToRowMs.p50)} ms, ` +
      `p99 ${int(sat.postToRowMs.p99)} ms | JetStream 1/msg ${num(r.toJetStreamSinglePointPublish, 2)}, ` +
      `JetStream batched ${num(r.toJetStreamBatchedPublish, 2)}, COPY ${num(r.toPostgresCopy, 2)}, raw HTTP ${num(r.toRawHttp, 2)} |`,
    `| **end to end, ${int(s.rate)} points/s open loop** (${s.latencyDurationMs / 1000} s${s.solutions ? ', incident-service consuming' : ''}) | ` +
      `accepted ${int(lat.acceptedPointsPerSecond)} points/s, landed ${int(lat.rowsPerSecond)} rows/s; ` +
      `**POST-to-row p50 ${int(lat.postToRowMs.p50)} ms, p95 ${int(lat.postToRowMs.p95)} ms, p99 ${int(lat.postToRowMs.p99)} ms**, ` +
      `max ${int(lat.postToRowMs.max)} ms; HTTP p50 ${num(lat.httpMs.p50)} ms, p99 ${num(lat.httpMs.p99)} ms | |`,
    '',
    'CPU, % of one CPU (2 CPUs = 200 %), over the measured window:',
    '',
    `| process | saturation % | µs per point | ${int(s.rate)} points/s % | µs per point |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...cpuGroups.map(
      (g) =>
        `| ${g} | ${num(sat.cpu?.percentOfOneCpu[g])} | ${int(perPoint(sat, g))} | ` +
        `${num(lat.cpu?.percentOfOneCpu[g])} | ${int(perPoint(lat, g))} |`,
    ),
    `| all | ${num(sum(sat, (p, g) => p.cpu?.percentOfOneCpu[g]))} | ${int(sum(sat, perPoint))} | ` +
      `${num(sum(lat, (p, g) => p.cpu?.percentOfOneCpu[g]))} | ${int(sum(lat, perPoint))} |`,
    `| machine busy (% of all CPUs) | ${num(sat.cpu?.machineBusyPercent)} | | ${num(lat.cpu?.machineBusyPercent)} | |`,
    '',
    `Busiest other processes: saturation ${others(sat.cpu?.busiestOthers)}; ${int(s.rate)} points/s ${others(lat.cpu?.busiestOthers)}. ` +
      `Machine busy during the ceilings (% of all CPUs): ` +
      [
        ['JetStream 1/msg', single],
        ['JetStream batched', batched],
        ['COPY', copy],
        ['raw HTTP', rawHttp],
      ]
        .map(
          ([label, c]) =>
            `${label} ${num(c.machine?.busyPercentDuring)} (${others(c.machine?.busiestOthers)})`,
        )
        .join(', ') +
      '.',
    ...(sat.cpu?.perReplica
      ? [
          '',
          'CPU per replica at saturation (% of one CPU): ' +
            Object.entries(sat.cpu.perReplica)
              .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
              .map(
                ([app, pids]) =>
                  `${app} ${Object.values(pids)
                    .map((x) => num(x))
                    .join(' + ')}`,
              )
              .join('; ') +
            '.',
        ]
      : []),
    ...(report.partitionSplit
      ? [
          '',
          `SENSOR_RAW partitions by sensor-normaliser replica (CONSUMER_LEASES): before saturation ${splitText(report.partitionSplit.beforeSaturation)}; ` +
            `after it ${splitText(report.partitionSplit.afterSaturation)}.`,
        ]
      : []),
    '',
    'Messages per batch handed to the handlers (mean over each phase, load and drain; `matrix_consumer_batch_messages`): ' +
      [
        ['saturation', sat],
        [`${int(s.rate)} points/s`, lat],
      ]
        .map(
          ([label, phase]) =>
            `${label}: ` +
            (Object.entries(phase.batches ?? {})
              .map(
                ([app, b]) =>
                  `${app} ${num(b.meanMessages)} (${int(b.batches)} batches over ${Object.keys(b.perConsumer).length} consumer(s))`,
              )
              .join(', ') || 'not available'),
        )
        .join('; ') +
      '.',
    '',
    `Rows ${int(totals.rows)} for ${int(totals.expected)} accepted points, ${int(totals.rejected)} rejected, ` +
      `${int(totals.deadLettered)} dead-lettered.`,
  ];
  return lines.join('\n');
}

/** The "Solutions" subsection of docs/benchmarks.md (--solutions), as markdown. */
function solutionsMarkdown(report) {
  const { date, machine: m, settings: s, solutions: sol, latency: lat } = report;
  const { A1, B, A2 } = sol.saturation;
  const met = (ok) => (ok ? 'met' : '**missed**');
  const caughtUp = (phase) => {
    const c = phase.solutions.caughtUp;
    if (!c) return '–';
    return c.caughtUp
      ? `${num(c.secondsAfterLoadEnd, 1)} s after the load`
      : `not after ${num(c.secondsAfterLoadEnd, 0)} s (${int(c.pending)} pending)`;
  };
  const row = (label, phase) =>
    `| ${label} | ${phase.solutions.consuming ? 'consuming' : 'not consuming'} | ${int(phase.acceptedPointsPerSecond)} | ` +
    `${int(phase.rowsPerSecond)} | ${int(phase.backlogAtLoadEnd)} points, ${num(phase.drainSeconds, 1)} s | ` +
    `${caughtUp(phase)} | ${int(phase.solutions.incidentEvents.incidentsCreated)} |`;
  const p = sol.probes;
  const pl = p.postToIncidentEventMs;
  const phases = [
    ['A1', A1],
    ['B', B],
    ['A2', A2],
    [`${int(s.rate)}/s`, lat],
  ];
  const groups = [
    ...new Set(phases.flatMap(([, phase]) => Object.keys(phase.cpu?.percentOfOneCpu ?? {}))),
  ].sort((x, y) => CPU_ORDER.indexOf(x) - CPU_ORDER.indexOf(y));
  const lines = [
    '### Solutions (issue #14): ingest with incident-service consuming `sensor.data.>`',
    '',
    `${date} · ${m.nproc} CPUs (${m.cpuModel}) · \`node bench/ingest/run.mjs --solutions\` · ${s.slots} slots of ` +
      `${slotTypesOf('solutions').length} slot types (${slotTypesOf('solutions').join(', ')}: every type a solution ` +
      `watches${sol.uncoveredSlotTypes.length ? `, except ${sol.uncoveredSlotTypes.join(', ')}` : ''}, and TH, which none does) · ` +
      `${s.concurrency} clients for ${s.durationMs / 1000} s per saturation phase, measured in the order A1, B, A2 ` +
      '(A: incident-service stopped and its consumer deleted; B: its consumer re-created at the end of SENSOR_DATA and the service consuming).',
    '',
    '| phase | incident-service | accepted points/s | landed rows/s | backlog at load end, drained after | incident-service caught up | incidents created |',
    '| --- | --- | ---: | ---: | --- | --- | ---: |',
    row('saturation A1', A1),
    row('saturation B', B),
    row('saturation A2', A2),
    `| **B ÷ mean(A1, A2)** | | ${num(sol.ratio.acceptedBToMeanA, 3)} | **${num(sol.ratio.rowsPerSecondBToMeanA, 3)}** ` +
      `(B ÷ A1 ${num(sol.ratio.rowsPerSecondBToA1, 3)}, B ÷ A2 ${num(sol.ratio.rowsPerSecondBToA2, 3)}; target ≥ 0.9: ${met(sol.targets.throughput)}) | | | |`,
    row(`${int(s.rate)} points/s open loop (${s.latencyDurationMs / 1000} s)`, lat),
    '',
    `**Threshold crossing → incident event, at ${int(s.rate)} points/s**: ${int(p.sent)} probes ` +
      `(${num(p.perSecond, 1)}/s, each the one reading — count ${p.readingCount} — of a people counter alone in its zone); ` +
      `from the POST's send time to the INCIDENT_CREATED(_OPEN) event naming the probe received on ` +
      `\`<ns>.matrix.*.scworkforcemanagement.>\`, ${int(pl.count)} probes sent in the window: ` +
      `**p50 ${int(pl.p50)} ms, p95 ${int(pl.p95)} ms, p99 ${int(pl.p99)} ms** (target < 1,000 ms: ${met(sol.targets.latencyP99)}), max ${int(pl.max)} ms. ` +
      `Exactly one incident for ${int(p.exactlyOne)} of ${int(p.sent - p.notAccepted)} accepted probes; ` +
      `lost ${int(p.lost)}, duplicated ${int(p.duplicated)} (${met(sol.targets.exactlyOne)}; duplicate events ${int(p.duplicateEvents)}). ` +
      `Where the time went (the same probes): POST to the probe's row p50 ${int(p.postToRowMs.p50)} ms, p99 ${int(p.postToRowMs.p99)} ms; ` +
      `POST to the start of the incident-service batch that raised it (created_on) p50 ${int(p.postToIncidentBatchStartMs.p50)} ms, ` +
      `p99 ${int(p.postToIncidentBatchStartMs.p99)} ms. POST-to-row of all points in the phase: p50 ${int(lat.postToRowMs.p50)} ms, p99 ${int(lat.postToRowMs.p99)} ms. ` +
      `The database holds ${int(sol.database.incidents)} incidents (${int(sol.database.probeIncidents)} of probes); ` +
      `${int(sol.database.createdEventsReceived)} were announced on NATS during the run.`,
    '',
    'CPU, % of one CPU (2 CPUs = 200 %), over each measured window:',
    '',
    `| process | ${phases.map(([label]) => label).join(' | ')} |`,
    `| --- | ${phases.map(() => '---:').join(' | ')} |`,
    ...groups.map(
      (g) => `| ${g} | ${phases.map(([, phase]) => num(phase.cpu?.percentOfOneCpu[g])).join(' | ')} |`,
    ),
    `| machine busy (% of all CPUs) | ${phases.map(([, phase]) => num(phase.cpu?.machineBusyPercent)).join(' | ')} |`,
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
