import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { EventLogsController } from './event-logs.controller';
import { EventLogsRestService } from './event-logs-rest.service';
import { EventLogsService } from './event-logs.service';

/**
 * The event log from sql-projector's `matrix.events`: REST v1 `/v1/{buildings|properties}/{id}/events`
 * here, and `EventLogsService` for the `scmetrics` event-log ops (sensor-data's actions module).
 */
@Module({
  imports: [RegistryModule],
  controllers: [EventLogsController],
  providers: [EventLogsRestService, EventLogsService],
  exports: [EventLogsService],
})
export class EventLogsModule {}
