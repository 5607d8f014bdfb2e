import { RegistryError } from '../registry/registry-error';
import { bucketingIn, LIST_PAGE, parseAggregateQuery, parseListQuery } from './sensor-data-inputs';
import { numericFieldsFor, resolveField } from './slot-fields';

const range = { pid: 'b1', from: '2026-03-28T00:00:00+01:00', to: '2026-04-01T00:00:00+02:00' };

/** The problems an INVALID error lists. */
function problems(parse: () => unknown): string[] {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).code).toBe('INVALID');
    return (error as RegistryError).details;
  }
  throw new Error('expected INVALID');
}

describe('parseListQuery', () => {
  it('parses the range, filters, cursor and limit', () => {
    expect(
      parseListQuery({
        ...range,
        zone: ['z1', 'z2', 'z1'],
        device: 'd1',
        type: 'SMARTCLEAN#PPLCTR',
        cursor: 'abc',
        limit: '50',
      }),
    ).toEqual({
      pid: 'b1',
      from: Date.UTC(2026, 2, 27, 23),
      to: Date.UTC(2026, 2, 31, 22),
      zones: ['z1', 'z2'],
      devices: ['d1'],
      type: 'SMARTCLEAN#PPLCTR',
      cursor: 'abc',
      limit: 50,
    });
    expect(parseListQuery(range).limit).toBe(LIST_PAGE.default);
  });

  it('lists every problem at once', () => {
    expect(problems(() => parseListQuery({ zone: '', limit: '0', typo: 'x' }))).toEqual([
      'typo: is not a known query parameter (known: pid, from, to, zone, device, type, cursor, limit)',
      'pid: is required (the building whose data to read)',
      'from: is required',
      'to: is required',
      'limit: must be a whole number from 1 to 5000',
    ]);
  });

  it('refuses a reversed or empty range, one over 366 days, times without an offset and a limit over 5,000', () => {
    expect(problems(() => parseListQuery({ ...range, to: range.from }))).toEqual(['from: must be before to']);
    expect(problems(() => parseListQuery({ ...range, to: '2027-03-29T00:00:00Z' }))).toEqual([
      'to: the range may span at most 366 days',
    ]);
    expect(problems(() => parseListQuery({ ...range, from: '2026-03-28T00:00:00' }))[0]).toMatch(
      /^from: must be an ISO 8601 time with an offset/,
    );
    expect(problems(() => parseListQuery({ ...range, limit: '5001' }))).toEqual([
      'limit: must be a whole number from 1 to 5000',
    ]);
    expect(problems(() => parseListQuery({ ...range, pid: ['a', 'b'] }))).toEqual([
      'pid: must be given once',
    ]);
    expect(problems(() => parseListQuery({ ...range, type: "PPLCTR'; drop table x" }))[0]).toMatch(/^type:/);
    expect(problems(() => parseListQuery({ ...range, zone: 'z\u0000' }))[0]).toMatch(/^zone:/);
  });
});

