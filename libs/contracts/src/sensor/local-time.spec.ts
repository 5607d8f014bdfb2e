import { exactLocalTimeFields, isValidTimeZone, localTimeFields } from './local-time';

describe('localTimeFields', () => {
  it('reproduces the documented Asia/Singapore example (reference §3.2)', () => {
    expect(localTimeFields(1654063185904, 'Asia/Singapore')).toEqual({
      t: '20220601135945',
      time: '2022-06-01T13:59:45+0800',
      dow: '3',
      month: '06',
      dom: '01',
      hour: '13',
      minute: '59',
    });
  });

  describe('Europe/Berlin across daylight-saving changes', () => {
    it('jumps from 01:59:59+0100 to 03:00:00+0200 on 2022-03-27', () => {
      const before = localTimeFields(Date.UTC(2022, 2, 27, 0, 59, 59), 'Europe/Berlin');
      const after = localTimeFields(Date.UTC(2022, 2, 27, 1, 0, 0), 'Europe/Berlin');
      expect(before.time).toBe('2022-03-27T01:59:59+0100');
      expect(after.time).toBe('2022-03-27T03:00:00+0200');
      expect(after).toMatchObject({ t: '20220327030000', dow: '0', hour: '03', minute: '00' });
    });

    it('tells the repeated hour apart by its offset on 2022-10-30', () => {
      const summer = localTimeFields(Date.UTC(2022, 9, 30, 0, 30, 0), 'Europe/Berlin');
      const winter = localTimeFields(Date.UTC(2022, 9, 30, 1, 30, 0), 'Europe/Berlin');
      expect(summer.t).toBe('20221030023000');
      expect(winter.t).toBe('20221030023000');
      expect(summer.time).toBe('2022-10-30T02:30:00+0200');
      expect(winter.time).toBe('2022-10-30T02:30:00+0100');
    });
  });

  it('writes midnight as hour 00 and counts Sunday as day 0', () => {
    expect(localTimeFields(Date.UTC(2022, 5, 5, 0, 0, 0), 'UTC')).toMatchObject({
      time: '2022-06-05T00:00:00+0000',
      hour: '00',
      dow: '0',
    });
  });

  it('writes negative offsets and truncates milliseconds', () => {
    expect(localTimeFields(Date.UTC(2022, 0, 1, 4, 59, 59, 999), 'America/New_York').time).toBe(
      '2021-12-31T23:59:59-0500',
    );
  });

  it('handles half-hour offsets', () => {
    expect(localTimeFields(Date.UTC(2022, 5, 1, 0, 0, 0), 'Asia/Kolkata').time).toBe(
      '2022-06-01T05:30:00+0530',
    );
  });

  it('throws for an unknown time zone', () => {
    expect(() => localTimeFields(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('isValidTimeZone', () => {
  it('knows IANA names and refuses others', () => {
    expect(isValidTimeZone('Asia/Singapore')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});

describe('localTimeFields with cached offsets', () => {
  const ZONES = [
    'Europe/Berlin',
    'Asia/Singapore',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'Pacific/Chatham',
    'America/St_Johns',
    'UTC',
  ];

  it('equals the exact Intl computation at random instants and around every 2026 transition', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const instants: number[] = [];
    for (let i = 0; i < 500; i += 1) {
      instants.push(Math.floor(Date.UTC(2019, 0, 1) + random() * 8 * 365 * 864e5));
    }
    // Every quarter hour ±1 s across the weeks of the 2026 transitions (north and south).
    for (const start of [
      Date.UTC(2026, 2, 27),
      Date.UTC(2026, 3, 3),
      Date.UTC(2026, 9, 1),
      Date.UTC(2026, 9, 23),
    ]) {
      for (let t = start; t < start + 4 * 864e5; t += 15 * 60_000) instants.push(t - 1000, t, t + 999);
    }
    for (const zone of ZONES) {
      for (const instant of instants) {
        expect({ zone, instant, fields: localTimeFields(instant, zone) }).toEqual({
          zone,
          instant,
          fields: exactLocalTimeFields(instant, zone),
        });
      }
    }
  });
});
