import { Injectable } from '@nestjs/common';
import {
  INCIDENT_COMMANDS,
  type IncidentGetRequestV1,
  type IncidentListReplyV1,
  type IncidentListRequestV1,
} from '@matrix/contracts';
import { CommandError, HandleCommand } from '@matrix/messaging';
import { decodePosition, encodePosition, type IncidentPosition } from './incident-position';
import { matrixIncident } from './incident-row';
import { IncidentsRepository } from './incidents.repository';

function decodeCursor(cursor: string): IncidentPosition {
  const position = decodePosition(cursor);
  if (!position) throw new CommandError('WRONG_PARAMETERS', 'cursor: is not a cursor this API returned');
  return position;
}

/**
 * The incident reads of REST v1 (`workforce.incident.list.v1`, `workforce.incident.get.v1`) that no
 * documented op covers; changes go through the workforce actions command like the actions API's.
 */
@Injectable()
export class IncidentCommands {
  constructor(private readonly incidents: IncidentsRepository) {}

  @HandleCommand(INCIDENT_COMMANDS.list)
  async list(request: IncidentListRequestV1): Promise<IncidentListReplyV1> {
    const rows = await this.incidents.list({
      pid: request.pid,
      ...(request.zoneId !== undefined ? { zoneId: request.zoneId } : {}),
      ...(request.statuses !== undefined ? { statuses: request.statuses } : {}),
      ...(request.from !== undefined ? { from: request.from } : {}),
      ...(request.to !== undefined ? { to: request.to } : {}),
      ...(request.cursor !== undefined ? { before: decodeCursor(request.cursor) } : {}),
      limit: request.limit + 1,
    });
    const page = rows.slice(0, request.limit);
    const last = page.at(-1);
    return {
      items: page.map(matrixIncident),
      ...(rows.length > request.limit && last
        ? { nextCursor: encodePosition({ startBy: Number(last.start_by), taskId: last.task_id }) }
        : {}),
    };
  }

  @HandleCommand(INCIDENT_COMMANDS.get)
  async get(request: IncidentGetRequestV1): Promise<{ incident: Record<string, unknown> }> {
    const row = /^[0-9]{13,19}$/.test(request.taskId)
      ? await this.incidents.find({ pid: request.pid, taskId: request.taskId })
      : undefined;
    if (!row) throw new CommandError('NOT_FOUND', `incident ${request.taskId} not found`);
    return { incident: matrixIncident(row) };
  }
}
