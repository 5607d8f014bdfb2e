// Stored bytes per sensor data point and per Matrix event (docs/operations.md, Capacity): what JetStream
// keeps for one point on SENSOR_RAW and on SENSOR_DATA, measured through the real path, and for one event on
// MATRIX_EVENTS.
//
//   node bench/ingest/stream-bytes.mjs [--points 200000] [--mix default|solutions] [--events 20000]
//                                      [--per-request 100] [--store-dir /var/lib/nats-server] [--no-build]
//
// Builds push-ingress, sensor-normaliser and matrix-cli, finds or starts NATS and PostgreSQL (test mode), makes a
// throwaway namespace (and database, unused), provisions, seeds the device slots and an ingest key as the
// ingest benchmark does, starts push-ingress and sensor-normaliser, POSTs `--points` points (points.mjs, batches
// of `--per-request`, 8 at a time) and waits until sensor-normaliser has handled them all. It then reads
// `stream info` of SENSOR_RAW and SENSOR_DATA: state.bytes (what max_bytes counts) over the points accepted,
// and, with --store-dir, the size of each stream's folder in nats-server's store (what the disk holds: blocks,
// indexes). Events: publishes `--events` copies of the incident-created fixture of libs/contracts on its routing
// key with an outbox-style Nats-Msg-Id and correlation id, and measures MATRIX_EVENTS the same way, and the
// DEVICE_SLOTS bucket per seeded slot. Prints a
// Markdown table; everything is removed afterwards, also on failure.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import { freePort } from '../../tools/infra/infra.mjs';
import { cleanupOnExit, log, nodeProcesses, sleep, throwawayInfra, waitReady } from '../lib/harness.mjs';
import { pointRenderer, slotTypesOf } from './points.mjs';
import { seedBenchBuilding } from './seed.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bundle = (app) => path.join(ROOT, 'dist/apps', app, 'main.cjs');

