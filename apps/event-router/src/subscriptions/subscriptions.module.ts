import { Module } from '@nestjs/common';
import type { EventRouterConfig } from '../config/event-router.config';
import { ROUTER_CONFIG } from '../config/router-config.token';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SubscriptionCommands } from './subscription-commands';
import { SubscriptionSealer } from './subscription-sealer';
import { SubscriptionsRepository } from './subscriptions.repository';

/**
 * Subscriptions (`router.subscriptions`): their commands, storage and sealed secrets. Imports endpoints
 * (targets are checked, secrets made) and notifications (a change is announced); routing and delivery
 * import it, never the other way round.
 */
@Module({
  imports: [EndpointsModule, NotificationsModule],
  providers: [
    SubscriptionCommands,
    {
      provide: SubscriptionSealer,
      useFactory: (config: EventRouterConfig) => new SubscriptionSealer(config.secretKey),
      inject: [ROUTER_CONFIG],
    },
    SubscriptionsRepository,
  ],
  exports: [SubscriptionSealer, SubscriptionsRepository],
})
export class SubscriptionsModule {}
