import { resolveNames } from './subjects';

describe('resolveNames', () => {
  it('answers the documented names without a namespace, and prefixed ones in a namespace', () => {
    const root = resolveNames('matrix-events', 'matrix.*.scgrids.>', 'board');
    expect({ ...root, strip: undefined }).toEqual({
      stream: 'MATRIX_EVENTS',
      filterSubject: 'matrix.*.scgrids.>',
      durable: 'board',
      strip: undefined,
    });
    const staging = resolveNames('sensor-data', 'sensor.data.b1.>', 'board', 'staging');
    expect({ ...staging, strip: undefined }).toEqual({
      stream: 'STAGING_SENSOR_DATA',
      filterSubject: 'staging.sensor.data.b1.>',
      durable: 'staging-board',
      strip: undefined,
    });
    expect(staging.strip('staging.sensor.data.b1.SMARTCLEAN.PPLCTR')).toBe(
      'sensor.data.b1.SMARTCLEAN.PPLCTR',
    );
  });

  it('refuses patterns outside the stream, bad durable names and bad namespaces', () => {
    expect(() => resolveNames('matrix-events', 'sensor.data.>', 'd')).toThrow(
      /not a subject pattern under matrix/,
    );
    expect(() => resolveNames('sensor-data', 'sensor.raw.>', 'd')).toThrow(/under sensor\.data/);
    expect(() => resolveNames('matrix-events', 'matrix..x', 'd')).toThrow(/not a subject pattern/);
    expect(() => resolveNames('matrix-events', 'matrix.>', 'a.b')).toThrow(/durable name/);
    expect(() => resolveNames('matrix-events', 'matrix.>', 'd', 'Prod')).toThrow(/namespace/);
  });
});
