import { Inject, Injectable } from '@nestjs/common';
import {
  actionCommandV1,
  WORKFORCE_ACTIONS_SUBJECT,
  type ActionBuildingV1,
  type ActionCommandReplyV1,
  type ActionCommandV1,
  type ActionPropertyV1,
  type ActionZoneV1,
} from '@matrix/contracts';
import { CommandBus, CommandFailedError, CommandUnavailableError } from '@matrix/messaging';
import { FORWARDED_TARGETS, type ForwardedTargetResolver } from '../actions/forwarded-targets';
import { NO_PID } from '../actions/action.types';
import { AuthError } from '../auth/auth-error';
import type { AccessLevel, RegistryAccess } from '../auth/registry-access';
import type { Principal } from '../credentials/principal';
import { DomainError } from '../domain-error';
import { notFound, RegistryError } from '../registry/registry-error';

/** Seconds a caller is asked to wait before retrying when incident-service did not answer. */
const RETRY_AFTER_SECONDS = 5;
const TIMEOUT_MS = 5_000;
const WORKFORCE = actionCommandV1(WORKFORCE_ACTIONS_SUBJECT, TIMEOUT_MS);

/** The caller of one REST request: its access (tenancy, roles) and its credential (as incident-service is told it). */
export interface WorkforceCaller {
  access: RegistryAccess;
  principal: Principal;
}

/** Where an op runs: a building (with the zones the request names) or, without one, a property. */
export type WorkforceTarget =
  { building: ActionBuildingV1; zones: Record<string, ActionZoneV1> } | { property: ActionPropertyV1 };

/**
 * REST v1's way to the workforce ops of incident-service: checks the caller may touch the building or
 * property (another tenant's is NOT_FOUND, a weak role FORBIDDEN) and sends the documented `scteams.*` op
 * as the same workforce actions command (`workforce.action.call.v1`) the Matrix actions API forwards — so
 * the shift, task and availability rules live in one place. Its refusals come back as REST problems.
 */
@Injectable()
export class WorkforceClient {
  constructor(
    private readonly commands: CommandBus,
    @Inject(FORWARDED_TARGETS) private readonly targets: ForwardedTargetResolver,
  ) {}

  /** The building `pid` (and the zones named, each of it: NOT_FOUND otherwise), if the caller may `need` it. */
  async building(
    caller: WorkforceCaller,
    pid: string,
    need: AccessLevel,
    zoneIds: readonly string[] = [],
  ): Promise<WorkforceTarget> {
    const { access } = caller;
    const resolved = await this.targets.resolve(access, access.orgId, pid, zoneIds);
    access.check(need, { orgId: resolved.building.org, propId: resolved.building.propId }, () =>
      notFound('building', pid),
    );
    return resolved;
  }

  /** The property `propId`, if the caller may `need` it. */
  async property(caller: WorkforceCaller, propId: string, need: AccessLevel): Promise<WorkforceTarget> {
    const { access } = caller;
    const property = await this.targets.property(access, propId);
    access.check(need, { orgId: property.org, propId: property.propId }, () => notFound('property', propId));
    return { property };
  }

  /** Sends one `scteams.*` op, as the actions API would; its whole answer (`data`, `extra`). */
  async call(
    caller: WorkforceCaller,
    target: WorkforceTarget,
    op: string,
    args: Record<string, unknown>,
  ): Promise<ActionCommandReplyV1> {
    const { principal } = caller;
    const where =
      'building' in target
        ? {
            org: target.building.org,
            pid: target.building.pid,
            propid: target.building.propId,
            building: target.building,
            zones: target.zones,
          }
        : {
            org: target.property.org,
            pid: NO_PID,
            propid: target.property.propId,
            property: target.property,
          };
    const command: ActionCommandV1 = {
      module: 'scworkforcemanagement',
      op,
      ...where,
      args,
      caller: {
        accessKey: principal.accessKey,
        org: principal.orgId,
        property: principal.propId,
        role: principal.role,
      },
    };
    try {
      return await this.commands.request(WORKFORCE, command);
    } catch (error) {
      throw workforceError(error);
    }
  }

  /** {@link call}'s `data`. */
  async op(
    caller: WorkforceCaller,
    target: WorkforceTarget,
    op: string,
    args: Record<string, unknown>,
  ): Promise<unknown> {
    return (await this.call(caller, target, op, args)).data;
  }

  /** The shift `shiftId` (documented shape) of the building, or NOT_FOUND — also for an id that is no UUID. */
  async shift(
    caller: WorkforceCaller,
    target: WorkforceTarget,
    shiftId: string,
  ): Promise<Record<string, unknown>> {
    if (!UUID.test(shiftId)) throw notFound('shift', shiftId);
    return (await this.op(caller, target, 'scteams.getShiftDetailsByID', {
      Shift: { ShiftId: shiftId },
    })) as Record<string, unknown>;
  }
}

/** A shift id: a UUID (anything else names no shift). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** incident-service's refusals (Matrix codes) as REST problems; its silence as 503 with Retry-After. */
export function workforceError(error: unknown): unknown {
  if (error instanceof CommandUnavailableError) {
    return new DomainError(
      'UNAVAILABLE',
      'incident-service did not answer; try again',
      [],
      RETRY_AFTER_SECONDS,
      {
        cause: error,
      },
    );
  }
  if (!(error instanceof CommandFailedError)) return error;
  switch (error.code) {
    case 'NOT_FOUND':
      return new RegistryError('NOT_FOUND', error.message);
    case 'INVALID_TRANSITION':
      return new DomainError('INVALID_TRANSITION', error.message);
    case 'CONFLICT':
    case 'ALREADY_EXISTS':
      return new DomainError('CONFLICT', error.message);
    case 'LIMIT_VIOLATED':
      return new RegistryError('LIMIT_VIOLATED', error.message);
    case 'WRONG_PARAMETERS':
    case 'MISSING_PARAMETERS':
      return new RegistryError('INVALID', error.message, [error.message]);
    case 'IMPLICIT_DENY':
      return new AuthError('FORBIDDEN', error.message);
    default:
      return error;
  }
}
