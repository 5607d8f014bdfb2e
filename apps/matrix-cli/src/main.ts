import 'reflect-metadata';
import {
  MATRIX_KV_BUCKETS,
  MATRIX_TOPOLOGY,
  NatsClient,
  provisionKvBuckets,
  provisionTopology,
} from '@matrix/messaging';
import { runCommand } from '@matrix/platform';
import { loadConfig } from './config/matrix-cli.config';

/** Operator commands: `provision` creates or updates every stream, durable consumer and KV bucket (idempotent). */
void runCommand(process.argv, {
  provision: async () => {
    const config = loadConfig();
    const client = await new NatsClient({ ...config.nats, name: 'matrix-cli' }).connect();
    try {
      const replicas = config.streamReplicas;
      const report = await provisionTopology(client.jsm, MATRIX_TOPOLOGY, client.namespace, { replicas });
      const buckets = await provisionKvBuckets(client.nc, MATRIX_KV_BUCKETS, client.namespace, { replicas });
      for (const { name, action } of [...report.streams, ...report.consumers, ...buckets]) {
        process.stdout.write(`${action.padEnd(7)} ${name}\n`);
      }
    } finally {
      await client.drain();
    }
  },
});
