import { testNatsUrl, uniqueNamespace } from '@matrix/testing';
import { NatsClient } from '../src/lib/connection/nats-client';
import { KvDirectory } from '../src/lib/kv/kv-directory';
import {
  deleteKvBuckets,
  openKvBucket,
  provisionKvBuckets,
  type KvBucketSpec,
} from '../src/lib/topology/kv-buckets';
import { silentLogger } from './messaging-harness';

/*
 * KvDirectory.fetch on a real nats-server: a key the watch has not delivered is read from the bucket and
 * kept; a deleted or refused entry is not; beyond its bound of reads in flight it does not read at all.
 */

const BUCKET: KvBucketSpec = { name: 'THINGS', description: 'test directory', history: 1, budgetShare: 0.1 };
let client: NatsClient;
let directory: KvDirectory<{ name: string }>;

const put = async (key: string, value: unknown) =>
  (await openKvBucket(client.nc, BUCKET, client.namespace)).put(key, JSON.stringify(value));

beforeAll(async () => {
  client = await new NatsClient({
    servers: [testNatsUrl()],
    name: 'test-kv-directory',
    namespace: uniqueNamespace('kv-directory'),
  }).connect();
  await provisionKvBuckets(client.nc, [BUCKET], client.namespace);
  await put('known', { name: 'loaded by the watch' });
  directory = new KvDirectory(client, silentLogger, {
    bucket: BUCKET,
    label: 'test directory',
    noun: 'things',
    parse: (_key, value) =>
      typeof (value as { name?: unknown })?.name === 'string'
        ? { ok: true, entry: value as { name: string } }
        : { ok: false, errors: ['name must be a string'] },
    refusedMeans: 'left out',
  });
  directory.start();
  expect(await directory.whenLoaded(10_000)).toBe(true);
  expect(directory.lookup('known')).toEqual({ name: 'loaded by the watch' });
  // From here on the watch applies nothing: what the directory learns, it learns by fetch.
  await directory.stop();
});

afterAll(async () => {
  await deleteKvBuckets(client.nc, [BUCKET], client.namespace);
  await client.drain();
});

describe('KvDirectory.fetch', () => {
  it('reads a key the watch has not delivered and keeps it for the next lookup', async () => {
    await put('new', { name: 'put after the load' });
    expect(directory.lookup('new')).toBeUndefined();
    expect(await directory.fetch('new')).toEqual({ name: 'put after the load' });
    expect(directory.lookup('new')).toEqual({ name: 'put after the load' });
  });

  it('answers nothing for a missing key, a deleted one and one its parser refuses', async () => {
    await put('gone', { name: 'deleted again' });
    await (await openKvBucket(client.nc, BUCKET, client.namespace)).delete('gone');
    await put('bad', { name: 42 });
    for (const key of ['missing', 'gone', 'bad']) {
      expect(await directory.fetch(key)).toBeUndefined();
      expect(directory.lookup(key)).toBeUndefined();
    }
  });

  it('does not read beyond its bound of reads in flight', async () => {
    await put('bounded', { name: 'there, but not read' });
    expect(await directory.fetch('bounded', { maxInFlight: 0 })).toBeUndefined();
    expect(await directory.fetch('bounded')).toEqual({ name: 'there, but not read' });
  });
});
