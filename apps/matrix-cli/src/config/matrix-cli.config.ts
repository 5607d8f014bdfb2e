import {
  DEFAULT_JETSTREAM_BUDGET,
  parseByteSize,
  parseNamedList,
  parseRetention,
  type CapacityOptions,
} from '@matrix/messaging';
import { env, loadEnv, natsConfig, natsEnv, type EnvVar, type NatsConfig } from '@matrix/platform';

const size = (description: string, fallback: string): EnvVar<number> => ({
  type: 'size',
  description,
  default: fallback,
  parse: parseByteSize,
});

const namedList = <T>(description: string, parse: (value: string) => T): EnvVar<Record<string, T>> => ({
  type: 'NAME=value,…',
  description,
  default: '',
  parse: (raw) => parseNamedList(raw, parse),
});

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
  NATS_JETSTREAM_BUDGET: size(
    "JetStream store the platform may fill on each server, split into the streams' and buckets' max_bytes by their shares (docs/operations.md, Capacity); keep it below nats-server's max_file_store. `8GB` = 8 GiB, as in nats.conf",
    `${DEFAULT_JETSTREAM_BUDGET / 1024 ** 3}GiB`,
  ),
  NATS_STREAM_MAX_BYTES: namedList(
    'max_bytes of named streams or KV buckets instead of their share, e.g. `SENSOR_RAW=40GB,SENSOR_DATA=60GB`',
    parseByteSize,
  ),
  NATS_STREAM_MAX_AGE: namedList(
    'Retention of named streams instead of their default (7 or 30 days), e.g. `SENSOR_RAW=1d,SENSOR_DATA=2d`',
    parseRetention,
  ),
};

export interface MatrixCliConfig {
  readonly nats: NatsConfig;
  readonly streamReplicas: number;
  readonly capacity: Required<CapacityOptions>;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): MatrixCliConfig {
  const e = loadEnv(MATRIX_CLI_ENV, source);
  return {
    nats: natsConfig(e),
    streamReplicas: e.NATS_STREAM_REPLICAS,
    capacity: {
      budgetBytes: e.NATS_JETSTREAM_BUDGET,
      maxBytes: e.NATS_STREAM_MAX_BYTES,
      maxAgeMs: e.NATS_STREAM_MAX_AGE,
    },
  };
}
