import { checkSubscriptionInput, checkSubscriptionUpdate } from './subscription.v1';

const valid = { url: 'https://example.com/hook', kind: 'matrix-events', patterns: ['matrix.B1.#'] };

describe('subscription input', () => {
  it('accepts the minimal documented create body', () => {
    expect(checkSubscriptionInput(valid)).toEqual({ ok: true, value: valid });
  });

  it('lists every problem with its path', () => {
    const result = checkSubscriptionInput({
      url: 'ftp://x',
      kind: 'emails',
      patterns: ['matrix.>.x'],
      auth: { type: 'basic', username: 'a:b' },
      batch: { maxSize: 0, maxWaitMs: 10 },
      extra: 1,
    });
    expect(result.ok).toBe(false);
    const errors = (result as { errors: string[] }).errors.join('\n');
    for (const path of [
      'url',
      'kind',
      'patterns[0]',
      'auth.username',
      'auth.password',
      'batch.maxSize',
      'extra',
    ]) {
      expect(errors).toContain(`${path}:`);
    }
  });

  it('takes a concurrency of 1 to 16', () => {
    expect(checkSubscriptionInput({ ...valid, concurrency: 16 }).ok).toBe(true);
    for (const concurrency of [0, 17, 2.5, '4']) {
      expect(checkSubscriptionInput({ ...valid, concurrency })).toEqual({
        ok: false,
        errors: [expect.stringMatching(/^concurrency: /)],
      });
    }
    expect(checkSubscriptionUpdate({ concurrency: 4 }).ok).toBe(true);
  });

  it('takes oauth2 and header auth, and refuses a header the router sets', () => {
    expect(
      checkSubscriptionInput({
        ...valid,
        auth: { type: 'oauth2', tokenUrl: 'https://idp/token', clientId: 'c', clientSecret: 's' },
      }).ok,
    ).toBe(true);
    expect(
      checkSubscriptionInput({ ...valid, auth: { type: 'header', name: 'X-Api-Key', value: 'k' } }).ok,
    ).toBe(true);
    expect(
      checkSubscriptionInput({ ...valid, auth: { type: 'header', name: 'webhook-id', value: 'k' } }).ok,
    ).toBe(false);
  });

  it('keeps encoding to sensor data and kind out of updates', () => {
    expect(checkSubscriptionInput({ ...valid, encoding: 'json-strings' }).ok).toBe(false);
    expect(checkSubscriptionInput({ ...valid, kind: 'sensor-data', encoding: 'json-strings' }).ok).toBe(true);
    expect(checkSubscriptionUpdate({ kind: 'sensor-data' }).ok).toBe(false);
    expect(checkSubscriptionUpdate({ status: 'active', batch: { maxSize: 10, maxWaitMs: 0 } }).ok).toBe(true);
  });
});
