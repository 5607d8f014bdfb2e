import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { SensorDataQueryService } from './sensor-data-query.service';

/** Past sensor data (read from sql-projector's `matrix.sensor_data`), for REST v1 and the `scmetrics` ops. */
@Module({
  imports: [RegistryModule],
  providers: [SensorDataQueryService],
  exports: [SensorDataQueryService],
})
export class SensorDataModule {}
