import { Module } from '@nestjs/common';
import { EventLogsModule } from '../event-logs/event-logs.module';
import { ModuleMetricsModule } from '../module-metrics/module-metrics.module';
import { RegistryModule } from '../registry/registry.module';
import { MetricsActions } from './metrics.actions';
import { SensorDataController } from './sensor-data.controller';
import { SensorDataQueryService } from './sensor-data-query.service';

/**
 * Past sensor data (read from sql-projector's `matrix.sensor_data`): REST v1 `/v1/sensor-data` and the
 * `scmetrics` actions module, with the event log from `matrix.events`.
 */
@Module({
  imports: [EventLogsModule, ModuleMetricsModule, RegistryModule],
  controllers: [SensorDataController],
  providers: [MetricsActions, SensorDataQueryService],
  exports: [MetricsActions, SensorDataQueryService],
})
export class SensorDataModule {}
