import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { IdempotencyInterceptor } from '../rest/idempotency.interceptor';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';
import { WorkforceClient } from '../workforce/workforce-client';

/** REST `/v1/buildings/{pid}/incidents`, forwarded to incident-service (issue 12). */
@Module({
  imports: [RegistryModule],
  controllers: [IncidentsController],
  providers: [IdempotencyInterceptor, WorkforceClient, IncidentsService],
})
export class IncidentsModule {}
