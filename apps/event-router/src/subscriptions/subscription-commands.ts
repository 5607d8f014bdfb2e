import { Injectable } from '@nestjs/common';
import {
  ROUTER_COMMANDS,
  type CreateSubscriptionRequest,
  type CreatedSubscriptionV1,
  type ListRequest,
  type Page,
  type RotateSecretRequest,
  type RotatedSecretV1,
  type SubscriptionRef,
  type SubscriptionViewV1,
  type UpdateSubscriptionRequest,
} from '@matrix/contracts';
import { CommandError, HandleCommand } from '@matrix/messaging';
import { newSecret } from '../endpoints/signature';
import { TargetGuard } from '../endpoints/target-guard';
import { TargetRefusedError } from '../endpoints/target-refused-error';
import { RouterNotifications } from '../notifications/router-notifications';
import { ownedSubscription, subscriptionNotFound } from './owned-subscription';
import { subscriptionView, type SubscriptionRow } from './subscription-row';
import { SubscriptionsRepository } from './subscriptions.repository';

const DEFAULT_OVERLAP_MS = 86_400_000;

/**
 * The subscription commands over NATS request/reply (`router.subscription.{create,list,get,update,delete,
 * rotate-secret}.v1`). Every command is scoped to its owner: another owner's subscription answers
 * NOT_FOUND. Targets are checked by the SSRF guard on create and on a URL change (TARGET_REFUSED). The
 * commands on other data go to its owner: attempts, batches and resend to DeliveryCommands (delivery/),
 * replay to ReplayCommand (routing/).
 */
@Injectable()
export class SubscriptionCommands {
  constructor(
    private readonly repository: SubscriptionsRepository,
    private readonly guard: TargetGuard,
    private readonly notifications: RouterNotifications,
  ) {}

  private async checkTargets(url?: string, auth?: CreateSubscriptionRequest['input']['auth']): Promise<void> {
    try {
      if (url !== undefined) await this.guard.check(url);
      if (auth?.type === 'oauth2') await this.guard.check(auth.tokenUrl);
    } catch (error) {
      if (error instanceof TargetRefusedError) throw new CommandError('TARGET_REFUSED', error.message);
      throw error;
    }
  }

  private owned(request: SubscriptionRef): Promise<SubscriptionRow> {
    return ownedSubscription(this.repository, request);
  }

  @HandleCommand(ROUTER_COMMANDS.create)
  async create(request: CreateSubscriptionRequest): Promise<CreatedSubscriptionV1> {
    await this.checkTargets(request.input.url, request.input.auth);
    const secret = newSecret();
    const row = await this.repository.create(request.owner, request.input, request.scope, secret);
    // Routed from the next message on, on this replica at least (the others reload on NOTIFY).
    await this.notifications.subscriptionsChanged();
    return { ...subscriptionView(row), secret };
  }

  @HandleCommand(ROUTER_COMMANDS.list)
  async list(request: ListRequest): Promise<Page<SubscriptionViewV1>> {
    const page = await this.repository.list(request.owner, request.limit, request.after);
    return { ...page, items: page.items.map((row) => subscriptionView(row)) };
  }

  @HandleCommand(ROUTER_COMMANDS.get)
  async get(request: SubscriptionRef): Promise<SubscriptionViewV1> {
    return subscriptionView(await this.owned(request));
  }

  @HandleCommand(ROUTER_COMMANDS.update)
  async update(request: UpdateSubscriptionRequest): Promise<SubscriptionViewV1> {
    const current = await this.owned(request);
    if (request.patch.encoding !== undefined && current.kind !== 'sensor-data') {
      throw new CommandError('INVALID_REQUEST', 'encoding: applies to sensor-data subscriptions only');
    }
    await this.checkTargets(request.patch.url, request.patch.auth);
    const row = await this.repository.update(request.owner, request.id, request.patch, request.scope);
    if (!row) throw subscriptionNotFound();
    await this.notifications.subscriptionsChanged();
    return subscriptionView(row);
  }

  @HandleCommand(ROUTER_COMMANDS.delete)
  async delete(request: SubscriptionRef): Promise<{ deleted: true }> {
    if (!(await this.repository.delete(request.owner, request.id))) throw subscriptionNotFound();
    await this.notifications.subscriptionsChanged();
    return { deleted: true };
  }

  @HandleCommand(ROUTER_COMMANDS.rotateSecret)
  async rotateSecret(request: RotateSecretRequest): Promise<RotatedSecretV1> {
    const current = await this.owned(request);
    const now = Date.now();
    const until = new Date(now + (request.overlapMs ?? DEFAULT_OVERLAP_MS)).toISOString();
    const secret = newSecret();
    const kept = current.secrets
      .filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now)
      .map((s) => ({ ...s, expiresAt: s.expiresAt !== null && s.expiresAt < until ? s.expiresAt : until }))
      .filter((s) => Date.parse(s.expiresAt) > now);
    const row = await this.repository.setSecrets(request.owner, request.id, [
      { secret, createdAt: new Date(now).toISOString(), expiresAt: null },
      ...kept,
    ]);
    if (!row) throw subscriptionNotFound();
    return { secret, subscription: subscriptionView(row) };
  }
}
