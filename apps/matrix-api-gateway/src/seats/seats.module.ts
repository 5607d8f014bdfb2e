import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { IdempotencyInterceptor } from '../rest/idempotency.interceptor';
import { SeatsController } from './seats.controller';
import { SeatsService } from './seats.service';

/** REST `/v1/properties/{propId}/seats`, forwarded to incident-service (issue 12). */
@Module({
  imports: [RegistryModule],
  controllers: [SeatsController],
  providers: [IdempotencyInterceptor, SeatsService],
})
export class SeatsModule {}
