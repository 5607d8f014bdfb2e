import { Module } from '@nestjs/common';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { DeliveryCommands } from './delivery-commands';
import { DeliveryLogRepository } from './delivery-log.repository';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryScheduler } from './delivery-scheduler';
import { OperatorNotices } from './operator-notices';

/**
 * Routed-message log → endpoints: delivery leases, the per-subscription lanes that form batches and send
 * them, the delivery log (batches, attempts, resend) and the operator notices.
 */
@Module({
  imports: [EndpointsModule, NotificationsModule, SubscriptionsModule],
  providers: [
    DeliveryCommands,
    DeliveryLogRepository,
    DeliveryRepository,
    DeliveryScheduler,
    OperatorNotices,
  ],
})
export class DeliveryModule {}
