import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { IdempotencyInterceptor } from '../rest/idempotency.interceptor';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsService } from './subscriptions.service';

/** REST `/v1/subscriptions`, forwarded to event-router (issue #5). */
@Module({
  imports: [RegistryModule],
  controllers: [SubscriptionsController],
  providers: [IdempotencyInterceptor, SubscriptionsService],
})
export class SubscriptionsModule {}
