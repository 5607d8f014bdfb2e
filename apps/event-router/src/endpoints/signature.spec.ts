import { Webhook } from 'standardwebhooks';
import { newSecret, sign, webhookId } from './signature';

describe('Standard Webhooks signing', () => {
  it('is verified by the standardwebhooks package with either secret during a rotation', () => {
    const [old, current] = [newSecret(), newSecret()];
    const id = webhookId('6f7d3c5e-0000-4000-8000-000000000001', 'MATRIX_EVENTS', 10, 12);
    const timestamp = Math.floor(Date.now() / 1000);
    const body = '[{"Event":"ZONE_CREATED"}]';
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign([current, old], id, timestamp, body),
    };
    expect(new Webhook(current).verify(body, headers)).toEqual([{ Event: 'ZONE_CREATED' }]);
    expect(new Webhook(old).verify(body, headers)).toEqual([{ Event: 'ZONE_CREATED' }]);
    expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(`${body} `, headers)).toThrow();
  });

  it('derives the same webhook-id from the same messages only', () => {
    const a = webhookId('s', 'MATRIX_EVENTS', 1, 5);
    expect(webhookId('s', 'MATRIX_EVENTS', 1, 5)).toBe(a);
    expect(webhookId('s', 'MATRIX_EVENTS', 1, 6)).not.toBe(a);
    expect(webhookId('t', 'MATRIX_EVENTS', 1, 5)).not.toBe(a);
    expect(a).toMatch(/^msg_[A-Za-z0-9]{24}$/);
  });
});
