import { ActionError } from '../actions/action-error';
import { decodeEventLogKey, encodeEventLogKey } from './event-log-inputs';

describe('the event log LastKey', () => {
  it.each([
    ['outbox:workforce.outbox:123'],
    ['sha256:2f1c…'],
    ['a publisher’s own id, with spaces and ünïcode'],
    ['x'.repeat(1000)],
  ])('comes back as it was issued for a message id like %s', (msgId) => {
    const key = { at: '2026-12-07T10:00:00.123456Z', msgId };
    expect(decodeEventLogKey(encodeEventLogKey(key))).toEqual(key);
  });

  it.each([
    ['not base64url', 'a+b/c'],
    ['no separator', Buffer.from('2026-12-07T10:00:00.123456Z').toString('base64url')],
    ['a time of another form', Buffer.from('2026-12-07 10:00|m1').toString('base64url')],
    ['an empty message id', Buffer.from('2026-12-07T10:00:00.123456Z|').toString('base64url')],
    ['a number', 42],
  ])('is refused naming LastKey when it is %s', (_what, value) => {
    expect(() => decodeEventLogKey(value)).toThrow(ActionError);
    expect(() => decodeEventLogKey(value)).toThrow('LastKey: is not one this API returned');
  });
});
