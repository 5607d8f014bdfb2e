// The event projection phase of the SQL benchmark: sql-projector (already running, from dist) takes Matrix
// events from MATRIX_EVENTS into `matrix.events` while publish.mjs publishes them at a steady rate; beside
// it, in the same run, the rate NATS accepts the same events at with nothing consuming them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from '../lib/harness.mjs';
import { percentiles } from './queries.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Publishes awaiting their ack in the raw ceiling (as bench/ingest's JetStream ceiling). */
const CEILING_IN_FLIGHT = 256;
/** How long after the publisher ended the rows may take to land before the run counts them missing. */
const LAND_LIMIT_MS = 120_000;
const DURABLES = ['sql-projector-matrix-events', 'sql-projector-read-models'];

/** CPU seconds (user + system) a process has used so far, from /proc (undefined where there is none). */
function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * Measures the projection. `runNode` runs publish.mjs; `db` is the superuser's connection; `projector` the
 * running sql-projector (`child.pid`). Answers the raw ceiling, the paced publisher's figures, the ledger
 * (published, rows, distinct message ids, dead letters), the landing rate and the publish → row lag of
 * the measured window, the backlog samples and sql-projector's CPU over the window.
 */
export async function measureProjection({ runNode, db, jsm, infra, runId, projector, settings, log }) {
  const streamName = (name) => `${infra.namespace.toUpperCase()}_${name}`;
  const durable = (name) => `${infra.namespace}-${name}`;
  const base = {
    natsUrl: infra.nats.url,
    namespace: infra.namespace,
    runId,
    host: '127.0.0.1',
  };
  const publish = (spec) =>
    runNode(
      [path.join(HERE, 'publish.mjs'), JSON.stringify({ ...base, ...spec })],
      { PATH: process.env.PATH },
      {
        timeoutMs: spec.warmupMs + spec.durationMs + 180_000,
      },
    ).then((out) => JSON.parse(out.trim().split('\n').pop()));

  // The raw baseline first: MATRIX_EVENTS's configuration on a stream of its own, nothing consuming.
  const { config } = await jsm.streams.info(streamName('MATRIX_EVENTS'));
  const streamConfig = Object.fromEntries(
    [
      'storage',
      'retention',
      'max_age',
      'duplicate_window',
      'num_replicas',
      'discard',
      'max_msgs',
      'max_bytes',
      'max_msg_size',
    ]
      .filter((key) => config[key] !== undefined)
      .map((key) => [key, config[key]]),
  );
  log(
    `raw baseline: JetStream publish alone, ${CEILING_IN_FLIGHT} in flight, 2 s warm-up + ${settings.ceilingMs / 1000} s…`,
  );
  const ceiling = await publish({
    mode: 'ceiling',
    stream: streamName('BENCH_SQL_RAW'),
    streamConfig,
    inFlight: CEILING_IN_FLIGHT,
    warmupMs: 2000,
    durationMs: settings.ceilingMs,
  });
  if (ceiling.errors > 0)
    throw new Error(`raw baseline: ${ceiling.errors} publishes failed (${ceiling.firstError})`);

  const dlqBefore = (await jsm.streams.info(streamName('DLQ'))).state.messages;
  const samples = [];
  const sampleStart = Date.now();
  const sample = async () => {
    const backlog = {};
    for (const name of DURABLES) {
      const info = await jsm.consumers.info(streamName('MATRIX_EVENTS'), durable(name));
      backlog[name] = info.num_pending + info.num_ack_pending;
    }
    samples.push({ s: Math.round((Date.now() - sampleStart) / 1000), ...backlog });
  };
  const sampler = setInterval(() => void sample().catch(() => undefined), 1000);
  const cpu = {};
  const cpuTimers = [
    setTimeout(() => (cpu.from = cpuSeconds(projector.child.pid)), settings.warmupMs),
    setTimeout(() => (cpu.to = cpuSeconds(projector.child.pid)), settings.warmupMs + settings.durationMs),
  ];
  log(
    `projection: ${settings.rate} events/s for ${settings.warmupMs / 1000} s warm-up + ${settings.durationMs / 1000} s…`,
  );
  let paced;
  try {
    paced = await publish({
      mode: 'paced',
      rate: settings.rate,
      warmupMs: settings.warmupMs,
      durationMs: settings.durationMs,
    });
  } finally {
    cpuTimers.forEach(clearTimeout);
  }
  const lastSent = Math.max(...paced.sentAt);
  log(
    `published ${paced.published} (${paced.rate}/s reached, ${paced.errors} errors); waiting for the rows…`,
  );

  // Every event's row, by its message id.
  const prefix = `bench-sql:${runId}:`;
  const count = async () =>
    (
      await db.query(
        `select count(*)::int as rows, count(distinct msg_id)::int as distinct_ids
           from matrix.events where left(msg_id, $2) = $1`,
        [prefix, prefix.length],
      )
    ).rows[0];
  const until = Date.now() + LAND_LIMIT_MS;
  let counted = await count();
  while (counted.rows < paced.published && Date.now() < until) {
    await sleep(250);
    counted = await count();
  }
  clearInterval(sampler);
  await sample();
  const dlq = (await jsm.streams.info(streamName('DLQ'))).state.messages - dlqBefore;
  const { rows } = await db.query(
    `select substr(msg_id, $2 + 1)::int as n, extract(epoch from projected_at)::float8 * 1000 as at
       from matrix.events where left(msg_id, $2) = $1`,
    [prefix, prefix.length],
  );

  const measureFrom = paced.startedAt + settings.warmupMs;
  const measureTo = measureFrom + settings.durationMs;
  const lags = [];
  let landedInWindow = 0;
  let lastLanded = 0;
  for (const { n, at } of rows) {
    const sent = paced.sentAt[n];
    if (sent >= measureFrom && sent < measureTo) lags.push(at - sent);
    if (at >= measureFrom && at < measureTo) landedInWindow++;
    lastLanded = Math.max(lastLanded, at);
  }
  const sentInWindow = paced.sentAt.filter((t) => t >= measureFrom && t < measureTo).length;
  const seconds = settings.durationMs / 1000;
  return {
    ceiling,
    publisher: {
      published: paced.published,
      errors: paced.errors,
      firstError: paced.firstError,
      rate: paced.rate,
      ackMs: paced.ackMs,
    },
    ledger: {
      published: paced.published,
      rows: counted.rows,
      distinctIds: counted.distinct_ids,
      deadLetters: dlq,
    },
    window: {
      seconds,
      publishedPerSecond: sentInWindow / seconds,
      landedPerSecond: landedInWindow / seconds,
    },
    lagMs: percentiles(lags),
    drainMs: lastLanded - lastSent,
    backlog: { max: Math.max(...samples.map((x) => x[DURABLES[0]])), samples },
    projectorCpuPercent:
      cpu.from !== undefined && cpu.to !== undefined ? ((cpu.to - cpu.from) * 100) / seconds : null,
  };
}

/**
 * Keeping up with the offered rate: every event landed exactly once and none was dead-lettered, rows
 * landed in the measured window at ≥ 98 % of the rate the publisher reached in it, and the last row
 * landed within 1 s of the last publish (no backlog left to drain).
 */
export function keepsUp(p) {
  const l = p.ledger;
  return (
    l.rows === l.published &&
    l.distinctIds === l.published &&
    l.deadLetters === 0 &&
    p.publisher.errors === 0 &&
    p.window.landedPerSecond >= 0.98 * p.window.publishedPerSecond &&
    p.drainMs <= 1000
  );
}
