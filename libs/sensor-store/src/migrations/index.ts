import { CreateSensorData1764115200000 } from './1764115200000-create-sensor-data';
import { CreateSensorData15m1764374400000 } from './1764374400000-create-sensor-data-15m';
import { SensorDataPartitionRace1764547200000 } from './1764547200000-sensor-data-partition-race';
import { SensorData15mFillfactor1764633600000 } from './1764633600000-sensor-data-15m-fillfactor';
import { CreateEvents1766100000000 } from './1766100000000-create-events';
import { SensorData15mPropid1766200000000 } from './1766200000000-sensor-data-15m-propid';
import { TenantAccess1766200000100 } from './1766200000100-tenant-access';
import { EventsTenantPolicy1766200000200 } from './1766200000200-events-tenant-policy';
import { SensorData15mBucketIndex1766300000000 } from './1766300000000-sensor-data-15m-bucket-index';
import { CreateReadModels1766400000000 } from './1766400000000-create-read-models';
import { SqlSinks1766500000000 } from './1766500000000-sql-sinks';
import { SensorDataCoveringIndex1766500000100 } from './1766500000100-sensor-data-covering-index';
import { TenantWorkMem1766500000200 } from './1766500000200-tenant-work-mem';
import { TenantNoTemp1766500000300 } from './1766500000300-tenant-no-temp';
import { SensorDataDailyPartitions1766600000100 } from './1766600000100-sensor-data-daily-partitions';
import { PartitionCompactions1766600000200 } from './1766600000200-partition-compactions';
import { TenantParallelQuery1766600000300 } from './1766600000300-tenant-parallel-query';

export { TENANT_GROUP_ROLE } from './1766200000100-tenant-access';
export { SensorDataDailyPartitions1766600000100 };

/**
 * The migrations of the `matrix` schema (the dedicated database: `matrix.sensor_data`, its 15-minute
 * rollup, `matrix.events`, the partition functions), in order. sql-projector owns and runs them; they
 * live in this library so the gateway's tests, which read these tables, build them from the same source.
 */
export const SENSOR_DATA_MIGRATIONS = [
  CreateSensorData1764115200000,
  CreateSensorData15m1764374400000,
  SensorDataPartitionRace1764547200000,
  SensorData15mFillfactor1764633600000,
  CreateEvents1766100000000,
  SensorData15mPropid1766200000000,
  TenantAccess1766200000100,
  EventsTenantPolicy1766200000200,
  SensorData15mBucketIndex1766300000000,
  CreateReadModels1766400000000,
  SqlSinks1766500000000,
  SensorDataCoveringIndex1766500000100,
  TenantWorkMem1766500000200,
  TenantNoTemp1766500000300,
  SensorDataDailyPartitions1766600000100,
  PartitionCompactions1766600000200,
  TenantParallelQuery1766600000300,
];
