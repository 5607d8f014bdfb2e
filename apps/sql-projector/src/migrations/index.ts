import { CreateSensorData1764115200000 } from './1764115200000-create-sensor-data';

/** sql-projector's migrations, in order. */
export const SQL_PROJECTOR_MIGRATIONS = [CreateSensorData1764115200000];
