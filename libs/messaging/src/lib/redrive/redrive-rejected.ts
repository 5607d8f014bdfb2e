import { randomBytes } from 'node:crypto';
import { DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import {
  HEADER,
  readingIdsHeader,
  sensorRejectedSubject,
  type RejectedReading,
  type RejectionReason,
} from '@matrix/contracts';
import type { NatsClient } from '../connection/nats-client';
import { JetStreamPublisher } from '../publisher/jetstream-publisher';
import { SENSOR_RAW, SENSOR_REJECTED } from '../topology/matrix-topology';

export interface RedriveOptions {
  /** Which rejections: `sensor.rejected.<reason>`. */
  reason: RejectionReason;
  /** Only rejections stored at or after this instant (default: all `SENSOR_REJECTED` keeps). */
  since?: Date;
  /** Re-drive at most this many readings. */
  limit?: number;
  /** Read and report, publish nothing. */
  dryRun?: boolean;
  /** Called for every rejection read, with what was done with it. */
  onItem?: (item: RedriveItem) => void;
}

export interface RedriveItem {
  /** Sequence of the rejection in `SENSOR_REJECTED`. */
  sequence: number;
  rawSubject?: string;
  rawMsgId?: string;
  /** `redriven`: stored on `SENSOR_RAW` again; `would_redrive`: dry run; `skipped`: see `why`. */
  outcome: 'redriven' | 'would_redrive' | 'skipped';
  why?: string;
}

export interface RedriveSummary {
  /** Identifies this run: re-driven messages carry `Nats-Msg-Id` `redrive:<reading id>:<run>`. */
  run: string;
  reason: RejectionReason;
  since?: string;
  dryRun: boolean;
  /** Rejections read. */
  examined: number;
  /** Readings stored on `SENSOR_RAW` again (in a dry run: that would be). */
  redriven: number;
  /** Rejections that were not re-driven (unreadable, or another rejection of a reading already done). */
  skipped: number;
  /** True when `limit` stopped the run before the last matching rejection. */
  limitReached: boolean;
}

/** Publishing failed part-way; `summary` says what was done before. Re-running is safe (idempotent). */
export class RedriveError extends Error {
  override readonly name = 'RedriveError';
  constructor(
    message: string,
    readonly summary: RedriveSummary,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const PUBLISH_WINDOW = 256;
const decoder = new TextDecoder();
/** `sensor.raw.`: a rejection is only ever re-driven into `SENSOR_RAW`. */
const RAW_PREFIX = (SENSOR_RAW.subjects[0] ?? 'sensor.raw.>').replace(/>$/, '');
const COUNTED_AS = {
  redriven: 'redriven',
  would_redrive: 'redriven',
  skipped: 'skipped',
} as const satisfies Record<RedriveItem['outcome'], keyof RedriveSummary>;

/**
 * Re-drives rejected readings after the cause was fixed (a device slot added to the registry, a
 * normaliser release): reads `sensor.rejected.<reason>` from `SENSOR_REJECTED` with an ephemeral ordered
 * consumer (from `since`, up to the last rejection stored when the run started, so readings rejected
 * again during the run are not picked up twice) and republishes each original point to its `rawSubject`
 * on `SENSOR_RAW` in the shape of every raw message (ADR-10): a JSON array, here of that one point, with
 * its reading id in `Matrix-Reading-Ids`. sensor-normaliser handles it like a new reading.
 *
 * Idempotent end to end: the republished message carries the original reading id (ADR-4), from which the
 * normaliser publishes `data:<id>` — the `SENSOR_DATA` message id and SQL row key the reading would have had
 * — so however often a reading is re-driven (or also re-posted by its device), `SENSOR_DATA` drops repeats
 * within its duplicate window and `matrix.sensor_data` keeps one row. On `SENSOR_RAW` the copy's
 * `Nats-Msg-Id` is `redrive:<id>:<run>`, unique per run: the original id (or one fixed re-drive id) would be
 * dropped there within the duplicate window after the original (or an earlier, premature re-drive), silently
 * doing nothing. Rejections stay in `SENSOR_REJECTED` (for its `maxAgeMs`) as the record of what happened; a
 * reading rejected again is deduplicated there by `rejected:<id>`.
 */
export async function redriveRejectedReadings(
  client: NatsClient,
  options: RedriveOptions,
  publisher: JetStreamPublisher = new JetStreamPublisher(client),
): Promise<RedriveSummary> {
  const ns = client.namespace;
  const stream = ns.stream(SENSOR_REJECTED.name);
  const summary: RedriveSummary = {
    run: `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`,
    reason: options.reason,
    ...(options.since ? { since: options.since.toISOString() } : {}),
    dryRun: options.dryRun === true,
    examined: 0,
    redriven: 0,
    skipped: 0,
    limitReached: false,
  };
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (limit <= 0) return summary;
  const lastAtStart = await client.jsm.streams.info(stream).then(
    (info) => info.state.last_seq,
    (error: Error) => {
      throw /stream not found/i.test(error.message)
        ? new Error(`stream ${stream} does not exist: run matrix-cli provision (is NATS_NAMESPACE right?)`, {
            cause: error,
          })
        : error;
    },
  );
  const consumer = await client.js.consumers.get(stream, {
    filter_subjects: ns.subject(sensorRejectedSubject(options.reason)),
    ...(options.since
      ? { opt_start_time: options.since.toISOString() }
      : { deliver_policy: DeliverPolicy.All }),
  });
  const seen = new Set<string>();
  let batch: Promise<void>[] = [];
  const report = (item: RedriveItem) => {
    summary[COUNTED_AS[item.outcome]] += 1;
    options.onItem?.(item);
  };
  const flush = async () => {
    const settled = await Promise.allSettled(batch);
    batch = [];
    const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) {
      throw new RedriveError(`re-drive stopped: ${(failed.reason as Error).message}`, summary, {
        cause: failed.reason,
      });
    }
  };
  try {
    if ((await consumer.info(true)).num_pending === 0) return summary;
    const messages = await consumer.consume({ max_messages: PUBLISH_WINDOW });
    for await (const message of messages) {
      if (message.seq > lastAtStart) break;
      summary.examined += 1;
      const item = readRejection(message);
      if (item.outcome === 'skipped') {
        report(item);
      } else if (seen.has(item.rawMsgId!)) {
        report({
          ...item,
          outcome: 'skipped',
          why: 'another rejection of this reading was re-driven in this run',
        });
      } else {
        seen.add(item.rawMsgId!);
        if (summary.dryRun) {
          report({ ...item, outcome: 'would_redrive' });
        } else {
          batch.push(republish(publisher, stream, summary.run, message, item).then(report));
          if (batch.length >= PUBLISH_WINDOW) await flush();
        }
      }
      const done = message.info.pending === 0 || message.seq >= lastAtStart;
      if (seen.size >= limit) {
        summary.limitReached = !done;
        break;
      }
      if (done) break;
    }
    await flush();
    return summary;
  } finally {
    await Promise.allSettled(batch);
    await consumer.delete().catch(() => undefined);
  }
}

type ReadRejection = RedriveItem & { point?: unknown; ingest?: Record<string, string> };

function readRejection(message: JsMsg): ReadRejection {
  const sequence = message.seq;
  let body: Partial<RejectedReading>;
  try {
    body = JSON.parse(decoder.decode(message.data)) as Partial<RejectedReading>;
  } catch {
    return { sequence, outcome: 'skipped', why: 'the rejection is not JSON' };
  }
  const { rawSubject, rawMsgId, point } = body ?? {};
  if (typeof rawSubject !== 'string' || !rawSubject.startsWith(RAW_PREFIX)) {
    return { sequence, outcome: 'skipped', why: `rawSubject is not a ${RAW_PREFIX}… subject` };
  }
  if (typeof rawMsgId !== 'string' || rawMsgId === '') {
    return { sequence, rawSubject, outcome: 'skipped', why: 'rawMsgId is missing' };
  }
  if (typeof point !== 'object' || point === null || Array.isArray(point)) {
    return { sequence, rawSubject, rawMsgId, outcome: 'skipped', why: 'point is not a JSON object' };
  }
  const ingest: Record<string, string> =
    typeof body.ingest?.keyId === 'string' && typeof body.ingest.pid === 'string'
      ? { [HEADER.ingestKeyId]: body.ingest.keyId, [HEADER.ingestPid]: body.ingest.pid }
      : {};
  return { sequence, rawSubject, rawMsgId, point, ingest, outcome: 'redriven' };
}

async function republish(
  publisher: JetStreamPublisher,
  stream: string,
  run: string,
  message: JsMsg,
  item: ReadRejection,
): Promise<RedriveItem> {
  const { point, ingest, ...rest } = item;
  await publisher.publish({
    subject: item.rawSubject!,
    payload: [point],
    msgId: `redrive:${item.rawMsgId}:${run}`,
    headers: {
      ...ingest,
      ...readingIdsHeader([item.rawMsgId!]),
      [HEADER.redrivenFrom]: `${stream}:${message.seq}`,
    },
    correlationId: message.headers?.get(HEADER.correlationId) || undefined,
  });
  return { ...rest, outcome: 'redriven' };
}
