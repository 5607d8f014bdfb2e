// incident-service's solutions alone (issue #14): how much CPU the consumer of `sensor.data.>` spends per
// reading, without the rest of the pipeline on the same cores. Publishes `--points` normalised points of
// the `solutions` mix (points.mjs) over `--slots` slots straight to SENSOR_DATA, as sensor-normaliser
// does (one message per building and slot type of each 100-point request, `Matrix-Reading-Ids`, a message
// id), readings stamped over the last minutes; then starts incident-service on that backlog and measures
// until its durable has acked everything: readings/s, and the service's CPU time per reading (from
// /proc: user + system), beside the raw cost of only reading the same messages with a plain JetStream
// consumer in this process (fetch(), JSON.parse; acked one by one, and not acked at all) in the same run.
//   node bench/ingest/solutions-alone.mjs [--points 200000] [--slots 2000] [--no-build]
//                                         [--service-node-args='--cpu-prof --cpu-prof-dir=tmp/prof'] [--out f.json]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import { cleanupOnExit, log, sleep, throwawayInfra, waitReady } from '../lib/harness.mjs';
import { freePort } from '../../tools/infra/infra.mjs';
import { fakeReadingId, pointRenderer, slotEntry } from './points.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const APP = 'incident-service';
const DURABLE = 'incident-service-sensor-data';
const POINTS_PER_REQUEST = 100;
/**
 * Requests whose points one message groups: sensor-normaliser takes up to 16 raw messages (requests) at once
 * (RAW_BATCH) and groups their points by subject, so at saturation a message holds ~130 points of this mix;
 * `--group 1` is the normaliser at low rates (one request a batch: ~8 points a message).
 */

const bundle = (app) => path.join(ROOT, 'dist/apps', app, 'main.cjs');

const { values: flags } = parseArgs({
  options: {
    points: { type: 'string', default: '200000' },
    slots: { type: 'string', default: '2000' },
    'no-build': { type: 'boolean', default: false },
    'service-node-args': { type: 'string', default: '' },
    out: { type: 'string' },
    group: { type: 'string', default: '16' },
  },
});
const POINTS = Number(flags.points);
const SLOTS = Number(flags.slots);
const GROUP = Number(flags.group);
const { onCleanup, cleanup } = cleanupOnExit(20 * 60_000);

const pad = (n) => String(n).padStart(2, '0');
/** The time fields sensor-normaliser adds (in UTC here: the rules read `unixT`, not these). */
function timeFields(ms) {
  const d = new Date(ms);
  const [y, mo, dd, h, mi, s] = [
    d.getUTCFullYear(),
    pad(d.getUTCMonth() + 1),
    pad(d.getUTCDate()),
    pad(d.getUTCHours()),
    pad(d.getUTCMinutes()),
    pad(d.getUTCSeconds()),
  ];
  return {
    t: `${y}${mo}${dd}${h}${mi}${s}`,
    time: `${y}-${mo}-${dd}T${h}:${mi}:${s}+0000`,
    dow: String(d.getUTCDay()),
    month: mo,
    hour: h,
    dom: dd,
    minute: mi,
  };
}

