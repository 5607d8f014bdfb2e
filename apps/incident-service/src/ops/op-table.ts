import type { ActionBuildingV1, ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';

/*
 * What every group of `scteams.*` ops shares (incidents, and the shift, task and availability groups to
 * come): the handler type of an op table, the building and access checks and the zones the gateway
 * resolved. Pure functions over the command the gateway forwards.
 */

export type Handler = (command: ActionCommandV1, now: Date) => Promise<ActionCommandReplyV1>;

/** A group of ops: op name → handler. The dispatcher (`WorkforceActions`) composes them. */
export type OpTable = Readonly<Record<string, Handler>>;

export interface OpGroup {
  readonly ops: OpTable;
}

type Need = 'read' | 'write' | 'admin';

export const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export const notFound = (what: string) => new CommandError('NOT_FOUND', `${what} not found`);

export function building(command: ActionCommandV1): ActionBuildingV1 {
  if (!command.building) {
    throw new CommandError('MISSING_PARAMETERS', `${command.op} needs the building id in pid`);
  }
  return command.building;
}

const RANK: Record<Need, number> = { read: 0, write: 1, admin: 2 };

export function allow(command: ActionCommandV1, need: Need): void {
  if (RANK[command.caller.role] < RANK[need]) {
    throw new CommandError('IMPLICIT_DENY', `${command.op} needs a credential with ${need} access`);
  }
}

/** A zone the gateway resolved for this command (tenancy checked); NOT_FOUND otherwise. */
export function zoneOf(command: ActionCommandV1, zoneId: string) {
  const zone = command.zones?.[zoneId];
  if (!zone) throw notFound(`zone ${zoneId}`);
  return zone;
}
