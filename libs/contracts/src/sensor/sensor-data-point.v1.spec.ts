import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateContract } from '../shared/validation';
import { localTimeFields } from './local-time';
import { canonicalDevType, parseDevType, SensorDataPointV1, unixMillis } from './sensor-data-point.v1';
import { normaliseSlotPoint, SLOT_VALUE_NORMALISERS } from './slot-value';

const FIXTURES = path.join(__dirname, '../../fixtures/sensor-data-point.v1');

function fixtures(kind: 'valid' | 'invalid'): [string, unknown][] {
  const dir = path.join(FIXTURES, kind);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => [file, JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as unknown]);
}

/**
 * What push-ingress and sensor-normaliser do with a point, in order: map a documented legacy
 * `DevType`, validate the general fields, then everything type-specific (`v`, ODRDTR `stats`).
 * Returns every error, or the point and its canonical `v`.
 */
function parsePoint(
  input: unknown,
): { ok: true; point: SensorDataPointV1; v: Record<string, unknown> } | { ok: false; errors: string[] } {
  const point = validateContract(SensorDataPointV1, withCanonicalDevType(input));
  if (!point.ok) return point;
  const v = normaliseSlotPoint(point.value);
  return v.ok ? { ok: true, point: point.value, v: v.value } : v;
}

function withCanonicalDevType(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const { DevType } = input as { DevType?: unknown };
  return typeof DevType === 'string' ? { ...input, DevType: canonicalDevType(DevType) } : input;
}

const FILL_LEVEL_EXAMPLE = { p: 46, d: 159 };
const AQ_10_IN_1_EXAMPLE = {
  temperature: 27.4,
  humidity: 69.5,
  light_level: 3,
  co2: 918,
  pir_trigger: 0,
  tvoc: 0.64,
  pressure: 1004,
  hcho: 0.04,
  pm_10: 19,
};

/**
 * The `DevType` and canonical `v` each valid fixture normalises to. Values of the reference's examples
 * are exact (§3.4); the ODRDTR `v` and the OCCDESK `v` are made up, as the reference has no example
 * of them (its ODRDTR example gives `stats`, `rssi` `"-68"` and the bare `DevType` only).
 */
const EXPECTED: Record<string, { DevType: string; v: Record<string, unknown> }> = {
  'bin-documented.json': { DevType: 'SMARTCLEAN#BIN', v: FILL_LEVEL_EXAMPLE },
  'fd-2021-format.json': {
    DevType: 'SMARTCLEAN#FD',
    v: { rating: 3, reasons: { DemoReasonID1: { Name: 'Dirty Urinal' } } },
  },
  'fd-negative-with-reasons.json': {
    DevType: 'SMARTCLEAN#FD',
    v: {
      c: '4eccb645302e4d9c85cbace69b92d058',
      n: 1,
      nm: 'Excellent',
      rating: 1,
      reasons: { ID_1: { ID: '1', Name: 'Billing', selector: 1 } },
      s: 3,
      type: 'DEFECT',
    },
  },
  'occdesk-occupied.json': { DevType: 'SMARTCLEAN#OCCDESK', v: { occ: 1 } },
  'occminew-documented.json': {
    DevType: 'SMARTCLEAN#OCCMINEW',
    v: { C: '1', Disass: '0', Src: 'x750:hz3a30e', batt: 95, rssi: -78, occ: 1 },
  },
  'occscm-documented.json': { DevType: 'SMARTCLEAN#OCCSCM', v: { b: '0', occ: 0 } },
  'odrdtr-10-in-1-documented.json': {
    DevType: 'SMARTCLEAN#ODRDTR_10_IN_1',
    v: { ...AQ_10_IN_1_EXAMPLE, pm_25: 18 },
  },
  'odrdtr-10-in-1-schema-pm-2.5.json': {
    DevType: 'SMARTCLEAN#ODRDTR_10_IN_1',
    v: { ...AQ_10_IN_1_EXAMPLE, 'pm_2.5': 18, pm_25: 18 },
  },
  'odrdtr-batt-v1-documented.json': {
    DevType: 'SMARTCLEAN#ODRDTR_BATT_V1',
    v: { amm: 88, aqi: 103, rh: 730, temp: 304 },
  },
  'odrdtr-legacy-devtype-with-stats.json': {
    DevType: 'SMARTCLEAN#ODRDTR',
    v: {
      amm: 0.12,
      alc: 0.35,
      no2: 0.02,
      amm_zscore: 0.41,
      alc_zscore: -0.83,
      no2_zscore: 0.1,
      amm_expected: 0.11,
      alc_expected: 0.37,
      no2_expected: 0.02,
      rssi: '-68',
    },
  },
  'pplctr-2021-string-counts.json': { DevType: 'SMARTCLEAN#PPLCTR', v: { count: 2, out_count: 1 } },
  'pplctr-2022-float-counts.json': { DevType: 'SMARTCLEAN#PPLCTR', v: { count: 2, out_count: 1 } },
  'pplctr-minimal.json': { DevType: 'SMARTCLEAN#PPLCTR', v: { count: 0 } },
  'pt-documented.json': { DevType: 'SMARTCLEAN#PT', v: FILL_LEVEL_EXAMPLE },
  'ss-documented.json': { DevType: 'SMARTCLEAN#SS', v: FILL_LEVEL_EXAMPLE },
  'th-documented.json': { DevType: 'SMARTCLEAN#TH', v: { t: 24.7, h: 13.4 } },
  'tilt-documented.json': {
    DevType: 'SMARTCLEAN#TILT',
    v: { Tb: 'none', Xt: -87.51, Yt: -2.04, Zt: 1.42, v: 100 },
  },
  'tr-documented.json': { DevType: 'SMARTCLEAN#TR', v: FILL_LEVEL_EXAMPLE },
  'um-pc-lite.json': { DevType: 'SMARTCLEAN#UM', v: { b: '3000', count: 1, u: '6167' } },
  'wd-documented.json': { DevType: 'SMARTCLEAN#WD', v: { value: 1, AreaP: 5.5 } },
};

