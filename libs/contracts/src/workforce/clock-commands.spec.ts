import { CLOCK_ADVANCE_COMMAND, MAX_CLOCK_ADVANCE_SECONDS } from './clock-commands';

describe('the clock command', () => {
  it('accepts a positive whole number of seconds, up to 30 days', () => {
    expect(CLOCK_ADVANCE_COMMAND.decodeRequest({ seconds: 301 })).toEqual({
      ok: true,
      value: { seconds: 301 },
    });
    expect(CLOCK_ADVANCE_COMMAND.decodeRequest({ seconds: MAX_CLOCK_ADVANCE_SECONDS }).ok).toBe(true);
    for (const bad of [{ seconds: 0 }, { seconds: -5 }, { seconds: 1.5 }, { seconds: '60' }, {}, [], null]) {
      expect(CLOCK_ADVANCE_COMMAND.decodeRequest(bad).ok).toBe(false);
    }
    expect(CLOCK_ADVANCE_COMMAND.decodeRequest({ seconds: MAX_CLOCK_ADVANCE_SECONDS + 1 })).toEqual({
      ok: false,
      errors: ['seconds: must be an integer from 1 to 2592000'],
    });
  });

  it('answers the new time in ISO 8601', () => {
    expect(CLOCK_ADVANCE_COMMAND.decodeReply({ now: '2026-01-01T00:05:01.000Z' }).ok).toBe(true);
    expect(CLOCK_ADVANCE_COMMAND.decodeReply({ now: 'soon' }).ok).toBe(false);
  });
});
