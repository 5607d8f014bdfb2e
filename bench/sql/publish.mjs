// The publisher of the SQL benchmark's event projection phase (run.mjs runs it as its own process):
//
//   node bench/sql/publish.mjs '{"mode":"paced", "rate":1000, …}'     the projection's load
//   node bench/sql/publish.mjs '{"mode":"ceiling", "stream":…, …}'    the raw baseline
//
// paced: publishes load events (events.mjs `loadEvent`) on their routing keys in the run's namespace
// (MATRIX_EVENTS) at a steady `rate` for `warmupMs` + `durationMs`: on a fixed schedule (every 1 ms the
// events due by then), whatever the acks, each with `Nats-Msg-Id` `bench-sql:<runId>:<n>`. Answers the
// epoch ms each event was handed to the client (`sentAt[n]`, for publish → row lag), the publish → ack
// latency (JetStream alone, the floor of the lag) and the rate NATS accepted.
//
// ceiling: publishes the same events, unpaced, with `inFlight` publishes awaiting their ack, to a
// throwaway stream created with MATRIX_EVENTS's configuration (`streamConfig`, its name and subjects
// changed) for `warmupMs` + `durationMs`; counts the acks of publishes sent in the measured window, then
// deletes the stream. The rate NATS accepts these events at when nothing consumes them.
//
// Prints one JSON line of results.
import { performance } from 'node:perf_hooks';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { hardTimeLimit, readSpec } from '../lib/child.mjs';
import { loadEvent } from './events.mjs';
import { benchLayout } from './layout.mjs';

const spec = readSpec('publish.mjs', ['mode', 'natsUrl', 'namespace', 'runId', 'warmupMs', 'durationMs']);
hardTimeLimit('publish.mjs', spec.warmupMs + spec.durationMs + 120_000);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const epochMs = () => performance.timeOrigin + performance.now();
const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** p50/p95/p99/max of `values` (nearest rank), in the values' unit. */
function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (q) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN;
  return {
    count: sorted.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(at(1)),
  };
}

const layout = benchLayout(spec.runId);
const encoder = new TextEncoder();
const nc = await connect({ servers: spec.natsUrl.split(','), name: `bench-sql-${spec.mode}`, timeout: 5000 });
const js = jetstream(nc);

async function paced() {
  const total = Math.round((spec.rate * (spec.warmupMs + spec.durationMs)) / 1000);
  const sentAt = new Array(total);
  const ackMs = [];
  let errors = 0;
  let firstError;
  const inFlight = new Set();
  const started = epochMs();
  const measureFrom = started + spec.warmupMs;
  const measureTo = measureFrom + spec.durationMs;
  let n = 0;
  while (n < total) {
    const due = Math.min(total, Math.floor(((epochMs() - started) * spec.rate) / 1000));
    for (; n < due; n++) {
      const at = epochMs();
      const event = loadEvent(layout, spec.runId, n, Math.floor(at / 1000));
      const data = encoder.encode(JSON.stringify(event));
      sentAt[n] = round(at, 3);
      const counted = at >= measureFrom && at < measureTo;
      const ack = js
        .publish(`${spec.namespace}.${event.RoutingKey}`, data, { msgID: `bench-sql:${spec.runId}:${n}` })
        .then(
          () => counted && ackMs.push(epochMs() - at),
          (error) => {
            errors++;
            firstError ??= error.message;
          },
        )
        .finally(() => inFlight.delete(ack));
      inFlight.add(ack);
    }
    await sleep(1);
  }
  const lastSent = epochMs();
  await Promise.all(inFlight);
  return {
    mode: 'paced',
    published: total - errors,
    errors,
    firstError,
    startedAt: started,
    seconds: (lastSent - started) / 1000,
    rate: round(total / ((lastSent - started) / 1000), 1),
    ackMs: percentiles(ackMs),
    sentAt,
  };
}

async function ceiling() {
  const jsm = await jetstreamManager(nc);
  const prefix = `${spec.namespace}.benchsqlraw`;
  await jsm.streams.add({ ...spec.streamConfig, name: spec.stream, subjects: [`${prefix}.>`] });
  try {
    const started = performance.now();
    const measureFrom = started + spec.warmupMs;
    const measureTo = measureFrom + spec.durationMs;
    let n = 0;
    let counted = 0;
    let errors = 0;
    let firstError;
    const ackMs = [];
    const worker = async () => {
      while (performance.now() < measureTo) {
        const i = n++;
        const at = performance.now();
        const event = loadEvent(layout, spec.runId, i, Math.floor(epochMs() / 1000));
        try {
          await js.publish(`${prefix}.${event.RoutingKey}`, encoder.encode(JSON.stringify(event)), {
            msgID: `bench-sql-raw:${spec.runId}:${i}`,
          });
          if (at >= measureFrom && at < measureTo) {
            counted++;
            ackMs.push(performance.now() - at);
          }
        } catch (error) {
          errors++;
          firstError ??= error.message;
        }
      }
    };
    await Promise.all(Array.from({ length: spec.inFlight }, worker));
    return {
      mode: 'ceiling',
      published: counted,
      errors,
      firstError,
      inFlight: spec.inFlight,
      rate: round(counted / (spec.durationMs / 1000), 1),
      ackMs: percentiles(ackMs),
    };
  } finally {
    await jsm.streams.delete(spec.stream);
  }
}

try {
  const result = spec.mode === 'paced' ? await paced() : await ceiling();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await nc.drain();
}
