import type { ActionBuildingV1, ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { matrixIncident } from './incident-row';
import type { IncidentAddress, TransitionResult } from './incidents.repository';
import type { SeatsRepository } from './seats.repository';
import { incidentId, optionalText, text } from './workforce-args';

/*
 * What every group of `scteams.*` ops shares: the handler type of an op table, the building and access
 * checks, and the incident address a body names. Pure functions over the command the gateway forwards.
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

export const incidentLabel = (address: IncidentAddress) =>
  `incident ${address.taskId}${address.zoneId ? ` in zone ${address.zoneId}` : ''}`;

export function transitioned(result: TransitionResult, address: IncidentAddress): ActionCommandReplyV1 {
  switch (result.kind) {
    case 'not-found':
      throw notFound(incidentLabel(address));
    case 'refused':
      throw new CommandError('INVALID_TRANSITION', `${incidentLabel(address)}: ${result.rule}`);
    case 'done':
      return { data: matrixIncident(result.incident) };
  }
}

/** A zone the gateway resolved for this command (tenancy checked); NOT_FOUND otherwise. */
export function zoneOf(command: ActionCommandV1, zoneId: string) {
  const zone = command.zones?.[zoneId];
  if (!zone) throw notFound(`zone ${zoneId}`);
  return zone;
}

/** `zoneId` (an open incident's address): optional where the documented body may leave it out. */
export function addressOf(command: ActionCommandV1, idKey: string, zoneRequired: boolean): IncidentAddress {
  const { pid } = building(command);
  const taskId = incidentId(command.args, idKey);
  const zoneId = zoneRequired ? text(command.args, 'zoneId') : optionalText(command.args, 'zoneId');
  if (zoneId !== undefined) zoneOf(command, zoneId);
  return { pid, taskId, ...(zoneId !== undefined ? { zoneId } : {}) };
}

/** The seat a body names (`SeatId`), active and of the building's property. */
export async function activeSeat(
  seats: SeatsRepository,
  command: ActionCommandV1,
  args = command.args,
  path = 'SeatId',
  key = 'SeatId',
): Promise<string> {
  const seatId = text(args, key, path);
  const seat = await seats.findActive(building(command).propId, seatId);
  if (!seat) throw notFound(`seat ${seatId}`);
  return seatId;
}
