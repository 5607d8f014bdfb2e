import { CreateSensorData1764115200000 } from './1764115200000-create-sensor-data';
import { CreateSensorData15m1764374400000 } from './1764374400000-create-sensor-data-15m';
import { SensorDataPartitionRace1764547200000 } from './1764547200000-sensor-data-partition-race';

/** sql-projector's migrations, in order. */
export const SQL_PROJECTOR_MIGRATIONS = [
  CreateSensorData1764115200000,
  CreateSensorData15m1764374400000,
  SensorDataPartitionRace1764547200000,
];