const COUNT = 'must be a non-negative whole number (number or numeric string)';
const PERCENT = 'must be a number from 0 to 100 (number or numeric string)';
const FLAG = 'must be 0 or 1 (number or numeric string)';

/** The exact errors each invalid fixture is refused with. */
const EXPECTED_ERRORS: Record<string, string[]> = {
  'batch-instead-of-point.json': ['body: must be a JSON object'],
  'bin-d-negative.json': ['v.d: must be a non-negative number (number or numeric string)'],
  'count-fraction.json': [`v.count: ${COUNT}`],
  'count-missing.json': ['v.count: is required'],
  'count-negative.json': [`v.count: ${COUNT}`],
  'count-not-numeric.json': [`v.count: ${COUNT}`],
  'devid-missing.json': ['DEVID: is required'],
  'devtype-without-provider.json': ['DevType: must look like Provider#SlotType, e.g. SMARTCLEAN#PPLCTR'],
  'fd-rating-fraction.json': ['v.rating: must be a whole number of at least 1 (number or numeric string)'],
  'fd-reason-without-name.json': ['v.reasons.ID_1.Name: is required'],
  'occdesk-occ-word.json': [`v.occ: ${FLAG}`],
  'occminew-occ-not-a-flag.json': [`v.occ: ${FLAG}`],
  'occscm-occ-missing.json': ['v.occ: is required'],
  'odrdtr-10-in-1-pm-keys-disagree.json': ['v.pm_2.5: must equal v.pm_25 when both are sent (got 25 and 18)'],
  'odrdtr-ammonia-negative.json': ['v.amm: must be a non-negative number (number or numeric string)'],
  'odrdtr-batt-v1-rh-out-of-range.json': ['v.rh: must be a number from 0 to 1000 (number or numeric string)'],
  'odrdtr-stats-not-an-object.json': ['stats: must be an object'],
  'out-count-empty-string.json': [`v.out_count: ${COUNT}`],
  'pt-p-missing.json': ['v.p: is required'],
  'ss-p-not-numeric.json': [`v.p: ${PERCENT}`],
  't-not-compact.json': ['t: must be shorter than or equal to 14 characters'],
  'th-humidity-over-100.json': [`v.h: ${PERCENT}`],
  'tilt-no-axis.json': ['v: must hold at least one of Xt, Yt, Zt'],
  'tr-p-over-100.json': [`v.p: ${PERCENT}`],
  'um-count-missing.json': ['v.count: is required'],
  'unixt-as-string.json': ['unixT: must be a number conforming to the specified constraints'],
  'v-array.json': ['v: must be an object'],
  'v-missing.json': ['v: is required'],
  'wd-value-not-a-flag.json': [`v.value: ${FLAG}`],
};