describe('parseAggregateQuery', () => {
  const query = { ...range, field: 'count', agg: 'sum', interval: 'day', type: 'SMARTCLEAN#PPLCTR' };

  it('parses a calendar aggregate; tz is left to the building unless given', () => {
    const parsed = parseAggregateQuery({ ...query, groupBy: 'zone' });
    expect(parsed).toMatchObject({
      field: 'count',
      agg: 'sum',
      interval: 'day',
      bucketing: { kind: 'calendar', unit: 'day' },
      groupBy: 'zone',
      groupColumns: ['insid'],
    });
    expect(parsed.tz).toBeUndefined();
    expect(bucketingIn(parsed, 'Europe/Berlin')).toEqual({
      kind: 'calendar',
      unit: 'day',
      tz: 'Europe/Berlin',
    });
    const fixed = parseAggregateQuery({ ...query, interval: '15m', tz: 'Asia/Singapore', groupBy: 'device' });
    expect(fixed).toMatchObject({
      bucketing: { kind: 'fixed', seconds: 900 },
      tz: 'Asia/Singapore',
      groupColumns: ['devid'],
    });
    expect(bucketingIn(fixed, 'Asia/Singapore')).toEqual({ kind: 'fixed', seconds: 900 });
    expect(parseAggregateQuery({ ...query, agg: undefined }).agg).toBe('sum');
  });

  it('checks the field against the slot type (known fields), or any documented field without a type', () => {
    expect(problems(() => parseAggregateQuery({ ...query, field: 'rating' }))).toEqual([
      'field: rating is not a numeric field of SMARTCLEAN#PPLCTR (known: count, out_count)',
    ]);
    expect(parseAggregateQuery({ ...query, type: 'FD', field: 'rating' }).field).toBe('rating');
    expect(parseAggregateQuery({ ...query, type: undefined, field: 'temperature' }).field).toBe(
      'temperature',
    );
    expect(problems(() => parseAggregateQuery({ ...query, type: undefined, field: 'cout' }))[0]).toMatch(
      /^field: cout is not a numeric field of any documented slot type/,
    );
    // another provider's type: any well-formed field name
    expect(parseAggregateQuery({ ...query, type: 'ACME#LUX', field: 'lux' }).field).toBe('lux');
    expect(problems(() => parseAggregateQuery({ ...query, type: 'ACME#LUX', field: "lux'--" }))).toEqual([
      'field: must be a field name of v (letters, digits, _ . -)',
    ]);
    // the schema's pm_2.5 is stored as pm_25
    expect(parseAggregateQuery({ ...query, type: 'SMARTCLEAN#ODRDTR_10_IN_1', field: 'pm_2.5' }).field).toBe(
      'pm_25',
    );
  });

  it('refuses unknown aggregations, intervals, groupings, invalid zones and too many buckets', () => {
    expect(
      problems(() =>
        parseAggregateQuery({ ...query, agg: 'median', interval: '2h', tz: '+01:00', groupBy: 'level' }),
      ),
    ).toEqual([
      'agg: must be one of sum, avg, min, max, count',
      'interval: must be one of 1m, 5m, 15m, 30m, 1h, day, week, month',
      'tz: must be an IANA time zone name, e.g. Europe/Berlin',
      'groupBy: must be zone or device',
    ]);
    expect(problems(() => parseAggregateQuery({ ...query, interval: undefined, field: undefined }))).toEqual([
      'field: is required (a numeric field of v, e.g. count or rating)',
      'interval: is required (one of 1m, 5m, 15m, 30m, 1h, day, week, month)',
    ]);
    expect(
      problems(() =>
        parseAggregateQuery({
          ...query,
          interval: '1m',
          from: '2026-01-01T00:00:00Z',
          to: '2026-03-01T00:00:00Z',
        }),
      ),
    ).toEqual([
      'interval: 1m cuts the range into 84960 buckets, at most 20000: widen the interval or narrow the range',
    ]);
    expect(problems(() => parseAggregateQuery({ ...query, tz: 'Mars/Olympus' }))).toEqual([
      'tz: must be an IANA time zone name, e.g. Europe/Berlin',
    ]);
  });
});

describe('slot fields', () => {
  it('maps documented types, bare slot types, aliases and case for metric names', () => {
    expect(numericFieldsFor('SMARTCLEAN#FD')).toEqual(['rating', 'n', 's']);
    expect(numericFieldsFor('PPLCTR')).toEqual(['count', 'out_count']);
    expect(numericFieldsFor('ACME#LUX')).toBeNull();
    expect(resolveField('SMARTCLEAN#ODRDTR', 'voc', true)).toBe('alc');
    expect(resolveField('SMARTCLEAN#TILT', 'xt', true)).toBe('Xt');
    expect(resolveField('SMARTCLEAN#TILT', 'xt')).toBeUndefined();
    expect(resolveField('SMARTCLEAN#PPLCTR', 'rating', true)).toBeUndefined();
  });
});