/** CPU seconds (user + system) of a process so far. */
function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main() {
  const { namespace, env } = await throwawayInfra({
    name: 'solutions',
    ns: 'so',
    apps: [APP, 'matrix-cli'],
    build: !flags['no-build'],
    onCleanup,
  });
  const subject = (s) => `${namespace}.${s}`;
  const stream = `${namespace.toUpperCase()}_SENSOR_DATA`;
  await run([bundle('matrix-cli'), 'provision'], env);
  await run([bundle(APP), 'migrate'], env);
  const nc = await connect({ servers: env.NATS_URL.split(','), name: 'bench-solutions-alone' });
  onCleanup('close NATS', () => nc.drain());
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const building = { pid: 'b0c0ffee00000000000000000000cafe', propId: 'bench-property', org: 'BENCH' };
  const kvm = new Kvm(nc);
  const principals = await kvm.open(`${namespace.toUpperCase()}_PRINCIPALS`);
  await principals.put(
    building.pid,
    JSON.stringify({ type: 'building', org: building.org, property: building.propId }),
  );

  // The backlog: what sensor-normaliser publishes for POINTS/100 requests of the solutions mix.
  const unixBase = Date.now() - 30 * 60_000 - POINTS; // one ms a point, ending ~30 minutes ago
  const render = pointRenderer(SLOTS, unixBase, 'solutions');
  const entries = Array.from({ length: SLOTS }, (_, i) => slotEntry(i, building, 'solutions'));
  let messages = 0;
  const started = Date.now();
  let pending = [];
  for (let first = 0; first < POINTS; first += POINTS_PER_REQUEST * GROUP) {
    const byType = new Map();
    for (let seq = first; seq < Math.min(POINTS, first + POINTS_PER_REQUEST * GROUP); seq++) {
      const raw = render.object(seq);
      const slot = entries[seq % SLOTS];
      const point = {
        ...raw,
        ...timeFields(raw.unixT),
        Region: slot.Region,
        PID: slot.PID,
        PropId: slot.PropId,
        InsID: slot.InsID,
        Display: slot.Display,
      };
      const type = raw.DevType.split('#')[1];
      if (!byType.has(type)) byType.set(type, { points: [], ids: [] });
      byType.get(type).points.push(point);
      byType.get(type).ids.push(fakeReadingId(seq));
    }
    for (const [type, { points, ids }] of byType) {
      const h = natsHeaders();
      h.set('Matrix-Reading-Ids', ids.join(','));
      pending.push(
        js.publish(subject(`sensor.data.${building.pid}.SMARTCLEAN.${type}`), JSON.stringify(points), {
          headers: h,
          msgID: `${ids[0]}:${type}`,
        }),
      );
      messages += 1;
    }
    if (pending.length >= 200) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  log(
    `published ${POINTS} points in ${messages} messages in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  // The raw baselines: the same messages read by a plain consumer in this process (`fetch()`, JSON.parse of
  // each message): acked one by one, as incident-service acks them, and not acked at all (AckPolicy.None,
  // the floor of any JetStream reader of these messages).
  const raw = {};
  for (const [name, ackPolicy] of [
    ['acked', AckPolicy.Explicit],
    ['unacked', AckPolicy.None],
  ]) {
    const durable = `bench-raw-${name}`;
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: ackPolicy,
      deliver_policy: DeliverPolicy.All,
      filter_subject: subject('sensor.data.>'),
      ...(ackPolicy === AckPolicy.Explicit ? { max_ack_pending: 20_000 } : {}),
    });
    const consumer = await js.consumers.get(stream, durable);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let seen = 0;
    let points = 0;
    while (seen < messages) {
      const batch = await consumer.fetch({ max_messages: 256, expires: 2000 });
      for await (const m of batch) {
        points += JSON.parse(m.string()).length;
        if (ackPolicy === AckPolicy.Explicit) m.ack();
        seen += 1;
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await jsm.consumers.delete(stream, durable);
    raw[name] = {
      readingsPerSecond: Math.round(points / seconds),
      cpuMicrosPerReading: Math.round(((cpu.user + cpu.system) / points) * 100) / 100,
    };
    log(
      `raw reader (${name}): ${raw[name].readingsPerSecond} readings/s, ${raw[name].cpuMicrosPerReading} µs CPU per reading`,
    );
  }

  // incident-service on the backlog.
  const port = await freePort();
  const nodeArgs = flags['service-node-args'] ? flags['service-node-args'].split(' ') : [];
  const child = spawn(process.execPath, [...nodeArgs, bundle(APP)], {
    cwd: ROOT,
    env: { ...env, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  onCleanup(`stop ${APP}`, () => stop(child));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitReady(port, { name: APP, exited, output: { text: () => '(its output is above)' } });
  const cpu0 = cpuSeconds(child.pid);
  const t0 = performance.now();
  let info;
  for (;;) {
    info = await jsm.consumers.info(stream, `${namespace}-${DURABLE}`);
    if (info.num_pending === 0 && info.num_ack_pending === 0) break;
    await sleep(100);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(child.pid) - cpu0;
  const incidents = await countIncidents(env.DATABASE_URL);
  const result = {
    points: POINTS,
    messages,
    slots: SLOTS,
    raw,
    service: {
      seconds: Math.round(seconds * 10) / 10,
      readingsPerSecond: Math.round(POINTS / seconds),
      cpuSeconds: Math.round(cpu * 100) / 100,
      cpuMicrosPerReading: Math.round((cpu / POINTS) * 1e6 * 10) / 10,
      incidents,
    },
  };
  log(
    `${APP}: ${result.service.readingsPerSecond} readings/s, ${result.service.cpuMicrosPerReading} µs CPU per reading ` +
      `(${result.service.cpuSeconds} s CPU over ${result.service.seconds} s), ${incidents} incidents`,
  );
  if (flags.out) fs.writeFileSync(flags.out, JSON.stringify(result, null, 2));
  await stop(child);
  console.log(JSON.stringify(result));
}

async function countIncidents(url) {
  const { default: pg } = await import('pg');
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return Number((await db.query('select count(*) from workforce.incidents')).rows[0].count);
  } finally {
    await db.end();
  }
}

function run(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}`)),
    );
  });
}

function stop(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

main()
  .catch((error) => {
    log(`failed: ${error.stack ?? error}`);
    process.exitCode = 1;
  })
  .finally(cleanup);
