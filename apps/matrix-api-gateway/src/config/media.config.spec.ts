import { ConfigError } from '@matrix/platform';
import { mediaConfig } from './media.config';

const base = { MEDIA_S3_REGION: 'eu-central-1', MEDIA_S3_FORCE_PATH_STYLE: 'false' as const };

describe('mediaConfig', () => {
  it('is the PostgreSQL store by default, whatever MEDIA_S3_* say', () => {
    expect(mediaConfig({ ...base, MEDIA_STORE: 'postgres', MEDIA_S3_BUCKET: 'ignored' })).toEqual({
      store: 'postgres',
    });
  });

  it('maps MEDIA_STORE=s3 and its variables to the bucket settings', () => {
    expect(
      mediaConfig({
        ...base,
        MEDIA_STORE: 's3',
        MEDIA_S3_ENDPOINT: 'http://minio:9000',
        MEDIA_S3_BUCKET: 'media',
        MEDIA_S3_ACCESS_KEY_ID: 'id',
        MEDIA_S3_SECRET_ACCESS_KEY: 'secret',
        MEDIA_S3_FORCE_PATH_STYLE: 'true',
      }),
    ).toEqual({
      store: 's3',
      s3: {
        endpoint: 'http://minio:9000',
        bucket: 'media',
        region: 'eu-central-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
      },
    });
    // No keys (empty is unset, the variables' default): the AWS SDK's default chain, AWS's endpoint.
    expect(
      mediaConfig({
        ...base,
        MEDIA_STORE: 's3',
        MEDIA_S3_BUCKET: 'media',
        MEDIA_S3_ENDPOINT: '',
        MEDIA_S3_ACCESS_KEY_ID: '',
        MEDIA_S3_SECRET_ACCESS_KEY: '',
      }),
    ).toMatchObject({
      s3: { credentials: undefined, endpoint: undefined, forcePathStyle: false },
    });
  });

  it('names every problem of an s3 configuration at once', () => {
    let error: unknown;
    try {
      mediaConfig({ ...base, MEDIA_STORE: 's3', MEDIA_S3_BUCKET: '', MEDIA_S3_ACCESS_KEY_ID: 'id' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'MEDIA_S3_BUCKET is required when MEDIA_STORE=s3',
      'MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY are set together or not at all',
    ]);
  });
});
