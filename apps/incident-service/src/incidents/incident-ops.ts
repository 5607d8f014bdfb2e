import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { optionalText, text } from '../ops/args';
import { building, notFound, zoneOf } from '../ops/op-table';
import { incidentId } from './incident-args';
import { matrixIncident } from './incident-row';
import type { IncidentAddress, TransitionResult } from './incidents.repository';

/* The incident address a body names and the answer of a transition, shared by the incident op groups. */

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

/** `zoneId` (an open incident's address): optional where the documented body may leave it out. */
export function addressOf(command: ActionCommandV1, idKey: string, zoneRequired: boolean): IncidentAddress {
  const { pid } = building(command);
  const taskId = incidentId(command.args, idKey);
  const zoneId = zoneRequired ? text(command.args, 'zoneId') : optionalText(command.args, 'zoneId');
  if (zoneId !== undefined) zoneOf(command, zoneId);
  return { pid, taskId, ...(zoneId !== undefined ? { zoneId } : {}) };
}
