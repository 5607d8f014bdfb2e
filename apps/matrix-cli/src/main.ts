import 'reflect-metadata';
import {
  MATRIX_KV_BUCKETS,
  MATRIX_TOPOLOGY,
  NatsClient,
  provisionKvBuckets,
  provisionTopology,
} from '@matrix/messaging';
import { loadEnv, natsConfig, natsEnv, runCommand } from '@matrix/platform';

/** Operator commands: `provision` creates or updates every stream, durable consumer and KV bucket (idempotent). */
void runCommand(process.argv, {
  provision: async () => {
    const nats = natsConfig(loadEnv(natsEnv));
    const client = await new NatsClient({ ...nats, name: 'matrix-cli' }).connect();
    try {
      const report = await provisionTopology(client.jsm, MATRIX_TOPOLOGY, client.namespace);
      const buckets = await provisionKvBuckets(client.nc, MATRIX_KV_BUCKETS, client.namespace);
      for (const { name, action } of [...report.streams, ...report.consumers, ...buckets]) {
        process.stdout.write(`${action.padEnd(7)} ${name}\n`);
      }
    } finally {
      await client.drain();
    }
  },
});
