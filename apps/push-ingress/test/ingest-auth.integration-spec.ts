import { formatIngestKey, newIngestSecret } from '@matrix/contracts';
import { deleteIngestKey, expectEventually, putIngestKey } from '@matrix/testing';
import { IngestKeyDirectory } from '../src/auth/ingest-key-directory';
import { bearer, BUILDING, IngressHarness, point } from './ingress-harness';

describe('push-ingress with INGEST_AUTH=required (the default)', () => {
  const h = new IngressHarness('ingest-auth');
  beforeAll(() => h.start({ bucket: true }));
  afterAll(() => h.stop());

  it('is ready once the ingest keys are loaded', async () => {
    await expectEventually(async () => expect((await h.ready()).status).toBe(200));
  });

  it('refuses a batch without a key with 401, a Bearer challenge and problem+json, and stores nothing', async () => {
    const response = await fetch(`${h.url}/v1/sensor-data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([point()]),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="push-ingress"');
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({
      title: 'Unauthorized',
      status: 401,
      detail: expect.stringContaining('Authorization: Bearer mik_<id>_<secret>'),
    });
    expect(await h.rawMessages()).toEqual([]);
  });

  it('refuses a malformed header, an unknown key and a wrong secret with 401 invalid_token', async () => {
    const key = await h.key();
    const wrongSecret = formatIngestKey(key.id, newIngestSecret());
    const unknown = formatIngestKey('zzzzzzzzzzzz', key.key.slice(-43));
    for (const [headers, detail] of [
      [{ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, 'must be Bearer'],
      [bearer('mik_short'), 'not an ingest key'],
      [bearer(unknown), 'unknown or revoked ingest key zzzzzzzzzzzz'],
      [bearer(wrongSecret), `the secret of ingest key ${key.id} does not match`],
    ] as const) {
      const response = await h.post([point()], headers);
      expect({ status: response.status, detail: response.body.detail }).toEqual({
        status: 401,
        detail: expect.stringContaining(detail),
      });
      expect(response.headers.get('www-authenticate')).toBe(
        'Bearer realm="push-ingress", error="invalid_token"',
      );
    }
    expect(await h.rawMessages()).toEqual([]);
  });

  it('accepts a batch with a good key and stamps the key and its building on the raw messages', async () => {
    const key = await h.key();
    const response = await h.post(
      [point(), point({ unixT: Date.parse('2026-11-26T08:16:30Z') })],
      bearer(key),
    );
    expect(response).toMatchObject({ status: 202, body: { accepted: 2, duplicates: 0 } });
    const mine = (await h.rawMessages()).filter((m) => m.headers.key === key.id);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((m) => m.headers.pid === BUILDING)).toBe(true);
  });

  it('stores a body of point objects as it was posted, and the points serialised again when it rewrote one', async () => {
    const key = await h.key();
    const asSent = `[ ${JSON.stringify(point({ unixT: Date.parse('2026-11-26T08:17:30Z') }), null, 1)} ]`;
    expect((await h.post(asSent, bearer(key))).status).toBe(202);
    const legacy = point({ DevType: 'ODRDTR', v: { amm: 0.4, alc: 1.2, no2: 0.01 } });
    const strings = [JSON.stringify(point({ unixT: Date.parse('2026-11-26T08:18:30Z') }))];
    expect((await h.post([legacy], bearer(key))).status).toBe(202);
    expect((await h.post(strings, bearer(key))).status).toBe(202);
    const bodies = (await h.rawMessages()).filter((m) => m.headers.key === key.id).map((m) => m.body);
    expect(bodies).toEqual([
      asSent,
      JSON.stringify([{ ...legacy, DevType: 'SMARTCLEAN#ODRDTR' }]),
      JSON.stringify([JSON.parse(strings[0]!)]),
    ]);
  });

  it('holds a key to its building and provider', async () => {
    const key = await h.key({ provider: 'ACME' });
    const response = await h.post([point()], bearer(key));
    expect(response.status).toBe(403);
    expect(response.body.errors[0].problems[0]).toContain('provider SMARTCLEAN is not ACME');
    const elsewhere = await h.key({ pid: 'another-building' });
    expect((await h.post([point()], bearer(elsewhere))).status).toBe(403);
  });

  it('refuses a key within moments of its deletion from INGEST_KEYS (revocation)', async () => {
    const key = await h.key();
    expect((await h.post([point({ v: { count: 7, out_count: 0 } })], bearer(key))).status).toBe(202);
    await deleteIngestKey(h.client.nc, h.client.namespace, key.id);
    await expectEventually(async () => {
      const response = await h.post([point({ v: { count: 8, out_count: 0 } })], bearer(key));
      expect({ status: response.status, detail: response.body.detail }).toEqual({
        status: 401,
        detail: `unknown or revoked ingest key ${key.id}`,
      });
    });
  });

  it('checks the key before the body: an unauthenticated batch that is not JSON is still 401', async () => {
    const response = await fetch(`${h.url}/v1/sensor-data`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'not json',
    });
    expect(response.status).toBe(401);
  });

  // Last in this block: it stops the directory's watch.
  it('accepts a key its watch has not delivered yet, read from INGEST_KEYS, and refuses one deleted there', async () => {
    const directory = h.app.get(IngestKeyDirectory);
    await directory.stop(); // from here on the watch delivers nothing: a key is found by the bucket read alone
    const key = await putIngestKey(h.client.nc, h.client.namespace, { pid: BUILDING });
    expect(directory.lookup(key.id)).toBeUndefined();
    const response = await h.post([point({ v: { count: 9, out_count: 0 } })], bearer(key));
    expect(response).toMatchObject({ status: 202, body: { accepted: 1 } });
    expect(directory.lookup(key.id)).toMatchObject({ id: key.id, pid: BUILDING });

    const gone = await putIngestKey(h.client.nc, h.client.namespace, { pid: BUILDING });
    await deleteIngestKey(h.client.nc, h.client.namespace, gone.id);
    const refused = await h.post([point()], bearer(gone));
    expect({ status: refused.status, detail: refused.body.detail }).toEqual({
      status: 401,
      detail: `unknown or revoked ingest key ${gone.id}`,
    });
  });
});

describe('push-ingress before the INGEST_KEYS bucket exists', () => {
  const h = new IngressHarness('ingest-auth-nobucket');
  beforeAll(() => h.start({ bucket: false }));
  afterAll(() => h.stop());

  it('answers 503 with Retry-After to a well-formed key, reports not ready naming the bucket, and recovers once provisioned', async () => {
    const key = formatIngestKey('abcdefgh2345', newIngestSecret());
    const early = await h.post([point()], bearer(key));
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('2');
    expect(early.body).toMatchObject({ title: 'Ingest keys loading', status: 503 });
    await expectEventually(async () => {
      const ready = await h.ready();
      expect(ready.status).toBe(503);
      expect(JSON.stringify(ready.body)).toContain(
        `KV bucket ${h.client.namespace.stream('INGEST_KEYS')} does not exist: run matrix-cli provision (is NATS_NAMESPACE right?)`,
      );
    });

    await h.provisionBucket();
    const registered = await h.key();
    expect((await h.post([point()], bearer(registered))).status).toBe(202);
    expect((await h.ready()).status).toBe(200);
  });
});

describe('push-ingress with INGEST_AUTH=disabled', () => {
  const h = new IngressHarness('ingest-auth-off');
  beforeAll(() => h.start({ bucket: false, env: { INGEST_AUTH: 'disabled' } }));
  afterAll(() => h.stop());

  it('accepts batches without a key, for any building, as the anonymous principal, and needs no bucket', async () => {
    await expectEventually(async () => expect((await h.ready()).status).toBe(200));
    const response = await h.post([point(), point({ PID: 'another-building', DEVID: 'pc-elsewhere' })]);
    expect(response).toMatchObject({ status: 202, body: { accepted: 2 } });
    const messages = await h.rawMessages();
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m) => m.headers.key === 'anonymous' && m.headers.pid === '*')).toBe(true);
  });
});
