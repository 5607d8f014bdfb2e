import { Injectable } from '@nestjs/common';
import { checkSeatInput, SEAT_COMMANDS, type SeatScopeV1 } from '@matrix/contracts';
import { CommandBus, CommandFailedError, CommandUnavailableError, type CommandSpec } from '@matrix/messaging';
import type { AccessLevel, RegistryAccess } from '../auth/registry-access';
import { DomainError } from '../domain-error';
import { PropertiesService } from '../registry/properties.service';
import { notFound, RegistryError } from '../registry/registry-error';

/**
 * Seats through the gateway: checks the caller may touch the property (another tenant's is NOT_FOUND;
 * reading needs the read role, changes the admin role) and the body, then forwards to incident-service,
 * which owns `workforce.seats`.
 */
@Injectable()
export class SeatsService {
  constructor(
    private readonly commands: CommandBus,
    private readonly properties: PropertiesService,
  ) {}

  private async scope(access: RegistryAccess, propId: string, needed: AccessLevel): Promise<SeatScopeV1> {
    const property = await this.properties.read(access, propId);
    access.check(needed, { orgId: property.orgId, propId }, () => notFound('property', propId));
    return { org: property.orgId, propId };
  }

  private async ask<Req, Res>(spec: CommandSpec<Req, Res>, request: Req): Promise<Res> {
    try {
      return await this.commands.request(spec, request);
    } catch (error) {
      throw seatError(error);
    }
  }

  async create(access: RegistryAccess, propId: string, body: unknown) {
    const scope = await this.scope(access, propId, 'admin');
    const input = checkSeatInput(body);
    if (!input.ok) throw new RegistryError('INVALID', 'the seat is not valid', input.errors);
    return this.ask(SEAT_COMMANDS.create, { ...scope, input: input.value });
  }

  async list(access: RegistryAccess, propId: string) {
    return this.ask(SEAT_COMMANDS.list, await this.scope(access, propId, 'read'));
  }

  async update(access: RegistryAccess, propId: string, seatId: string, body: unknown) {
    const scope = await this.scope(access, propId, 'admin');
    const input = checkSeatInput(body, true);
    if (!input.ok) throw new RegistryError('INVALID', 'the seat update is not valid', input.errors);
    return this.ask(SEAT_COMMANDS.update, { ...scope, seatId, input: input.value });
  }

  /** Refused (409) while the seat has an assigned or started incident. */
  async delete(access: RegistryAccess, propId: string, seatId: string): Promise<void> {
    const scope = await this.scope(access, propId, 'admin');
    await this.ask(SEAT_COMMANDS.delete, { ...scope, seatId, by: access.actor });
  }
}

function seatError(error: unknown): unknown {
  if (error instanceof CommandUnavailableError) {
    return new DomainError('UNAVAILABLE', 'incident-service did not answer; try again', [], 5, {
      cause: error,
    });
  }
  if (!(error instanceof CommandFailedError)) return error;
  switch (error.code) {
    case 'NOT_FOUND':
      return new RegistryError('NOT_FOUND', error.message);
    case 'LIMIT_VIOLATED':
      return new RegistryError('LIMIT_VIOLATED', error.message);
    case 'CONFLICT':
      return new RegistryError('CONFLICT', error.message);
    default:
      return error;
  }
}