describe('SensorDataPointV1 fixtures', () => {
  const valid = fixtures('valid');
  const invalid = fixtures('invalid');

  it('has an expectation for every fixture file', () => {
    expect(valid.map(([file]) => file)).toEqual(Object.keys(EXPECTED).sort());
    expect(invalid.map(([file]) => file)).toEqual(Object.keys(EXPECTED_ERRORS).sort());
  });

  it('has a valid fixture and one refused for its type-specific part for every validated slot type', () => {
    const slotTypes = Object.keys(SLOT_VALUE_NORMALISERS).sort();
    const validTypes = new Set(Object.values(EXPECTED).map(({ DevType }) => DevType));
    const invalidTypes = new Set(
      invalid
        .filter(([file]) => EXPECTED_ERRORS[file]?.every((error) => /^(v|stats)[.:]/.test(error)))
        .map(([, input]) => canonicalDevType((input as { DevType: string }).DevType)),
    );
    expect([...validTypes].sort()).toEqual(slotTypes);
    expect([...invalidTypes].sort()).toEqual(slotTypes);
  });

  it.each(valid)('accepts valid/%s and canonicalises its DevType and v', (file, input) => {
    const parsed = parsePoint(input);
    if (!parsed.ok) throw new Error(`${file} was rejected: ${parsed.errors.join('; ')}`);
    expect(parsed.point.DevType).toBe(EXPECTED[file]?.DevType);
    expect(parsed.v).toStrictEqual(EXPECTED[file]?.v);
    for (const key of ['count', 'out_count', 'rating']) {
      if (key in parsed.v) expect(Number.isInteger(parsed.v[key])).toBe(true);
    }
  });

  it.each(valid)('keeps the undocumented extras of valid/%s', (_file, input) => {
    const parsed = parsePoint(input);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    expect({ ...parsed.point }).toEqual(withCanonicalDevType(input));
  });

  it.each(valid.filter(([, input]) => (input as { time?: string }).time !== undefined))(
    'has local-time fields in valid/%s that agree with unixT and Region',
    (_file, input) => {
      const point = input as SensorDataPointV1 & { Region: string };
      const local = localTimeFields(unixMillis(point.unixT), point.Region);
      expect(local).toEqual({
        t: point.t,
        time: point.time,
        dow: point.dow,
        month: point.month,
        dom: point.dom,
        hour: point.hour,
        minute: point.minute,
      });
    },
  );

  it.each(invalid)('refuses invalid/%s with exactly the expected errors', (file, input) => {
    const parsed = parsePoint(input);
    if (parsed.ok) throw new Error(`${file} was accepted`);
    expect(parsed.errors).toEqual(EXPECTED_ERRORS[file]);
  });
});

describe('parseDevType', () => {
  it('splits Provider#SlotType', () => {
    expect(parseDevType('SMARTCLEAN#ODRDTR_10_IN_1')).toEqual({
      provider: 'SMARTCLEAN',
      slotType: 'ODRDTR_10_IN_1',
    });
  });

  it.each(['PPLCTR', '#PPLCTR', 'SMARTCLEAN#'])('refuses %s', (devType) => {
    expect(() => parseDevType(devType)).toThrow(/Provider#SlotType/);
  });
});

describe('canonicalDevType', () => {
  it('maps the documented bare AQ Wired type to SMARTCLEAN#ODRDTR', () => {
    expect(canonicalDevType('ODRDTR')).toBe('SMARTCLEAN#ODRDTR');
  });

  it.each(['SMARTCLEAN#ODRDTR', 'SMARTCLEAN#PPLCTR', 'ACME#ODRDTR', 'PPLCTR', 'odrdtr', 'constructor'])(
    'leaves %s as it is',
    (devType) => {
      expect(canonicalDevType(devType)).toBe(devType);
    },
  );
});

describe('unixMillis', () => {
  it('reads 2021-style seconds as seconds', () => {
    expect(unixMillis(1639120892)).toBe(1639120892000);
  });

  it('keeps milliseconds', () => {
    expect(unixMillis(1654063185904)).toBe(1654063185904);
  });
});
