import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  formatIngestKey,
  hashIngestSecret,
  INGEST_KEYS_BUCKET,
  newIngestKeyId,
  newIngestSecret,
  type IngestKeyEntry,
} from '@matrix/contracts';

/** The namespace a test runs in (`NatsClient.namespace`): only its stream naming is needed here. */
export interface BucketNamespace {
  stream(name: string): string;
}

/** An ingest key registered by {@link putIngestKey}. */
export interface TestIngestKey {
  /** Key id (the KV key). */
  id: string;
  /** The whole key, for `Authorization: Bearer <key>`. */
  key: string;
}

/**
 * Registers an ingest key directly in the namespace's INGEST_KEYS bucket, as matrix-api-gateway's outbox
 * relay does when a key is issued, for tests that run push-ingress without the gateway. The bucket must
 * be provisioned (`provisionKvBuckets`).
 */
export async function putIngestKey(
  nc: NatsConnection,
  ns: BucketNamespace,
  options: { pid: string; provider?: string; name?: string },
): Promise<TestIngestKey & { revision: number }> {
  const id = newIngestKeyId();
  const secret = newIngestSecret();
  const entry: IngestKeyEntry = {
    id,
    pid: options.pid,
    provider: options.provider ?? null,
    name: options.name ?? 'test gateway',
    secretHash: hashIngestSecret(secret),
    createdAt: new Date().toISOString(),
  };
  const kv = await new Kvm(nc).open(ns.stream(INGEST_KEYS_BUCKET));
  const revision = await kv.put(id, JSON.stringify(entry));
  return { id, key: formatIngestKey(id, secret), revision };
}

/** Revokes a key as the gateway does: deletes its entry from the INGEST_KEYS bucket. */
export async function deleteIngestKey(nc: NatsConnection, ns: BucketNamespace, id: string): Promise<void> {
  const kv = await new Kvm(nc).open(ns.stream(INGEST_KEYS_BUCKET));
  await kv.delete(id);
}
