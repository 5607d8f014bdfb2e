import {
  DEFAULT_SOLUTION_PARAMS,
  RULES_OF_SLOT_TYPE,
  validateParamsChange,
  WATCHED_SLOT_TYPES,
} from './solution-params';
import {
  airQualityRule,
  ammoniaRule,
  binRule,
  consumableRule,
  feedbackRule,
  isBadFeedback,
  reasonNames,
  spillRule,
  usageRule,
  type Rule,
  type RuleState,
} from './solution-rules';
import { SOLUTION_SLOT_TYPES } from '@matrix/messaging';

const P = DEFAULT_SOLUTION_PARAMS;
const MIN = 60_000;

/** Runs a rule over readings as the engine would when nothing is blocked; answers the names raised. */
function run(
  rule: Rule,
  readings: { at: number; v: Record<string, unknown> }[],
  options: { slotType?: string; params?: Partial<typeof P>; lastCleanAt?: number; state?: RuleState } = {},
): { raised: string[]; state: RuleState } {
  let state: RuleState = options.state ?? {};
  const raised: string[] = [];
  for (const reading of readings) {
    const outcome = rule(
      state,
      reading,
      { ...P, ...options.params },
      {
        lastCleanAt: options.lastCleanAt ?? 0,
        slotType: options.slotType ?? 'PPLCTR',
      },
    );
    if (outcome.trigger) raised.push(outcome.trigger.name);
    state = outcome.trigger ? outcome.raised! : outcome.next;
  }
  return { raised, state };
}

