import type { NormalisedSensorDataPointV1 } from '@matrix/contracts';
import { SENSOR_DATA_COLUMNS, sensorDataRow } from './sensor-data-row';

const point = {
  t: '20220601135945',
  v: { count: 2 },
  unixT: 1654063185904,
  DEVID: 'd1',
  Region: 'Asia/Singapore',
  time: '2022-06-01T13:59:45+0800',
  DevType: 'SMARTCLEAN#PPLCTR',
  PID: 'b1',
  InsID: 'z1',
  dow: '3',
  month: '06',
  hour: '13',
  dom: '01',
  minute: '59',
  AGG: '20220601135900',
} as NormalisedSensorDataPointV1;

describe('sensorDataRow', () => {
  it('maps the general-format fields to lower-cased columns and keeps extras in `extra`', () => {
    const row = Object.fromEntries(
      SENSOR_DATA_COLUMNS.map((column, i) => [column, sensorDataRow('data:abc', 42, point)[i]]),
    );
    expect(row).toEqual({
      msg_id: 'data:abc',
      t: '20220601135945',
      v: { count: 2 },
      unixt: 1654063185904,
      devid: 'd1',
      region: 'Asia/Singapore',
      time: '2022-06-01T05:59:45.904Z',
      devtype: 'SMARTCLEAN#PPLCTR',
      pid: 'b1',
      propid: null,
      insid: 'z1',
      display: null,
      dow: '3',
      month: '06',
      hour: '13',
      dom: '01',
      minute: '59',
      extra: { AGG: '20220601135900' },
      stream_seq: 42,
    });
  });
});
