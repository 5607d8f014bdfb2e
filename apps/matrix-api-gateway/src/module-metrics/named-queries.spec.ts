import { ActionError } from '../actions/action-error';
import { paramError, parseNamedQuery, resolveHour, tsdbTime } from './named-queries';

const params = (entries: Record<string, string>) => new Map(Object.entries(entries));
// 2026-03-01T01:30:00Z is 09:30 on 1 March in Singapore
const NOW = Date.parse('2026-03-01T01:30:00Z');

describe('resolveHour', () => {
  it('takes now in the building time zone for default params', () => {
    expect(resolveHour(params({ $month: 'default', $dom: 'default' }), NOW, 'Asia/Singapore')).toEqual({
      localHour: '2026-03-01 09:00:00',
      resolved: { $month: '03', $dom: '01', $hour: '09' },
    });
  });

  it('takes the latest such day not after today: last year for a later date, a leap year for 29 February', () => {
    expect(resolveHour(params({ $month: '12', $dom: '24', $hour: '7' }), NOW, 'UTC').localHour).toBe(
      '2025-12-24 07:00:00',
    );
    expect(resolveHour(params({ $month: '02', $dom: '29', $hour: '00' }), NOW, 'UTC').localHour).toBe(
      '2024-02-29 00:00:00',
    );
  });

  it('names a param out of range', () => {
    expect(() => resolveHour(params({ $hour: '24' }), NOW, 'UTC')).toThrow('params $hour');
    expect(() => resolveHour(params({ $month: '13' }), NOW, 'UTC')).toThrow('params $month');
    expect(() => resolveHour(params({ $month: '04', $dom: '31' }), NOW, 'UTC')).toThrow('not a calendar day');
  });
});

describe('tsdbTime and paramError', () => {
  it('defaults $start to -24h and $end to now', () => {
    expect(tsdbTime(params({ $end: 'default' }))).toEqual({ start: '-24h' });
    expect(tsdbTime(params({ $start: '-2h', $end: '2026-03-01T00:00:00Z' }))).toEqual({
      start: '-2h',
      end: '2026-03-01T00:00:00Z',
    });
  });

  it("names the param in tsdbQuery's time errors and leaves other errors alone", () => {
    const reworded = (message: string) =>
      (paramError(new ActionError('WRONG_PARAMETERS', message)) as Error).message;
    expect(reworded('time.start must be before time.end')).toBe('params $start must be before $end');
    expect(reworded('time.end must be an ISO 8601 time')).toBe('params $end must be an ISO 8601 time');
    expect(reworded('time: the range may span at most 366 days')).toBe(
      'params $start–$end: the range may span at most 366 days',
    );
    const other = new Error('boom');
    expect(paramError(other)).toBe(other);
  });
});

describe('parseNamedQuery', () => {
  it('reads the documented body, ignoring params the query does not read', () => {
    const call = parseNamedQuery({
      id: 'total_people_count_by_location_by_hour_for_dom_v2',
      params: [
        { key: '$month', value: 'default' },
        { key: 'expid', value: 'randomexpid' },
      ],
      qcontext: 'scglobal',
      qtype: 'ml',
    });
    expect(call.params.get('$month')).toBe('default');
    expect(call.entry.qtype).toBe('ml');
  });

  it('names an unknown id with the catalogue, a param given twice and a wrong qtype', () => {
    expect(() => parseNamedQuery({ id: 'x', params: [] })).toThrow(
      'id: "x" is not a named query here; the catalogue: total_people_count_by_location_by_hour_for_dom_v2, pc_count_sum_30t_nh_tsdb',
    );
    expect(() =>
      parseNamedQuery({
        id: 'pc_count_sum_30t_nh_tsdb',
        params: [
          { key: '$start', value: '-1h' },
          { key: '$start', value: '-2h' },
        ],
      }),
    ).toThrow('params[1].key: $start is given twice');
    expect(() => parseNamedQuery({ id: 'pc_count_sum_30t_nh_tsdb', qtype: 'ml' })).toThrow(
      'qtype: pc_count_sum_30t_nh_tsdb is a tsdb query, not ml',
    );
  });
});
