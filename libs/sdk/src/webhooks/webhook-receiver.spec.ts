import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { WebhookReceiver } from './webhook-receiver';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(__dirname, '../../../contracts/fixtures', name), 'utf8')) as Record<
    string,
    unknown
  >;

const TASK_COMPLETED = fixture('matrix-event/v1/task-completed.json');
const ZONE_CREATED = fixture('matrix-event/v1/zone-created.json');
const PEOPLE_COUNTER = fixture('normalised-sensor-data-point/v1/people-counter.json');

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const OTHER_SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const NOW_MS = Date.parse('2026-12-01T10:00:00Z');
const NOW_S = NOW_MS / 1000;

/** A POST as event-router sends it, signed by `standardwebhooks` itself with each of `secrets`. */
function post(body: string, secrets = [SECRET], timestamp = NOW_S, id = 'msg_testbatch0001') {
  const signature = secrets
    .map((secret) => new Webhook(secret).sign(id, new Date(timestamp * 1000), body))
    .join(' ');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    },
  };
}

const receiver = new WebhookReceiver({ secret: SECRET, now: () => NOW_MS });

describe('WebhookReceiver', () => {
  it('verifies a Matrix events batch signed with standardwebhooks and answers the typed events', () => {
    const { body, headers } = post(JSON.stringify([TASK_COMPLETED, ZONE_CREATED]));
    const result = receiver.verify(body, headers);
    expect(result).toEqual({
      ok: true,
      batch: {
        kind: 'matrix-events',
        webhookId: 'msg_testbatch0001',
        timestamp: new Date(NOW_MS),
        events: [TASK_COMPLETED, ZONE_CREATED],
        invalid: [],
      },
    });
    if (result.ok && result.batch.kind === 'matrix-events') {
      expect(result.batch.events[0]!.Event).toBe('TASK_COMPLETED');
    }
  });

  it('parses sensor data batches in both encodings into the same points', () => {
    const second = { ...PEOPLE_COUNTER, unixT: 1700000060000, v: { count: 3, out_count: 1 } };
    const objects = post(JSON.stringify([PEOPLE_COUNTER, second]));
    const strings = post(JSON.stringify([JSON.stringify(PEOPLE_COUNTER), JSON.stringify(second)]));
    const sensor = new WebhookReceiver({ secret: SECRET, kind: 'sensor-data', now: () => NOW_MS });

    const fromObjects = sensor.verifyOrThrow(objects.body, objects.headers);
    const fromStrings = sensor.verifyOrThrow(strings.body, strings.headers);
    expect(fromObjects).toMatchObject({ kind: 'sensor-data', encoding: 'objects' });
    expect(fromStrings).toMatchObject({ kind: 'sensor-data', encoding: 'json-strings' });
    expect(fromObjects.points).toEqual([PEOPLE_COUNTER, second]);
    expect(fromStrings.points).toEqual(fromObjects.points);
  });

  it('accepts the fixed test vector of a sensor data batch (HMAC computed outside any library)', () => {
    const body =
      '[{"DEVID":"pc-1","DevType":"SMARTCLEAN#PPLCTR","unixT":1654063185904,"v":{"count":2,"out_count":0},' +
      '"t":"20220601135945","Region":"Asia/Singapore","time":"2022-06-01T13:59:45+0800","PID":"b1","InsID":"z1",' +
      '"dow":"3","month":"06","hour":"13","dom":"01","minute":"59"}]';
    const vector = new WebhookReceiver({
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      now: () => 1654063200 * 1000,
    });
    const result = vector.verifyOrThrow(Buffer.from(body), {
      'webhook-id': 'msg_2YtL0k3hQ8mWcA9nJbP4xRsE',
      'webhook-timestamp': '1654063190',
      'webhook-signature': 'v1,M5pgZNeHlWmLHblZ8xGSUNRfgC7ZGupPw59gFnuYMJo=',
    });
    expect(result).toMatchObject({ kind: 'sensor-data', encoding: 'objects', points: [{ DEVID: 'pc-1' }] });
  });

  it("checks the Standard Webhooks specification's own test vector (its payload is no batch)", () => {
    const vector = new WebhookReceiver({
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      now: () => 1614265330 * 1000,
    });
    const headers = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    // The signature matches: what is refused is the body, a JSON object rather than a batch.
    expect(vector.verify('{"test": 2432232314}', headers)).toMatchObject({
      ok: false,
      error: { code: 'malformed_body', status: 400 },
    });
    expect(vector.verify('{"test": 2432232315}', headers)).toMatchObject({
      ok: false,
      error: { code: 'invalid_signature', status: 401 },
    });
  });

  it('refuses a tampered body, a wrong secret, missing headers and old or future timestamps', () => {
    const good = post(JSON.stringify([TASK_COMPLETED]));
    const code = (body: string, headers: Record<string, string>) => {
      const result = receiver.verify(body, headers);
      return result.ok ? 'ok' : result.error.code;
    };
    expect(code(good.body, good.headers)).toBe('ok');
    expect(code(good.body.replace('Morning clean', 'Evening clean'), good.headers)).toBe('invalid_signature');
    const wrong = post(good.body, [OTHER_SECRET]);
    expect(code(wrong.body, wrong.headers)).toBe('invalid_signature');
    const { 'webhook-signature': _dropped, ...unsigned } = good.headers;
    expect(code(good.body, unsigned)).toBe('missing_headers');
    const old = post(good.body, [SECRET], NOW_S - 301);
    expect(code(old.body, old.headers)).toBe('timestamp_out_of_tolerance');
    const future = post(good.body, [SECRET], NOW_S + 301);
    expect(code(future.body, future.headers)).toBe('timestamp_out_of_tolerance');
    const edge = post(good.body, [SECRET], NOW_S - 300);
    expect(code(edge.body, edge.headers)).toBe('ok');
    expect(code(good.body, { ...good.headers, 'webhook-timestamp': 'yesterday' })).toBe('invalid_timestamp');
    // A longer tolerance accepts the old one.
    const lenient = new WebhookReceiver({ secret: SECRET, toleranceSeconds: 600, now: () => NOW_MS });
    expect(lenient.verify(old.body, old.headers).ok).toBe(true);
  });

  it('accepts either secret during a rotation, whichever the POST was signed with', () => {
    const rotating = new WebhookReceiver({ secret: [SECRET, OTHER_SECRET], now: () => NOW_MS });
    const body = JSON.stringify([ZONE_CREATED]);
    expect(rotating.verify(body, post(body, [OTHER_SECRET]).headers).ok).toBe(true);
    expect(rotating.verify(body, post(body, [SECRET]).headers).ok).toBe(true);
    // event-router signs with both during the overlap: a receiver holding only the new one accepts it.
    const newOnly = new WebhookReceiver({ secret: OTHER_SECRET, now: () => NOW_MS });
    expect(newOnly.verify(body, post(body, [SECRET, OTHER_SECRET]).headers).ok).toBe(true);
  });

  it('reads headers from a fetch Headers object and in any letter case', () => {
    const { body, headers } = post(JSON.stringify([ZONE_CREATED]));
    expect(receiver.verify(body, new Headers(headers)).ok).toBe(true);
    const upper = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]),
    );
    expect(receiver.verify(body, upper).ok).toBe(true);
  });

  it('refuses signed bodies that are not batches of ours', () => {
    const verify = (items: unknown, kind?: 'matrix-events' | 'sensor-data') => {
      const body = typeof items === 'string' ? items : JSON.stringify(items);
      const result = new WebhookReceiver({ secret: SECRET, kind, now: () => NOW_MS }).verify(
        body,
        post(body).headers,
      );
      return result.ok
        ? 'ok'
        : { code: result.error.code, message: result.error.message, errors: result.error.errors };
    };
    expect(verify('[{"Event":')).toMatchObject({ code: 'malformed_body' });
    expect(verify(TASK_COMPLETED)).toMatchObject({
      code: 'malformed_body',
      message: 'the body is not a JSON array',
    });
    expect(verify([])).toMatchObject({ code: 'invalid_items', message: 'the body is an empty array' });
    expect(verify([{ hello: 1 }])).toMatchObject({ code: 'invalid_items' });
    expect(verify([TASK_COMPLETED], 'sensor-data')).toMatchObject({
      code: 'invalid_items',
      message: 'expected a sensor-data batch, got matrix-events',
    });
    expect(verify([TASK_COMPLETED, 7])).toMatchObject({
      code: 'malformed_body',
      message: '[1] is not a JSON object',
    });
    expect(verify([JSON.stringify(PEOPLE_COUNTER), '{"DEVID":'])).toMatchObject({ code: 'malformed_body' });
    expect(verify([JSON.stringify(PEOPLE_COUNTER), PEOPLE_COUNTER])).toMatchObject({
      code: 'malformed_body',
    });
  });

  it('keeps the valid items of a batch and lists its contract-invalid objects with their reason, in both encodings', () => {
    const { Module: _module, ...noModule } = TASK_COMPLETED;
    const events = post(JSON.stringify([TASK_COMPLETED, noModule]));
    expect(receiver.verify(events.body, events.headers)).toEqual({
      ok: true,
      batch: expect.objectContaining({
        kind: 'matrix-events',
        events: [TASK_COMPLETED],
        invalid: [{ index: 1, item: noModule, reason: 'Module: is required' }],
      }),
    });
    // A value the platform started sending after this SDK was built (docs/contracts.md) does not fail the batch.
    const today = { ...PEOPLE_COUNTER, t: 'today' };
    const strings = post(JSON.stringify([JSON.stringify(today), JSON.stringify(PEOPLE_COUNTER)]));
    expect(receiver.verify(strings.body, strings.headers)).toEqual({
      ok: true,
      batch: expect.objectContaining({
        kind: 'sensor-data',
        encoding: 'json-strings',
        points: [PEOPLE_COUNTER],
        invalid: [{ index: 0, item: today, reason: expect.stringMatching(/^t: /) }],
      }),
    });
  });

  it('refuses a secret that is not a whsec_ secret', () => {
    expect(() => new WebhookReceiver({ secret: 'plain' })).toThrow(/whsec_/);
    expect(() => new WebhookReceiver({ secret: [] })).toThrow(/at least one secret/);
  });
});
