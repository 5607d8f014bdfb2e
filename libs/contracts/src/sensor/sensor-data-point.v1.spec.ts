import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateContract } from '../shared/validation';
import { localTimeFields } from './local-time';
import { canonicalDevType, parseDevType, SensorDataPointV1, unixMillis } from './sensor-data-point.v1';
import { normaliseSlotValue } from './slot-value';

const FIXTURES = path.join(__dirname, '../../fixtures/sensor-data-point.v1');

function fixtures(kind: 'valid' | 'invalid'): [string, unknown][] {
  const dir = path.join(FIXTURES, kind);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => [file, JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as unknown]);
}

/** Validates the general fields, then the type-specific `v`; returns all errors or the canonical `v`. */
function parsePoint(
  input: unknown,
): { ok: true; point: SensorDataPointV1; v: Record<string, unknown> } | { ok: false; errors: string[] } {
  const point = validateContract(SensorDataPointV1, input);
  if (!point.ok) return point;
  const v = normaliseSlotValue(point.value.DevType, point.value.v);
  return v.ok ? { ok: true, point: point.value, v: v.value } : v;
}

/** Canonical `v` each valid fixture normalises to. */
const EXPECTED_V: Record<string, Record<string, unknown>> = {
  'pplctr-2021-string-counts.json': { count: 2, out_count: 1 },
  'pplctr-2022-float-counts.json': { count: 2, out_count: 1 },
  'pplctr-minimal.json': { count: 0 },
  'um-pc-lite.json': { b: '3000', count: 1, u: '6167' },
};

/** The error path each invalid fixture must be rejected for. */
const EXPECTED_ERROR: Record<string, string> = {
  'batch-instead-of-point.json': 'body',
  'count-fraction.json': 'v.count',
  'count-missing.json': 'v.count',
  'count-negative.json': 'v.count',
  'count-not-numeric.json': 'v.count',
  'devid-missing.json': 'DEVID',
  'devtype-without-provider.json': 'DevType',
  'out-count-empty-string.json': 'v.out_count',
  't-not-compact.json': 't',
  'unixt-as-string.json': 'unixT',
  'v-array.json': 'v',
  'v-missing.json': 'v',
};

describe('SensorDataPointV1 fixtures', () => {
  const valid = fixtures('valid');
  const invalid = fixtures('invalid');

  it('has an expectation for every fixture file', () => {
    expect(valid.map(([file]) => file)).toEqual(Object.keys(EXPECTED_V).sort());
    expect(invalid.map(([file]) => file)).toEqual(Object.keys(EXPECTED_ERROR).sort());
  });

  it.each(valid)('accepts valid/%s and canonicalises its v', (file, input) => {
    const parsed = parsePoint(input);
    if (!parsed.ok) throw new Error(`${file} was rejected: ${parsed.errors.join('; ')}`);
    expect(parsed.v).toEqual(EXPECTED_V[file]);
    for (const key of ['count', 'out_count']) {
      if (key in parsed.v) expect(Number.isInteger(parsed.v[key])).toBe(true);
    }
  });

  it.each(valid)('keeps the undocumented extras of valid/%s', (_file, input) => {
    const parsed = parsePoint(input);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    expect({ ...parsed.point }).toEqual(input);
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

  it.each(invalid)('rejects invalid/%s', (file, input) => {
    const parsed = parsePoint(input);
    if (parsed.ok) throw new Error(`${file} was accepted`);
    expect(parsed.errors.some((error) => error.startsWith(`${EXPECTED_ERROR[file]}: `))).toBe(true);
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
