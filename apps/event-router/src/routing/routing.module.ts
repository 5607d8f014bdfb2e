import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { PrincipalDirectory } from '@matrix/messaging';
import { ReplayCommand } from './replay-command';
import { Replayer } from './replayer';
import { RoutedLogWriter } from './routed-log-writer';
import { RoutingLeadership } from './routing-leadership';
import { StreamRouterHandler } from './stream-router.handler';
import { SubscriptionIndex } from './subscription-index';

/**
 * Streams → routed-message log: the routing leader's two stream consumers, the in-memory subscription
 * index, the log writer, and replays (a time range routed again to one subscription).
 */
@Module({
  imports: [NotificationsModule, SubscriptionsModule],
  providers: [
    PrincipalDirectory,
    ReplayCommand,
    Replayer,
    RoutedLogWriter,
    RoutingLeadership,
    StreamRouterHandler,
    SubscriptionIndex,
  ],
})
export class RoutingModule {}
