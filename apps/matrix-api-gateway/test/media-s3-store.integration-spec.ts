import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Database } from '@matrix/persistence';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_MEDIA_BYTES } from '../src/media/media-content';
import { S3MediaStore } from '../src/media/s3-media-store';
import { GatewayHarness } from './gateway-harness';
import { formAction, JPEG, PNG, sized } from './media-uploads';

/*
 * The S3-compatible media store against a real S3 server (s3rver, started here on a free port in a temp
 * dir): the store's put/get/delete, then the gateway with MEDIA_STORE=s3 storing an upload in the bucket
 * and reading it back, and refusing the acceptance's three uploads without writing an object.
 */

/** The part of s3rver's API used here (it ships no types). */
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverOptions = {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: Array<{ name: string; configs: string[] }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- s3rver is CommonJS without types
const S3rver = require('s3rver') as new (options: S3rverOptions) => S3rverServer;

const BUCKET = 'matrix-media';
// s3rver's fixed development credentials.
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

let directory: string;
let server: S3rverServer;
let endpoint: string;
let gw: GatewayHarness;
let store: S3MediaStore;
let client: S3Client;

async function objects(): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (listed.Contents ?? []).map((o) => o.Key!).sort();
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'media-s3-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const address = await server.run();
  endpoint = `http://127.0.0.1:${address.port}`;
  const config = {
    endpoint,
    bucket: BUCKET,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    forcePathStyle: true,
  };
  store = new S3MediaStore(config);
  client = new S3Client({ ...config, requestChecksumCalculation: 'WHEN_REQUIRED' });
  gw = new GatewayHarness(
    'media-s3',
    {},
    {
      MEDIA_STORE: 's3',
      MEDIA_S3_ENDPOINT: endpoint,
      MEDIA_S3_BUCKET: BUCKET,
      MEDIA_S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      MEDIA_S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      MEDIA_S3_FORCE_PATH_STYLE: 'true',
    },
  );
  await gw.start();
});

afterAll(async () => {
  await gw?.stop();
  store?.close();
  client?.destroy();
  await server?.close();
  await rm(directory, { recursive: true, force: true });
});

describe('S3MediaStore', () => {
  it('puts, gets and deletes an object by key, and answers undefined for a missing one', async () => {
    const key = 'media/0123456789abcdef0123456789abcdef';
    await store.put(key, { contentType: 'image/png', bytes: PNG });
    expect(await store.get(key)).toEqual({ contentType: 'image/png', size: PNG.length, bytes: PNG });
    await store.put(key, { contentType: 'image/jpeg', bytes: JPEG });
    expect((await store.get(key))?.bytes.equals(JPEG)).toBe(true);
    await store.delete(key);
    expect(await store.get(key)).toBeUndefined();
    await store.delete(key); // a missing one: no error
    expect(await objects()).toEqual([]);
  });
});

describe('the gateway with MEDIA_STORE=s3', () => {
  const upload = (file: { bytes: Buffer; name?: string; type?: string }) =>
    formAction(
      gw.url,
      gw.tenant,
      { op: 'scgrids.uploadMediaAttachment', org: gw.tenant.org },
      { Type: 'image', Entity: 'incident' },
      { field: 'File', ...file },
    );

  it('keeps an upload in the bucket under a key of its own and reads it back', async () => {
    const answer = await upload({ bytes: PNG, name: 'plan.png', type: 'image/png' });
    expect(answer.status).toBe(201);
    const uri = answer.body.data.URI as string;
    expect(await objects()).toEqual([`media/${uri}`]);
    const read = await gw.action(gw.tenant, { op: 'scgrids.getMediaAttachment' }, { URI: uri });
    expect(read.status).toBe(200);
    expect(Buffer.from(read.body.data.Content, 'base64').equals(PNG)).toBe(true);
    const [row] = await gw.app
      .get(Database)
      .query<{ n: number }>('select count(*)::int as n from registry.media_objects');
    expect(row!.n).toBe(0);
  });

  it('refuses an oversized image, a mislabelled file and a path-traversal name, writing no object', async () => {
    const before = await objects();
    expect(
      (await upload({ bytes: sized(PNG, MAX_MEDIA_BYTES + 1), name: 'big.png', type: 'image/png' })).body
        .code,
    ).toBe('LIMIT_VIOLATED');
    expect((await upload({ bytes: JPEG, name: 'a.png', type: 'image/png' })).body.message).toBe(
      'The file is declared as image/png but its bytes are image/jpeg',
    );
    expect((await upload({ bytes: PNG, name: '../../etc/passwd', type: 'image/png' })).status).toBe(400);
    expect(await objects()).toEqual(before);
  });
});
