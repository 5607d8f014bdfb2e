import { isIanaTimeZone, isoInZone, isoUtc, parseInstant } from './time';

describe('parseInstant', () => {
  it('reads ISO 8601 times with Z or an offset', () => {
    expect(parseInstant('2026-03-28T23:00:00Z')).toBe(Date.UTC(2026, 2, 28, 23));
    expect(parseInstant('2026-03-29T00:00:00+01:00')).toBe(Date.UTC(2026, 2, 28, 23));
    expect(parseInstant('2026-03-29T00:00:00+0100')).toBe(Date.UTC(2026, 2, 28, 23));
    expect(parseInstant('2026-03-28T19:30:00-03:30')).toBe(Date.UTC(2026, 2, 28, 23));
    expect(parseInstant('2026-03-29T00:00+01:00')).toBe(Date.UTC(2026, 2, 28, 23));
    expect(parseInstant('2026-03-28T23:00:00.250Z')).toBe(Date.UTC(2026, 2, 28, 23, 0, 0, 250));
  });

  it('reads an unencoded + that a query string turned into a space', () => {
    expect(parseInstant('2026-03-29T00:00:00 01:00')).toBe(Date.UTC(2026, 2, 28, 23));
  });

  it('refuses times without a zone, impossible dates and other text', () => {
    for (const text of [
      '2026-03-29T00:00:00',
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-03-29T24:00:00Z',
      '2026-03-29T00:60:00Z',
      '2026-03-29T00:00:00+25:00',
      '2026-03-29',
      '1774738800000',
      'yesterday',
      '',
    ]) {
      expect({ text, at: parseInstant(text) }).toEqual({ text, at: undefined });
    }
  });
});

describe('isoInZone', () => {
  it('writes the local time with the offset in force at that instant (daylight saving aware)', () => {
    expect(isoInZone(Date.UTC(2026, 2, 28, 23), 'Europe/Berlin')).toBe('2026-03-29T00:00:00+01:00');
    expect(isoInZone(Date.UTC(2026, 2, 29, 22), 'Europe/Berlin')).toBe('2026-03-30T00:00:00+02:00');
    expect(isoInZone(Date.UTC(2026, 9, 25, 0, 30), 'Europe/Berlin')).toBe('2026-10-25T02:30:00+02:00');
    expect(isoInZone(Date.UTC(2026, 9, 25, 1, 30), 'Europe/Berlin')).toBe('2026-10-25T02:30:00+01:00');
    expect(isoInZone(Date.UTC(2026, 0, 1, 0, 0, 0, 5), 'America/St_Johns')).toBe(
      '2025-12-31T20:30:00.005-03:30',
    );
    expect(isoInZone(Date.UTC(2026, 0, 1), 'UTC')).toBe('2026-01-01T00:00:00+00:00');
  });

  it('isoUtc writes Z times without zero milliseconds, as the TSDB examples do', () => {
    expect(isoUtc(Date.UTC(2020, 9, 1, 0, 30))).toBe('2020-10-01T00:30:00Z');
    expect(isoUtc(Date.UTC(2020, 9, 1, 0, 30, 0, 7))).toBe('2020-10-01T00:30:00.007Z');
  });
});

describe('isIanaTimeZone', () => {
  it('accepts IANA names and refuses offsets and unknown names', () => {
    expect(
      ['Europe/Berlin', 'UTC', 'Asia/Singapore', 'America/Argentina/Buenos_Aires', 'Etc/GMT+1'].map(
        isIanaTimeZone,
      ),
    ).toEqual([true, true, true, true, true]);
    expect(['+01:00', 'Europe/Nowhere', '', "Europe/Berlin'; --", 'CET+1'].map(isIanaTimeZone)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