describe('the solutions rules', () => {
  it('watch exactly the slot types the consumer is filtered to', () => {
    expect(WATCHED_SLOT_TYPES).toEqual([...SOLUTION_SLOT_TYPES]);
    expect(Object.keys(RULES_OF_SLOT_TYPE).sort()).toEqual([...SOLUTION_SLOT_TYPES]);
  });

  describe('usage (people counter threshold, 30 by default)', () => {
    it.each([
      ['29 visits', [10, 10, 9], []],
      ['30 visits exactly', [10, 10, 10], ['Usage threshold reached: 30 visits since the last clean']],
      [
        'then counts from 0 again',
        [20, 15, 20, 9],
        ['Usage threshold reached: 35 visits since the last clean'],
      ],
      [
        'twice over 60',
        [30, 31],
        [
          'Usage threshold reached: 30 visits since the last clean',
          'Usage threshold reached: 31 visits since the last clean',
        ],
      ],
      ['negative or missing counts add nothing', [-40, 29], []],
    ])('%s', (_, counts, raised) => {
      const readings = counts.map((count, i) => ({ at: (i + 1) * MIN, v: count < 0 ? {} : { count } }));
      expect(run(usageRule, readings).raised).toEqual(raised);
    });

    it('starts again after the zone was cleaned, and does not count readings from before the clean', () => {
      const state: RuleState = { count: 25, since: 0 };
      const late = run(usageRule, [{ at: 5 * MIN, v: { count: 10 } }], { state, lastCleanAt: 10 * MIN });
      expect(late).toEqual({ raised: [], state: { count: 0, since: 10 * MIN } });
      const after = run(usageRule, [{ at: 11 * MIN, v: { count: 10 } }], { state, lastCleanAt: 10 * MIN });
      expect(after).toEqual({ raised: [], state: { count: 10, since: 10 * MIN } });
    });

    it('uses the building threshold', () => {
      const readings = [1, 2].map((i) => ({ at: i * MIN, v: { count: 3 } }));
      expect(run(usageRule, readings, { params: { PeopleThreshold: 5 } }).raised).toHaveLength(1);
    });
  });

  describe('consumables (below 5 %) and bins (below 10 % empty space)', () => {
    it.each([
      ['stays above', consumableRule, 'SS', [50, 20, 5], []],
      ['crosses below once', consumableRule, 'SS', [10, 4, 3, 2], ['Soap running low: 4 % left']],
      [
        'raises again only after a refill',
        consumableRule,
        'TR',
        [4, 3, 80, 2],
        ['Toilet roll running low: 4 % left', 'Toilet roll running low: 2 % left'],
      ],
      ['paper towel', consumableRule, 'PT', [0], ['Paper towel running low: 0 % left']],
      ['bin nearly full', binRule, 'BIN', [40, 9], ['Bin nearly full: 9 % space left']],
      ['bin at 10 % is fine', binRule, 'BIN', [10], []],
    ])('%s', (_, rule, slotType, levels, raised) => {
      const readings = levels.map((p, i) => ({ at: (i + 1) * MIN, v: { p, d: 100 } }));
      expect(run(rule, readings, { slotType }).raised).toEqual(raised);
    });

    it('lets the newest level win over a late, older reading', () => {
      const readings = [
        { at: 10 * MIN, v: { p: 90 } },
        { at: 5 * MIN, v: { p: 1 } },
      ];
      expect(run(consumableRule, readings, { slotType: 'SS' }).raised).toEqual([]);
    });
  });

  describe('ammonia (category 2, opt-in)', () => {
    it.each([
      ['off by default', 'ODRDTR', { amm: 9 }, null, []],
      ['AQ Wired in ppm', 'ODRDTR', { amm: 0.7 }, 0.5, ['Ammonia above 0.5 ppm: 0.7 ppm']],
      ['AQ Wired below', 'ODRDTR', { amm: 0.4 }, 0.5, []],
      ['AQ Lite in ppb', 'ODRDTR_BATT_V1', { amm: 880 }, 0.5, ['Ammonia above 0.5 ppm: 0.88 ppm']],
      ['AQ Lite below', 'ODRDTR_BATT_V1', { amm: 88 }, 0.5, []],
    ])('%s', (_, slotType, v, threshold, raised) => {
      const out = run(ammoniaRule, [{ at: MIN, v }], {
        slotType,
        params: { AmmoniaThresholdPpm: threshold },
      });
      expect(out.raised).toEqual(raised);
    });
  });

  describe('spill', () => {
    it.each([
      ['a spill', { value: 1, AreaP: 5.5 }, 0, ['Spill detected: 5.5 % of the view wet']],
      ['no spill', { value: 0, AreaP: 50 }, 0, []],
      ['a spill without area, any spill counts', { value: 1 }, 0, ['Spill detected: 0 % of the view wet']],
      ['below the area threshold', { value: 1, AreaP: 2 }, 3, []],
      ['at the area threshold', { value: 1, AreaP: 3 }, 3, ['Spill detected: 3 % of the view wet']],
    ])('%s', (_, v, area, raised) => {
      expect(run(spillRule, [{ at: MIN, v }], { params: { SpillMinAreaPercent: area } }).raised).toEqual(
        raised,
      );
    });
  });

  describe('feedback (an incident on the first bad-feedback reason)', () => {
    it.each([
      [{ n: 1, rating: 1 }, true],
      [{ rating: 4 }, true],
      [{ rating: 5 }, true],
      [{ rating: 3 }, false],
      [{ n: 0, rating: 2 }, false],
    ])('%j is bad: %s', (v, bad) => {
      expect(isBadFeedback(v)).toBe(bad);
    });

    it('names the reasons of the first bad feedback', () => {
      const v = {
        rating: 5,
        n: 1,
        reasons: { ID_1: { ID: '1', Name: 'Dirty Urinal' }, ID_2: { Name: 'No soap' } },
      };
      expect(run(feedbackRule, [{ at: MIN, v }]).raised).toEqual(['Bad feedback: Dirty Urinal, No soap']);
    });

    it('counts per reason up to the building maximum, then starts every count again', () => {
      const dirty = { rating: 5, reasons: { ID_1: { Name: 'Dirty' } } };
      const smelly = { rating: 4, reasons: { ID_2: { Name: 'Smelly' } } };
      const out = run(
        feedbackRule,
        [dirty, smelly, { rating: 2 }, dirty, smelly, dirty].map((v, i) => ({ at: i * MIN, v })),
        { params: { FeedbackMaxCount: 2 } },
      );
      // Dirty reaches 2 at the fourth reading; the incident starts every count again.
      expect(out.raised).toEqual(['Bad feedback: Dirty']);
      expect(out.state.reasons).toEqual({ Dirty: 1, Smelly: 1 });
    });

    it('cleans reason names from devices: control characters out, 64 characters, 10 reasons at most', () => {
      const reasons = Object.fromEntries(
        Array.from({ length: 12 }, (_, i) => [
          `ID_${i}`,
          { Name: i === 0 ? 'Dirty\u0000 floor\n' : `R${i}${'x'.repeat(100)}` },
        ]),
      );
      const names = reasonNames(reasons);
      expect(names).toHaveLength(10);
      expect(names[0]).toBe('Dirty  floor');
      expect(names.slice(1).every((n) => n.length === 64)).toBe(true);
      expect(reasonNames({ ID_1: { Name: '\u0000\u0001' } })).toEqual(['Bad feedback']);
    });

    it('a bad rating without reasons counts as "Bad feedback"', () => {
      expect(run(feedbackRule, [{ at: MIN, v: { rating: 5 } }]).raised).toEqual([
        'Bad feedback: Bad feedback',
      ]);
    });
  });

  describe('air quality (z-score over 1.96 against the rolling baseline, one per 10-minute window)', () => {
    /** A recorded-like CO₂ series: readings every minute around 600 ppm with noise, one spike at minute 40. */
    const series = Array.from({ length: 60 }, (_, i) => ({
      at: i * MIN,
      v: { co2: i === 40 ? 1450 : 600 + ((i * 37) % 23) - 11, tvoc: 0.3, pm_25: 12 + (i % 3) },
    }));

    it('finds the one known anomaly of the series', () => {
      const out = run(airQualityRule, series, { slotType: 'ODRDTR_10_IN_1' });
      expect(out.raised).toHaveLength(1);
      expect(out.raised[0]).toMatch(/^Air quality anomaly: co2 1450 \(z \d+(\.\d+)?\)$/);
      expect(out.state.lastRaised).toBe(40 * MIN);
    });

    it('raises nothing while the baseline warms up', () => {
      const early = series.slice(0, 5).map((r, i) => ({ at: r.at, v: { co2: i === 4 ? 5000 : 600 } }));
      expect(run(airQualityRule, early, { slotType: 'ODRDTR_10_IN_1' }).raised).toEqual([]);
    });

    it('raises at most one incident per window however many anomalies', () => {
      const spikes = series.map((r, i) => (i >= 40 && i < 45 ? { at: r.at, v: { co2: 3000 + i * 500 } } : r));
      expect(run(airQualityRule, spikes, { slotType: 'ODRDTR_10_IN_1' }).raised).toHaveLength(1);
    });

    it('needs AqMaxAnomalies anomalies within the window', () => {
      const out = run(airQualityRule, series, { slotType: 'ODRDTR_10_IN_1', params: { AqMaxAnomalies: 2 } });
      expect(out.raised).toEqual([]);
    });

    it('uses AQ Wired’s own z-scores', () => {
      const readings = [
        { at: MIN, v: { amm: 0.2, amm_zscore: 0.4 } },
        { at: 2 * MIN, v: { amm: 0.9, amm_zscore: 2.5 } },
      ];
      expect(run(airQualityRule, readings, { slotType: 'ODRDTR' }).raised).toEqual([
        'Air quality anomaly: amm 0.9 (z 2.5)',
      ]);
    });

    it('does not fold a reading older than the baseline into it', () => {
      const state: RuleState = {
        baselineAt: 10 * MIN,
        baselines: { co2: { n: 50, mean: 600, variance: 100 } },
      };
      const out = run(airQualityRule, [{ at: 5 * MIN, v: { co2: 5000 } }], {
        slotType: 'ODRDTR_10_IN_1',
        state,
      });
      expect(out).toEqual({ raised: [], state });
    });
  });

  describe('parameters', () => {
    it.each([
      [
        'PPLCTR',
        { PeopleThreshold: 40, Enabled: false },
        { ok: true, change: { PeopleThreshold: 40, Enabled: false } },
      ],
      ['PPLCTR', { peoplethreshold: 12 }, { ok: true, change: { PeopleThreshold: 12 } }],
      [
        'PPLCTR',
        { MinFillPercent: 4 },
        {
          ok: false,
          errors: [
            'MinFillPercent: is not a parameter of PPLCTR (one of Enabled, DeviceBlockSeconds, ZoneBlockSeconds, PeopleThreshold)',
          ],
        },
      ],
      [
        'SS',
        { MinFillPercent: 101 },
        { ok: false, errors: ['MinFillPercent: must be a number from 0 to 100'] },
      ],
      [
        'PPLCTR',
        { PeopleThreshold: 2.5 },
        { ok: false, errors: ['PeopleThreshold: must be a whole number'] },
      ],
      ['ODRDTR', { AmmoniaThresholdPpm: null }, { ok: true, change: { AmmoniaThresholdPpm: null } }],
      ['WD', { Enabled: 'yes' }, { ok: false, errors: ['Enabled: must be true or false'] }],
    ])('%s %j', (slotType, body, expected) => {
      expect(validateParamsChange(slotType, body)).toEqual(expected);
    });
  });
});
