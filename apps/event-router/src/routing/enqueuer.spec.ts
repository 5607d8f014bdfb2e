import { notifyPayload } from './enqueuer';

describe('notifyPayload', () => {
  it('names each woken subscription once, or every worker when the list would not fit a NOTIFY', () => {
    expect(notifyPayload(['a', 'b', 'a'])).toBe('a,b');
    const many = Array.from(
      { length: 300 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    expect(notifyPayload(many)).toBe('*');
  });
});
