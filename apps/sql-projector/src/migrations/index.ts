import { SENSOR_DATA_MIGRATIONS } from '@matrix/sensor-store';

/** sql-projector's migrations, in order: the `matrix` schema's, kept in libs/sensor-store. */
export const SQL_PROJECTOR_MIGRATIONS = SENSOR_DATA_MIGRATIONS;
