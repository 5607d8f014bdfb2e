import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { INGEST_KEYS_BUCKET, PRINCIPALS_BUCKET } from '@matrix/contracts';
import type { Namespace } from './topology.types';

/** A JetStream key-value bucket declared in code (its stream is `KV_<name>`). */
export interface KvBucketSpec {
  readonly name: string;
  readonly description: string;
  /** Values kept per key. */
  readonly history: number;
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
};

export const MATRIX_KV_BUCKETS: readonly KvBucketSpec[] = [DEVICE_SLOTS, INGEST_KEYS, PRINCIPALS];

/** Creates the buckets (idempotent: an existing bucket is opened as it is). */
export async function provisionKvBuckets(
  nc: NatsConnection,
  buckets: readonly KvBucketSpec[],
  ns: Namespace,
  options: { replicas?: number } = {},
): Promise<{ name: string; action: 'ensured' }[]> {
  const kvm = new Kvm(nc);
  const report: { name: string; action: 'ensured' }[] = [];
  for (const bucket of buckets) {
    await kvm.create(ns.stream(bucket.name), {
      description: bucket.description,
      history: bucket.history,
      replicas: options.replicas ?? 1,
    });
    report.push({ name: ns.stream(bucket.name), action: 'ensured' });
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
