import { Module } from '@nestjs/common';
import { EventLogsService } from '../event-logs/event-logs.service';
import { RegistryModule } from '../registry/registry.module';
import { MetricsActions } from './metrics.actions';
import { SensorDataController } from './sensor-data.controller';
import { SensorDataQueryService } from './sensor-data-query.service';

/**
 * Past sensor data (read from sql-projector's `matrix.sensor_data`): REST v1 `/v1/sensor-data` and the
 * `scmetrics` actions module, with the event log from `matrix.events`.
 */
@Module({
  imports: [RegistryModule],
  controllers: [SensorDataController],
  providers: [EventLogsService, MetricsActions, SensorDataQueryService],
  exports: [MetricsActions, SensorDataQueryService],
})
export class SensorDataModule {}
