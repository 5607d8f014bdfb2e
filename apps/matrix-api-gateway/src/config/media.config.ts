import { ConfigError, env, type EnvVar } from '@matrix/platform';

/**
 * The gateway's media store variables (merged into MATRIX_API_GATEWAY_ENV). The `MEDIA_S3_*` without a
 * value of their own default to empty (= unset), so deployments that keep `postgres` need not name them.
 */
export const MEDIA_ENV = {
  MEDIA_STORE: env.oneOf(
    'Where uploaded media (attachments, floor plans) are kept: `postgres` (a table of the gateway database) or `s3` (an S3-compatible bucket, `MEDIA_S3_*`)',
    ['postgres', 's3'] as const,
    { default: 'postgres' },
  ),
  MEDIA_S3_ENDPOINT: optionalUrl(
    'MEDIA_STORE=s3: the S3-compatible endpoint (e.g. `http://minio:9000`). Unset: AWS S3 of `MEDIA_S3_REGION`',
  ),
  MEDIA_S3_BUCKET: env.string('MEDIA_STORE=s3: the bucket (it must exist). Required with `MEDIA_STORE=s3`', {
    default: '',
  }),
  MEDIA_S3_REGION: env.string("MEDIA_STORE=s3: the bucket's region", { default: 'us-east-1' }),
  MEDIA_S3_ACCESS_KEY_ID: env.string(
    "MEDIA_STORE=s3: access key id. Unset (with the secret): the AWS SDK's default credential chain (environment, instance or pod role)",
    { default: '' },
  ),
  MEDIA_S3_SECRET_ACCESS_KEY: env.string(
    'MEDIA_STORE=s3: secret access key, set together with `MEDIA_S3_ACCESS_KEY_ID`',
    { default: '' },
  ),
  MEDIA_S3_FORCE_PATH_STYLE: env.oneOf(
    'MEDIA_STORE=s3: `true` puts the bucket in the path (`endpoint/bucket/key`), as MinIO and most self-hosted services need',
    ['true', 'false'] as const,
    { default: 'false' },
  ),
};

/** Where and how to reach an S3-compatible bucket (`MEDIA_S3_*`). */
export interface S3MediaConfig {
  /** Unset: AWS's own endpoint for the region. */
  readonly endpoint?: string;
  readonly bucket: string;
  readonly region: string;
  /** Unset: the AWS SDK's default chain (environment, instance or pod role). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** `bucket` in the path instead of the host name, as MinIO and most self-hosted services need. */
  readonly forcePathStyle: boolean;
}

/** Where the gateway keeps media: `postgres`, or `s3` with the bucket's settings. */
export type MediaConfig =
  { readonly store: 'postgres' } | { readonly store: 's3'; readonly s3: S3MediaConfig };

type MediaEnv = {
  MEDIA_STORE: 'postgres' | 's3';
  MEDIA_S3_ENDPOINT?: string;
  MEDIA_S3_BUCKET?: string;
  MEDIA_S3_REGION: string;
  MEDIA_S3_ACCESS_KEY_ID?: string;
  MEDIA_S3_SECRET_ACCESS_KEY?: string;
  MEDIA_S3_FORCE_PATH_STYLE: 'true' | 'false';
};

/** The media settings from the validated env, or a configuration error naming what `s3` lacks. */
export function mediaConfig(e: MediaEnv): MediaConfig {
  if (e.MEDIA_STORE === 'postgres') return { store: 'postgres' };
  const problems: string[] = [];
  if (!e.MEDIA_S3_BUCKET) problems.push('MEDIA_S3_BUCKET is required when MEDIA_STORE=s3');
  if (!e.MEDIA_S3_ACCESS_KEY_ID !== !e.MEDIA_S3_SECRET_ACCESS_KEY) {
    problems.push('MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY are set together or not at all');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    store: 's3',
    s3: {
      endpoint: e.MEDIA_S3_ENDPOINT || undefined,
      bucket: e.MEDIA_S3_BUCKET!,
      region: e.MEDIA_S3_REGION,
      forcePathStyle: e.MEDIA_S3_FORCE_PATH_STYLE === 'true',
      credentials: e.MEDIA_S3_ACCESS_KEY_ID
        ? { accessKeyId: e.MEDIA_S3_ACCESS_KEY_ID, secretAccessKey: e.MEDIA_S3_SECRET_ACCESS_KEY! }
        : undefined,
    },
  };
}

function optionalUrl(description: string): EnvVar<string> {
  return {
    type: 'url',
    description,
    default: '',
    parse(raw) {
      if (raw === '') return raw;
      const url = new URL(raw);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new Error('must use https:// or http://');
      }
      return raw;
    },
  };
}
