import { SensorDataPointV1 } from '../sensor/sensor-data-point.v1';
import { validateContract } from './validation';

describe('validateContract', () => {
  it.each([[null], ['text'], [42], [[]]])('refuses %p as a body', (input) => {
    expect(validateContract(SensorDataPointV1, input)).toEqual({
      ok: false,
      errors: ['body: must be a JSON object'],
    });
  });

  it('returns an instance of the contract class', () => {
    const result = validateContract(SensorDataPointV1, { DEVID: 'd', DevType: 'A#B', unixT: 1, v: {} });
    expect(result.ok && result.value instanceof SensorDataPointV1).toBe(true);
  });

  it('names the path of every failing field', () => {
    const result = validateContract(SensorDataPointV1, { DevType: 'nohash', unixT: 'x', v: {} });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const paths = new Set(result.errors.map((error) => error.split(':')[0]));
      expect(paths).toEqual(new Set(['DEVID', 'DevType', 'unixT']));
    }
  });
});
