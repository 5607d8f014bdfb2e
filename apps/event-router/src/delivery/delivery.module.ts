import { Module } from '@nestjs/common';
import type { EventRouterConfig } from '../config/event-router.config';
import { ROUTER_CONFIG } from '../config/router-config.token';
import { PrincipalDirectory } from '../routing/principal-directory';
import { RoutedLogWriter } from '../routing/routed-log-writer';
import { RoutingLeadership } from '../routing/routing-leadership';
import { StreamRouterHandler } from '../routing/stream-router.handler';
import { SubscriptionIndex } from '../routing/subscription-index';
import { Replayer } from '../subscriptions/replay';
import { SubscriptionCommands } from '../subscriptions/subscription-commands';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { SubscriptionSealer } from '../subscriptions/subscription-sealer';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryScheduler } from './delivery-scheduler';
import { OperatorNotices } from './operator-notices';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { NotificationsModule } from '../notifications/notifications.module';

/** Routing (streams → routed-message log), delivery (log → endpoints) and subscription management. */
@Module({
  imports: [EndpointsModule, NotificationsModule],
  providers: [
    {
      provide: SubscriptionSealer,
      useFactory: (config: EventRouterConfig) => new SubscriptionSealer(config.secretKey),
      inject: [ROUTER_CONFIG],
    },
    DeliveryRepository,
    DeliveryScheduler,
    OperatorNotices,
    PrincipalDirectory,
    Replayer,
    RoutedLogWriter,
    RoutingLeadership,
    StreamRouterHandler,
    SubscriptionCommands,
    SubscriptionIndex,
    SubscriptionsRepository,
  ],
})
export class DeliveryModule {}
