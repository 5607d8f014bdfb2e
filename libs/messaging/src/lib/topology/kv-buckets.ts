import { DiscardPolicy, jetstreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { INGEST_KEYS_BUCKET, PRINCIPALS_BUCKET } from '@matrix/contracts';
import { explainStorageError, planCapacity, refuseTrim, type CapacityPlan } from './capacity';
import type { Namespace } from './topology.types';

/** A JetStream key-value bucket declared in code (its stream is `KV_<name>`). */
export interface KvBucketSpec {
  readonly name: string;
  readonly description: string;
  /** Values kept per key. */
  readonly history: number;
  /**
   * This bucket's part of the JetStream storage budget, like `StreamSpec.budgetShare`. A bucket always
   * discards `new` (the KV default): full, a put is refused and its writer (the gateway's outbox relay)
   * retries, where `old` would silently drop the oldest keys — e.g. a valid ingest key.
   */
  readonly budgetShare: number;
  /** Keys not written again within this long are removed (the stream's max age); default: kept. */
  readonly ttlMs?: number;
}

/*
 * ⚠️ Bucket names are persistent contracts, like stream names.
 */

/** The device-slot directory: alias → where the slot is (building, zone, time zone…), kept by the gateway. */
export const DEVICE_SLOTS: KvBucketSpec = {
  name: 'DEVICE_SLOTS',
  description:
    'Device-slot directory kept current by matrix-api-gateway; sensor-normaliser enriches readings from it',
  history: 1,
  // ~410 stored bytes a slot (measured): 3 % of the default 7 GiB budget holds ~550,000 device slots.
  budgetShare: 0.03,
};

/**
 * Ingest keys: key id → building (PID), provider, label and the SHA-256 of the secret (never the
 * secret), kept by the gateway's outbox relay; push-ingress authenticates `POST /v1/sensor-data` from
 * it. A revoked key is deleted. Entry format: `IngestKeyEntry` in `@matrix/contracts`.
 */
export const INGEST_KEYS: KvBucketSpec = {
  name: INGEST_KEYS_BUCKET,
  description:
    'Ingest keys (hashes only) kept current by matrix-api-gateway; push-ingress authenticates batches from it',
  history: 1,
  budgetShare: 0.01,
};

/**
 * The registry's buildings and properties → their organisation and property, kept by the gateway's outbox
 * relay; event-router resolves push subscription scopes from it. Entry format: `PrincipalEntry`.
 */
export const PRINCIPALS: KvBucketSpec = {
  name: PRINCIPALS_BUCKET,
  description:
    'Buildings and properties with their organisation and property, kept current by matrix-api-gateway; event-router scopes push subscriptions with it',
  history: 1,
  budgetShare: 0.01,
};

/**
 * Leases of partitioned consumers (`PartitionedConsumerSpec`, e.g. sensor-normaliser's raw partitions): which
 * replica works which partition, and which replicas are alive. An entry not renewed within 15 s expires, so the
 * partitions of a replica that died go to the others. 15 s outlasts the consumers' ack wait (10 s): what the
 * server had sent to the dead replica is due for redelivery before anyone else pulls that partition.
 */
export const CONSUMER_LEASES: KvBucketSpec = {
  name: 'CONSUMER_LEASES',
  description:
    'Which replica works which partition of a partitioned consumer (sensor-normaliser), renewed every 3 s, expiring after 15 s',
  history: 1,
  budgetShare: 0.001,
  ttlMs: 15_000,
};

export const MATRIX_KV_BUCKETS: readonly KvBucketSpec[] = [
  DEVICE_SLOTS,
  INGEST_KEYS,
  PRINCIPALS,
  CONSUMER_LEASES,
];

/**
 * Creates the buckets, or applies the limits of `capacity` (`max_bytes`, discard `new`) to a bucket that
 * exists (an upgrade); its other settings, its keys and its history are kept. Idempotent.
 */
export async function provisionKvBuckets(
  nc: NatsConnection,
  buckets: readonly KvBucketSpec[],
  ns: Namespace,
  options: { replicas?: number; capacity?: CapacityPlan } = {},
): Promise<{ name: string; action: 'created' | 'updated'; maxBytes: number }[]> {
  const kvm = new Kvm(nc);
  const jsm = await jetstreamManager(nc);
  const capacity = options.capacity ?? planCapacity([], buckets);
  const report: { name: string; action: 'created' | 'updated'; maxBytes: number }[] = [];
  for (const bucket of buckets) {
    const name = ns.stream(bucket.name);
    const stream = `KV_${name}`;
    const maxBytes = capacity.maxBytes(bucket.name);
    const held = await jsm.streams.info(stream).then(
      (info) => info.state.bytes,
      (error: Error) => {
        if (/not found/i.test(error.message)) return undefined;
        throw error;
      },
    );
    const exists = held !== undefined;
    try {
      if (exists) {
        refuseTrim(`KV bucket ${name}`, held, maxBytes);
        await jsm.streams.update(stream, {
          max_bytes: maxBytes,
          discard: DiscardPolicy.New,
          // A bucket whose entries must expire (CONSUMER_LEASES) gets its TTL on an upgrade too: without it a
          // crashed replica's leases would never go.
          // (nats-server refuses a duplicate window longer than the max age.)
          ...(bucket.ttlMs
            ? { max_age: nanos(bucket.ttlMs), duplicate_window: nanos(Math.min(bucket.ttlMs, 120_000)) }
            : {}),
        });
      } else {
        await kvm.create(name, {
          description: bucket.description,
          history: bucket.history,
          replicas: options.replicas ?? 1,
          max_bytes: maxBytes,
          ...(bucket.ttlMs ? { ttl: bucket.ttlMs } : {}),
        });
      }
    } catch (error) {
      throw explainStorageError(`KV bucket ${name}`, maxBytes, error);
    }
    report.push({ name, action: exists ? 'updated' : 'created', maxBytes });
  }
  return report;
}

/** Opens a provisioned bucket; fails, saying how to fix it, when it does not exist. */
export async function openKvBucket(nc: NatsConnection, bucket: KvBucketSpec, ns: Namespace): Promise<KV> {
  const name = ns.stream(bucket.name);
  // Reads go to the stream's leader (STREAM.MSG.GET), not a direct get any replica may answer: a replica
  // that is behind would miss a put the gateway has seen, or show one deleted since.
  const kv = await new Kvm(nc).open(name, { allow_direct: false });
  try {
    // Opening does not look at the server; the status reads the bucket's stream.
    await kv.status();
  } catch (error) {
    throw new Error(
      /not found/i.test((error as Error).message)
        ? `KV bucket ${name} does not exist: run matrix-cli provision (is NATS_NAMESPACE right?)`
        : `KV bucket ${name} cannot be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return kv;
}

/** Deletes the buckets (tests and teardown). */
export async function deleteKvBuckets(
  nc: NatsConnection,
  buckets: readonly KvBucketSpec[],
  ns: Namespace,
): Promise<void> {
  const kvm = new Kvm(nc);
  for (const bucket of buckets) {
    try {
      const kv = await kvm.open(ns.stream(bucket.name));
      await kv.destroy();
    } catch {
      // not there
    }
  }
}
