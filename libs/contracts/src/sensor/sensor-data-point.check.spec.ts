import { COMMON_PROBES } from '../shared/probes';
import { validateContract } from '../shared/validation';
import { validateNormalisedPoint, validateSensorDataPoint } from './sensor-data-point.check';
import { NormalisedSensorDataPointV1, SensorDataPointV1 } from './sensor-data-point.v1';

const raw = {
  DEVID: 'slot-1',
  DevType: 'SMARTCLEAN#PPLCTR',
  unixT: 1654063185904,
  v: { count: 2 },
  PID: 'b1',
  InsID: 'z1',
  Region: 'Asia/Singapore',
  Display: 'Entrance',
  AGG: 'extra',
};
const normalised = {
  ...raw,
  PropId: 'p1',
  t: '20220601135945',
  time: '2022-06-01T13:59:45+0800',
  dow: '3',
  month: '06',
  hour: '13',
  dom: '01',
  minute: '59',
};

/** Values that probe every constraint: the common ones, and lengths at and beyond the limits, patterns. */
const PROBES: unknown[] = [
  ...COMMON_PROBES,
  '😀',
  'x'.repeat(2),
  'x'.repeat(3),
  'x'.repeat(14),
  'x'.repeat(15),
  '12345678901234',
  '2022-06-01T13:59:45+0800',
  '2022-06-01T13:59:45Z',
  'x'.repeat(128),
  'x'.repeat(129),
  '😀'.repeat(100),
  'x'.repeat(257),
  '7',
  '07',
  '007',
  'A#B',
  'ODRDTR',
  '#B',
  'A#',
  'A B#C',
  { count: 1 },
  [1],
];

function agreeOn(
  base: Record<string, unknown>,
  fast: (input: unknown) => { ok: boolean },
  contract: (input: unknown) => { ok: boolean },
) {
  let checked = 0;
  for (const field of [...Object.keys(base), 'PropId', 'Display', 't', 'time', 'dow']) {
    for (const probe of PROBES) {
      const input = { ...base, [field]: probe };
      if (probe === undefined) delete input[field];
      expect({ field, probe, ok: fast(input).ok }).toEqual({ field, probe, ok: contract(input).ok });
      checked += 1;
    }
  }
  for (const input of [null, 'point', 1, [], [base]]) {
    expect(fast(input).ok).toBe(false);
    expect(contract(input).ok).toBe(false);
  }
  return checked;
}

describe('fast point checks', () => {
  it('accept and refuse exactly what SensorDataPointV1 does, with its error messages', () => {
    expect(validateSensorDataPoint(raw)).toEqual({ ok: true, value: raw });
    const checked = agreeOn(raw, validateSensorDataPoint, (x) => validateContract(SensorDataPointV1, x));
    expect(checked).toBeGreaterThan(300);
    const { DEVID: _omitted, ...noDevice } = raw;
    expect(validateSensorDataPoint(noDevice)).toEqual({ ok: false, errors: ['DEVID: is required'] });
  });

  it('accept and refuse exactly what NormalisedSensorDataPointV1 does', () => {
    expect(validateNormalisedPoint(normalised)).toEqual({ ok: true, value: normalised });
    agreeOn(normalised, validateNormalisedPoint, (x) => validateContract(NormalisedSensorDataPointV1, x));
  });
});
