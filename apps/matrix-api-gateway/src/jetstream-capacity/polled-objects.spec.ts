import { MATRIX_KV_BUCKETS, MATRIX_TOPOLOGY, Namespace } from '@matrix/messaging';
import { polledObjects } from './polled-objects';

describe('the streams, buckets and durables the capacity gauges read', () => {
  it('reads every stream, bucket and durable of the namespace and labels them without it', () => {
    const polled = polledObjects(
      MATRIX_TOPOLOGY.streams,
      MATRIX_KV_BUCKETS,
      MATRIX_TOPOLOGY.consumers,
      new Namespace('blue'),
    );
    expect(polled.streams).toHaveLength(MATRIX_TOPOLOGY.streams.length + MATRIX_KV_BUCKETS.length);
    expect(polled.streams).toContainEqual({
      label: 'SENSOR_RAW',
      kind: 'stream',
      streamName: 'BLUE_SENSOR_RAW',
    });
    expect(polled.streams).toContainEqual({
      label: 'DEVICE_SLOTS',
      kind: 'kv',
      streamName: 'KV_BLUE_DEVICE_SLOTS',
    });
    expect(polled.consumers).toHaveLength(MATRIX_TOPOLOGY.consumers.length);
    expect(polled.consumers).toContainEqual({
      stream: 'SENSOR_DATA',
      streamName: 'BLUE_SENSOR_DATA',
      durable: 'sql-projector-sensor-data',
      durableName: 'blue-sql-projector-sensor-data',
    });
  });
});
