import {
  MATRIX_KV_BUCKETS,
  MATRIX_TOPOLOGY,
  NatsClient,
  planCapacity,
  provisionKvBuckets,
  provisionTopology,
  type CapacityPlan,
} from '@matrix/messaging';
import { ConfigError } from '@matrix/platform';
import { loadConfig } from '../config/matrix-cli.config';

const MIB = 1024 ** 2;

/** `12345678` → `11.8 MiB`: what the operator compares with `max_file_store`. */
export function mebibytes(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

/**
 * `matrix-cli provision`: plans every stream's and bucket's limits from the environment (failing before it
 * connects when they are wrong), then creates or updates the streams, durable consumers and KV buckets.
 * Returns the lines it prints: one per object, then the total `max_bytes` nats-server reserves on each server.
 */
export async function provision(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const config = loadConfig(env);
  let capacity: CapacityPlan;
  try {
    capacity = planCapacity(MATRIX_TOPOLOGY.streams, MATRIX_KV_BUCKETS, config.capacity);
  } catch (error) {
    // Overrides naming no stream, or limits too small: the environment is wrong, as for any bad variable.
    throw new ConfigError([
      `NATS_JETSTREAM_BUDGET / NATS_STREAM_MAX_BYTES / NATS_STREAM_MAX_AGE: ${(error as Error).message}`,
    ]);
  }
  const client = await new NatsClient({ ...config.nats, name: 'matrix-cli' }).connect();
  try {
    const replicas = config.streamReplicas;
    const report = await provisionTopology(client.jsm, MATRIX_TOPOLOGY, client.namespace, {
      replicas,
      capacity,
    });
    const buckets = await provisionKvBuckets(client.nc, MATRIX_KV_BUCKETS, client.namespace, {
      replicas,
      capacity,
    });
    return [
      ...report.streams.map(
        (s) => `${s.action.padEnd(7)} ${s.name} (max_bytes ${mebibytes(s.maxBytes)}, discard ${s.discard})`,
      ),
      ...report.consumers.map((c) => `${c.action.padEnd(7)} ${c.name}`),
      ...buckets.map(
        (b) => `${b.action.padEnd(7)} ${b.name} (max_bytes ${mebibytes(b.maxBytes)}, discard new)`,
      ),
      `reserved ${mebibytes(capacity.reservedBytes)} of JetStream store on each of ${replicas} server(s) ` +
        `(budget ${mebibytes(capacity.budgetBytes)})`,
    ];
  } finally {
    await client.drain();
  }
}
