import { env, loadEnv, natsConfig, natsEnv, type NatsConfig } from '@matrix/platform';

export const MATRIX_CLI_ENV = {
  ...natsEnv,
  NATS_STREAM_REPLICAS: env.int(
    'Copies of every stream and KV bucket: 1 on one server, 3 on a 3-node JetStream cluster',
    {
      default: 1,
      min: 1,
      max: 5,
    },
  ),
};

export interface MatrixCliConfig {
  readonly nats: NatsConfig;
  readonly streamReplicas: number;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): MatrixCliConfig {
  const e = loadEnv(MATRIX_CLI_ENV, source);
  return { nats: natsConfig(e), streamReplicas: e.NATS_STREAM_REPLICAS };
}
