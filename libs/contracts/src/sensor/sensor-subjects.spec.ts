import {
  SENSOR_RAW_PARTITIONS,
  sensorDataSubject,
  sensorRawPartition,
  sensorRawSubject,
  sensorRejectedSubject,
} from './sensor-subjects';

describe('sensor subjects', () => {
  it('builds the documented subject shapes', () => {
    expect(sensorRawSubject('SMARTCLEAN', '0f81b252')).toBe('sensor.raw.SMARTCLEAN.0f81b252.p3');
    expect(sensorDataSubject('45ea1d38', 'SMARTCLEAN', 'ODRDTR_10_IN_1')).toBe(
      'sensor.data.45ea1d38.SMARTCLEAN.ODRDTR_10_IN_1',
    );
    expect(sensorRejectedSubject('unknown_device')).toBe('sensor.rejected.unknown_device');
  });

  it('escapes ids that would add subject tokens or wildcards', () => {
    expect(sensorRawSubject('SMARTCLEAN', 'a.b*')).toBe('sensor.raw.SMARTCLEAN.a~2Eb~2A.p2');
    expect(sensorDataSubject('p>1', 'SMARTCLEAN', 'PPLCTR').split('.')).toHaveLength(5);
  });

  it('puts a lane in one partition, the FNV-1a of its token, and spreads lanes over all of them', () => {
    // FNV-1a 32 of "0f81b252" is 0xbd818803 (fixed here so that no other implementation drifts from it).
    expect(sensorRawPartition('0f81b252')).toBe(0xbd818803 % SENSOR_RAW_PARTITIONS);
    expect(sensorRawPartition('0f81b252')).toBe(sensorRawPartition('0f81b252'));
    const seen = new Set(Array.from({ length: 200 }, (_, i) => sensorRawPartition(`key${i}`)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
