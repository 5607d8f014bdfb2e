import { Injectable } from '@nestjs/common';
import {
  ROUTER_COMMANDS,
  type AttemptViewV1,
  type BatchViewV1,
  type ListOfSubscriptionRequest,
  type Page,
  type ResendRequest,
} from '@matrix/contracts';
import { CommandError, HandleCommand } from '@matrix/messaging';
import { ownedSubscription } from '../subscriptions/owned-subscription';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { DeliveryLogRepository } from './delivery-log.repository';

/**
 * The commands on a subscription's delivery log (`router.subscription.{attempts,batches,resend}.v1`),
 * scoped to the subscription's owner like every subscription command.
 */
@Injectable()
export class DeliveryCommands {
  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly log: DeliveryLogRepository,
  ) {}

  @HandleCommand(ROUTER_COMMANDS.attempts)
  async attempts(request: ListOfSubscriptionRequest): Promise<Page<AttemptViewV1>> {
    await ownedSubscription(this.subscriptions, request);
    return this.log.attempts(request.id, request.limit, request.after);
  }

  @HandleCommand(ROUTER_COMMANDS.batches)
  async batches(request: ListOfSubscriptionRequest): Promise<Page<BatchViewV1>> {
    await ownedSubscription(this.subscriptions, request);
    return this.log.batches(request.id, request.limit, request.after, request.status);
  }

  @HandleCommand(ROUTER_COMMANDS.resend)
  async resend(request: ResendRequest): Promise<BatchViewV1> {
    await ownedSubscription(this.subscriptions, request);
    const batch = await this.log.resend(request.id, request.batchId);
    if (!batch) {
      throw new CommandError(
        'NOT_FOUND',
        'no such batch, or its messages are no longer stored (2 days): replay the time range instead',
      );
    }
    return batch;
  }
}