const { values: flags } = parseArgs({
  options: {
    points: { type: 'string', default: '200000' },
    'per-request': { type: 'string', default: '100' },
    mix: { type: 'string', default: 'default' },
    events: { type: 'string', default: '20000' },
    slots: { type: 'string', default: '2000' },
    'store-dir': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});
const whole = (name, min, max) => {
  const n = Number(flags[name]);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
};
if (!['default', 'solutions'].includes(flags.mix)) throw new Error('--mix must be default or solutions');
const settings = {
  points: whole('points', 1000, 10_000_000),
  perRequest: whole('per-request', 1, 1000),
  events: whole('events', 0, 1_000_000),
  slots: whole('slots', 12, 100_000),
  mix: flags.mix,
};

const { onCleanup, cleanup } = cleanupOnExit(20 * 60_000);
const { startNode, runNode } = nodeProcesses({ pin: false, onCleanup });

/** Bytes under a folder (what the disk holds for a stream), or undefined when it cannot be read. */
function folderBytes(dir) {
  const du = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
  return du.status === 0 ? Number(du.stdout.split('\t')[0]) : undefined;
}

/** The stream's folder in nats-server's store (`<store>/jetstream/$G/streams/<name>`), if it is there. */
function streamDir(name) {
  const dir = flags['store-dir'] && path.join(flags['store-dir'], 'jetstream', '$G', 'streams', name);
  return dir && fs.existsSync(dir) ? dir : undefined;
}

async function main() {
  const { namespace, nats, env } = await throwawayInfra({
    name: 'bytes',
    ns: 'by',
    apps: ['push-ingress', 'sensor-normaliser', 'matrix-cli'],
    build: !flags['no-build'],
    onCleanup,
  });
  const ns = {
    subject: (s) => `${namespace}.${s}`,
    stream: (s) => `${namespace.toUpperCase()}_${s}`,
    durable: (s) => `${namespace}-${s}`,
  };
  // A budget big enough that no stream fills during the measurement.
  const provisionEnv = { ...env, NATS_JETSTREAM_BUDGET: '4GiB' };
  log((await runNode([bundle('matrix-cli'), 'provision'], provisionEnv)).trim().split('\n').at(-1));

  const nc = await connect({ servers: nats.url.split(','), name: 'bench-stream-bytes', timeout: 5000 });
  onCleanup('close the NATS connection', () => nc.drain());
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);

  // The bench building: its device slots and one ingest key, as the ingest benchmark seeds them.
  const {
    keys: [token],
  } = await seedBenchBuilding(nc, ns, { slots: settings.slots, keys: 1, mix: settings.mix });

  const ports = {};
  for (const app of ['sensor-normaliser', 'push-ingress']) {
    const port = await freePort();
    const service = startNode(app, [bundle(app)], {
      ...env,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
    });
    await waitReady(port, service);
    ports[app] = port;
  }
  log(`seeded ${settings.slots} slots (${slotTypesOf(settings.mix).join(', ')}); services ready`);

  // POST the points, 8 requests in flight.
  const render = pointRenderer(settings.slots, Date.now() - 3_600_000, settings.mix);
  const requests = Math.ceil(settings.points / settings.perRequest);
  let next = 0;
  let accepted = 0;
  let bodyBytes = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < requests) {
        const r = next++;
        const count = Math.min(settings.perRequest, settings.points - r * settings.perRequest);
        const body = render.batch(r * settings.perRequest, count);
        bodyBytes += Buffer.byteLength(body);
        const response = await fetch(`http://127.0.0.1:${ports['push-ingress']}/v1/sensor-data`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body,
        });
        const answer = await response.json();
        if (response.status !== 202)
          throw new Error(`POST ${r}: ${response.status} ${JSON.stringify(answer)}`);
        accepted += answer.accepted - answer.duplicates;
      }
    }),
  );
  log(
    `${accepted} points accepted in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for the normaliser`,
  );
  const raw = ns.stream('SENSOR_RAW');
  const durable = ns.durable('sensor-normaliser-raw');
  for (const until = Date.now() + 5 * 60_000; ; await sleep(500)) {
    const info = await jsm.consumers.info(raw, durable);
    if (info.num_pending === 0 && info.num_ack_pending === 0) break;
    if (Date.now() > until)
      throw new Error(`sensor-normaliser did not catch up: ${info.num_pending} pending`);
  }
  const rejected = (await jsm.streams.info(ns.stream('SENSOR_REJECTED'))).state.messages;
  if (rejected > 0) throw new Error(`${rejected} readings were rejected: the measurement needs valid points`);

  // Events: the fixture on its routing key, as an outbox publishes it.
  const fixture = fs.readFileSync(
    path.join(ROOT, 'libs/contracts/fixtures/matrix-event/v1/incident-created-open.json'),
  );
  const routingKey = JSON.parse(fixture.toString()).RoutingKey;
  for (let from = 0; from < settings.events; from += 1000) {
    const acks = [];
    for (let i = from; i < Math.min(settings.events, from + 1000); i++) {
      const h = natsHeaders();
      h.set('Matrix-Correlation-Id', randomUUID());
      acks.push(js.publish(ns.subject(routingKey), fixture, { msgID: `outbox:${randomUUID()}`, headers: h }));
    }
    await Promise.all(acks);
  }

  const rows = [];
  for (const [stream, per, count] of [
    ['SENSOR_RAW', 'point', accepted],
    ['SENSOR_DATA', 'point', accepted],
    ['MATRIX_EVENTS', 'event', settings.events],
    ['KV_DEVICE_SLOTS', 'slot', settings.slots],
  ]) {
    if (count === 0) continue;
    const name = stream.startsWith('KV_') ? `KV_${ns.stream(stream.slice(3))}` : ns.stream(stream);
    const info = await jsm.streams.info(name);
    const dir = streamDir(name);
    const disk = dir ? folderBytes(dir) : undefined;
    rows.push({
      stream,
      per,
      count,
      messages: info.state.messages,
      bytes: info.state.bytes,
      bytesPer: info.state.bytes / count,
      diskBytes: disk,
      diskPer: disk === undefined ? undefined : disk / count,
    });
  }
  const f = (n, digits = 0) =>
    n === undefined ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits });
  process.stdout.write(
    [
      `Mix ${settings.mix} (${slotTypesOf(settings.mix).join(', ')}), ${f(accepted)} points in batches of ` +
        `${settings.perRequest} (${f(bodyBytes / accepted, 1)} bytes of JSON per point as POSTed), ${f(settings.events)} events; ` +
        `nats-server ${nc.info?.version ?? '?'}`,
      '',
      '| stream | per | messages | stored bytes (max_bytes counts these) | per point / event / slot | on disk | on disk per point / event / slot |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (r) =>
          `| \`${r.stream}\` | ${r.per} | ${f(r.messages)} | ${f(r.bytes)} | ${f(r.bytesPer, 1)} | ${f(r.diskBytes)} | ${f(r.diskPer, 1)} |`,
      ),
      '',
    ].join('\n'),
  );
}

main()
  .catch((error) => {
    log(`failed: ${error.stack ?? error}`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
