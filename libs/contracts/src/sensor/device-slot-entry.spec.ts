import { parseDeviceSlotEntry } from './device-slot-entry';

describe('parseDeviceSlotEntry', () => {
  const value = {
    Alias: 'alias-1',
    DevType: 'SMARTCLEAN#FD',
    Provider: 'SMARTCLEAN',
    Org: 'ACME',
    PropId: 'prop-1',
    PID: 'pid-1',
    LID: 'level-1',
    InsID: 'zone-1',
    Display: null,
    Region: 'Europe/Berlin',
    Devid: null,
    UpdatedOn: '2026-11-26T08:00:00.000Z',
  };

  it('reads the gateway directory value, leaving out null fields', () => {
    expect(parseDeviceSlotEntry('alias-1', value)).toStrictEqual({
      ok: true,
      entry: {
        Alias: 'alias-1',
        DevType: 'SMARTCLEAN#FD',
        Provider: 'SMARTCLEAN',
        Org: 'ACME',
        PropId: 'prop-1',
        PID: 'pid-1',
        LID: 'level-1',
        InsID: 'zone-1',
        Region: 'Europe/Berlin',
        UpdatedOn: '2026-11-26T08:00:00.000Z',
      },
    });
  });

  it('takes the alias from the key', () => {
    const parsed = parseDeviceSlotEntry('the-key', { ...value, Alias: 'something-else' });
    expect(parsed.ok && parsed.entry.Alias).toBe('the-key');
  });

  it('refuses a value that cannot place a reading, listing every problem', () => {
    expect(parseDeviceSlotEntry('alias-1', { ...value, PID: '', Region: undefined, Display: 7 })).toEqual({
      ok: false,
      errors: [
        'PID: must be a non-empty string',
        'Region: must be a non-empty string',
        'Display: must be a string or null',
      ],
    });
    expect(parseDeviceSlotEntry('alias-1', 'not an object')).toEqual({
      ok: false,
      errors: ['value: must be a JSON object'],
    });
  });
});
