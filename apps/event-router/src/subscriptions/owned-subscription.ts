import type { SubscriptionRef } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import type { SubscriptionRow } from './subscription-row';
import type { SubscriptionsRepository } from './subscriptions.repository';

/**
 * The subscription a command names, if its owner owns it; NOT_FOUND otherwise (another owner's
 * subscription is not told apart from a missing one). Every `router.subscription.*.v1` command starts here,
 * whichever folder handles it.
 */
export async function ownedSubscription(
  repository: SubscriptionsRepository,
  request: SubscriptionRef,
): Promise<SubscriptionRow> {
  const row = await repository.get(request.owner, request.id);
  if (!row) throw subscriptionNotFound();
  return row;
}

export const subscriptionNotFound = () => new CommandError('NOT_FOUND', 'no such subscription');
