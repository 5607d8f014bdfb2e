import { sensorDataSubject, sensorRawSubject, sensorRejectedSubject } from './sensor-subjects';

describe('sensor subjects', () => {
  it('builds the documented subject shapes', () => {
    expect(sensorRawSubject('SMARTCLEAN', '0f81b252')).toBe('sensor.raw.SMARTCLEAN.0f81b252');
    expect(sensorDataSubject('45ea1d38', 'SMARTCLEAN', 'ODRDTR_10_IN_1')).toBe(
      'sensor.data.45ea1d38.SMARTCLEAN.ODRDTR_10_IN_1',
    );
    expect(sensorRejectedSubject('unknown_device')).toBe('sensor.rejected.unknown_device');
  });

  it('escapes ids that would add subject tokens or wildcards', () => {
    expect(sensorRawSubject('SMARTCLEAN', 'a.b*')).toBe('sensor.raw.SMARTCLEAN.a~2Eb~2A');
    expect(sensorDataSubject('p>1', 'SMARTCLEAN', 'PPLCTR').split('.')).toHaveLength(5);
  });
});
