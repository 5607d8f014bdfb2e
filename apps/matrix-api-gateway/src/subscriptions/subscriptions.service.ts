import { Injectable } from '@nestjs/common';
import {
  checkSubscriptionInput,
  checkSubscriptionUpdate,
  ROUTER_COMMANDS,
  type SubscriptionOwnerV1,
} from '@matrix/contracts';
import { CommandBus, CommandFailedError, CommandUnavailableError, type CommandSpec } from '@matrix/messaging';
import { DomainError } from '../domain-error';
import { BuildingsService } from '../registry/buildings.service';
import { PropertiesService } from '../registry/properties.service';
import type { AccessLevel, RegistryAccess } from '../auth/registry-access';
import { RegistryError, notFound } from '../registry/registry-error';

const DEFAULT_LIMIT = 50;

function limitOf(raw: string | undefined, max = 500): number {
  if (raw === undefined || raw === '') return DEFAULT_LIMIT;
  const limit = /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(limit >= 1 && limit <= max)) {
    throw new RegistryError('INVALID', 'limit: must be 1 to 500', [
      `limit: must be an integer from 1 to ${max}`,
    ]);
  }
  return limit;
}

/**
 * Push subscriptions through the gateway: checks the caller's role, resolves which principals (the
 * organisation, its properties and their buildings, or one property and its buildings) the owner may
 * receive events and data of, and forwards to event-router over NATS request/reply. Reading needs the
 * read role; creating, changing, resending and replaying need admin (they send data out of the platform).
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly commands: CommandBus,
    private readonly properties: PropertiesService,
    private readonly buildings: BuildingsService,
  ) {}

  /** Asks event-router; its refusals become domain errors here, at the edge (the REST filter maps them). */
  private async ask<Req, Res>(spec: CommandSpec<Req, Res>, request: Req): Promise<Res> {
    try {
      return await this.commands.request(spec, request);
    } catch (error) {
      throw routerError(error);
    }
  }

  private owner(access: RegistryAccess, needed: AccessLevel): SubscriptionOwnerV1 {
    const target = access.propId ? { orgId: access.orgId, propId: access.propId } : { orgId: access.orgId };
    access.check(needed, target, () => notFound('organisation', access.orgId));
    return access.propId ? { org: access.orgId, property: access.propId } : { org: access.orgId };
  }

  /** The principals the caller may receive: its organisation (org-wide only), properties and their buildings. */
  async scope(access: RegistryAccess): Promise<string[]> {
    const properties = await this.properties.list(access);
    const scope = new Set<string>(access.propId ? [] : [access.orgId]);
    for (const property of properties) {
      scope.add(property.propId);
      for (const building of await this.buildings.listByProperty(access, property.propId)) {
        scope.add(building.pid);
      }
    }
    return [...scope];
  }

  async create(access: RegistryAccess, body: unknown) {
    const owner = this.owner(access, 'admin');
    const input = checkSubscriptionInput(body);
    if (!input.ok) throw new RegistryError('INVALID', 'the subscription is not valid', input.errors);
    return this.ask(ROUTER_COMMANDS.create, {
      owner,
      input: input.value,
      scope: await this.scope(access),
    });
  }

  async list(access: RegistryAccess, cursor: string | undefined, limit: string | undefined) {
    const owner = this.owner(access, 'read');
    const page = await this.ask(ROUTER_COMMANDS.list, {
      owner,
      limit: limitOf(limit),
      ...(cursor ? { after: cursor } : {}),
    });
    return { items: page.items, nextCursor: page.next ?? null };
  }

  async get(access: RegistryAccess, id: string) {
    return this.ask(ROUTER_COMMANDS.get, { owner: this.owner(access, 'read'), id: idOf(id) });
  }

  async update(access: RegistryAccess, id: string, body: unknown) {
    const owner = this.owner(access, 'admin');
    const patch = checkSubscriptionUpdate(body);
    if (!patch.ok) throw new RegistryError('INVALID', 'the change is not valid', patch.errors);
    return this.ask(ROUTER_COMMANDS.update, {
      owner,
      id: idOf(id),
      patch: patch.value,
      scope: await this.scope(access),
    });
  }

  async delete(access: RegistryAccess, id: string): Promise<void> {
    await this.ask(ROUTER_COMMANDS.delete, { owner: this.owner(access, 'admin'), id: idOf(id) });
  }

  async rotateSecret(access: RegistryAccess, id: string, body: unknown) {
    const overlapMs = (body as { overlapMs?: unknown } | undefined)?.overlapMs;
    return this.ask(ROUTER_COMMANDS.rotateSecret, {
      owner: this.owner(access, 'admin'),
      id: idOf(id),
      ...(overlapMs !== undefined ? { overlapMs: overlapMs as number } : {}),
    });
  }

  async attempts(access: RegistryAccess, id: string, cursor: string | undefined, limit: string | undefined) {
    const page = await this.ask(ROUTER_COMMANDS.attempts, {
      owner: this.owner(access, 'read'),
      id: idOf(id),
      limit: limitOf(limit),
      ...(cursor ? { after: cursor } : {}),
    });
    return { items: page.items, nextCursor: page.next ?? null };
  }

  async batches(
    access: RegistryAccess,
    id: string,
    status: string | undefined,
    cursor: string | undefined,
    limit: string | undefined,
  ) {
    const page = await this.ask(ROUTER_COMMANDS.batches, {
      owner: this.owner(access, 'read'),
      id: idOf(id),
      limit: limitOf(limit),
      ...(cursor ? { after: cursor } : {}),
      ...(status ? { status } : {}),
    });
    return { items: page.items, nextCursor: page.next ?? null };
  }

  async resend(access: RegistryAccess, id: string, batchId: string) {
    return this.ask(ROUTER_COMMANDS.resend, {
      owner: this.owner(access, 'admin'),
      id: idOf(id),
      batchId,
    });
  }

  async replay(access: RegistryAccess, id: string, body: unknown) {
    const { from, to } = (body ?? {}) as { from?: unknown; to?: unknown };
    return this.ask(ROUTER_COMMANDS.replay, {
      owner: this.owner(access, 'admin'),
      id: idOf(id),
      from: from as string,
      to: to as string,
    });
  }
}

/** A malformed id is a missing subscription (the router would say INVALID_REQUEST). */
function idOf(id: string): string {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw notFound('subscription', id);
  return id;
}

/**
 * The router's answers as domain errors: NOT_FOUND → not found, INVALID_REQUEST and TARGET_REFUSED →
 * invalid with the reasons, no router answering → unavailable (retry in 5 s); anything else stays a fault.
 */
function routerError(error: unknown): unknown {
  if (error instanceof CommandUnavailableError) {
    return new DomainError('UNAVAILABLE', 'event-router did not answer; try again', [], 5, { cause: error });
  }
  if (!(error instanceof CommandFailedError)) return error;
  switch (error.code) {
    case 'NOT_FOUND':
      return new RegistryError('NOT_FOUND', error.message);
    case 'INVALID_REQUEST':
      return new RegistryError('INVALID', 'the request is not valid', error.message.split('; '));
    case 'TARGET_REFUSED':
      return new RegistryError('INVALID', 'the target URL is refused', [`url: ${error.message}`]);
    default:
      return error;
  }
}
