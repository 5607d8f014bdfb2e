import { Injectable } from '@nestjs/common';
import { buildMatrixEvent, deadLetterSubject, HEADER, routingKeyOf } from '@matrix/contracts';
import { JetStreamPublisher } from '@matrix/messaging';
import type { SubscriptionRow } from '../subscriptions/subscription-row';
import type { BatchRow } from './delivery.repository';

/** Module of the router's own Matrix events. */
export const ROUTER_MODULE = 'eventrouter';

/**
 * What the router tells operators and owners: a disabled subscription becomes a Matrix event
 * `matrix.<owner>.eventrouter.SUBSCRIPTION_DISABLED.HIGH` on MATRIX_EVENTS (so it can itself be pushed),
 * and a given-up batch is copied into the DLQ stream as `dlq.router.<kind>.<subscription id>`.
 */
@Injectable()
export class OperatorNotices {
  constructor(private readonly publisher: JetStreamPublisher) {}

  async subscriptionDisabled(sub: SubscriptionRow, reason: string): Promise<void> {
    const principal = sub.property ?? sub.org;
    const event = buildMatrixEvent({
      principal,
      principalType: sub.property ? 'property' : 'organisation',
      module: ROUTER_MODULE,
      eventId: 'SUBSCRIPTION_DISABLED',
      priority: 'HIGH',
      description: `Push subscription ${sub.id} to ${new URL(sub.url).host} was disabled: ${reason}`,
      occurredAt: new Date(),
      meta: { SubscriptionId: sub.id, Url: sub.url, Kind: sub.kind, Reason: reason },
    });
    await this.publisher.publish({
      subject: routingKeyOf({
        principal,
        module: ROUTER_MODULE,
        eventId: 'SUBSCRIPTION_DISABLED',
        priority: 'HIGH',
      }),
      payload: event,
      msgId: `router:disabled:${sub.id}:${Date.now()}`,
    });
  }

  async batchGivenUp(sub: SubscriptionRow, batch: BatchRow, body: string, reason: string): Promise<void> {
    const subject = `router.${sub.kind}.${sub.id}`;
    await this.publisher.publish({
      subject: deadLetterSubject(subject),
      payload: new TextEncoder().encode(body),
      msgId: `dlq:router:${batch.seq}`,
      headers: {
        [HEADER.dlqReason]: reason.replace(/[\r\n]+/g, ' ').slice(0, 1024),
        [HEADER.dlqStream]: batch.stream,
        [HEADER.dlqSequence]: `${batch.first_seq}-${batch.last_seq}`,
        [HEADER.dlqConsumer]: 'event-router',
        [HEADER.dlqDeliveries]: String(batch.attempts + 1),
        [HEADER.dlqSubject]: subject,
        'webhook-id': batch.webhook_id,
      },
    });
  }
}
