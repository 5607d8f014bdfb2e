import { Injectable } from '@nestjs/common';
import { ROUTER_COMMANDS, type ReplayRequest, type ReplayResultV1 } from '@matrix/contracts';
import { CommandError, HandleCommand } from '@matrix/messaging';
import { ownedSubscription } from '../subscriptions/owned-subscription';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { Replayer } from './replayer';

const MAX_REPLAY_MS = 31 * 86_400_000;

/**
 * `router.subscription.replay.v1`: routes a time range of the kind's stream again, to one subscription
 * (scoped to its owner like every subscription command), through the routed-message log's replay queue.
 */
@Injectable()
export class ReplayCommand {
  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly replayer: Replayer,
  ) {}

  @HandleCommand(ROUTER_COMMANDS.replay)
  async replay(request: ReplayRequest): Promise<ReplayResultV1> {
    const row = await ownedSubscription(this.subscriptions, request);
    const from = new Date(request.from);
    const to = new Date(request.to);
    if (to.getTime() - from.getTime() > MAX_REPLAY_MS) {
      throw new CommandError('INVALID_REQUEST', 'a replay covers at most 31 days');
    }
    return this.replayer.replay(row, from, to);
  }
}
