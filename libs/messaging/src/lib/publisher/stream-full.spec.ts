import { isStreamFull } from './stream-full';

describe('isStreamFull', () => {
  it('recognises a full stream and a full store, also wrapped', () => {
    const server = new Error('maximum bytes exceeded');
    expect(isStreamFull(server)).toBe(true);
    expect(isStreamFull(new Error('JetStream did not store sensor.raw.x: …', { cause: server }))).toBe(true);
    expect(isStreamFull(new Error('maximum messages exceeded'))).toBe(true);
    expect(isStreamFull(new Error('insufficient resources'))).toBe(true);
  });

  it('does not take an unreachable JetStream or another refusal for a full stream', () => {
    expect(isStreamFull(new Error('TIMEOUT'))).toBe(false);
    expect(isStreamFull(new Error('no responders available for request'))).toBe(false);
    expect(isStreamFull(new Error('wrong last sequence: 3'))).toBe(false);
    expect(isStreamFull('maximum bytes exceeded')).toBe(false);
  });
});
