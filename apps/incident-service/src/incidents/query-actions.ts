import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { matrixIncident } from './incident-row';
import { IncidentsRepository } from './incidents.repository';
import {
  epochSeconds,
  incidentId,
  object,
  optionalEpochSeconds,
  optionalFlag,
  optionalText,
  text,
} from './workforce-args';
import {
  addressOf,
  building,
  incidentLabel,
  notFound,
  zoneOf,
  type OpGroup,
  type OpTable,
} from './workforce-ops';

/** Most incidents one time-range query answers (the paginated op is for more). */
export const MAX_RANGE_INCIDENTS = 1000;

/** Incidents per page of `scteams.getPaginatedListOfUnAssignedIncidents`. */
export const PAGE_SIZE = 100;

/** `LastEvaluatedKey`: opaque to callers (base64url of the last incident's start-by time and id). */
export const encodePageKey = (startBy: number, taskId: string) =>
  Buffer.from(JSON.stringify({ s: startBy, t: taskId }), 'utf8').toString('base64url');

function decodePageKey(key: string): { startBy: number; taskId: string } {
  try {
    const { s, t } = JSON.parse(Buffer.from(key, 'base64url').toString('utf8')) as { s: unknown; t: unknown };
    if (Number.isSafeInteger(s) && typeof t === 'string' && /^[0-9]{13,19}$/.test(t)) {
      return { startBy: s as number, taskId: t };
    }
  } catch {
    // refused below
  }
  throw new CommandError('WRONG_PARAMETERS', 'LastEvaluatedKey: is not a key this API returned');
}

/** `StartTime`/`EndTime` of the range ops. */
function range(command: ActionCommandV1): [number, number] {
  const from = epochSeconds(command.args, 'StartTime');
  const to = epochSeconds(command.args, 'EndTime');
  if (to < from) throw new CommandError('WRONG_PARAMETERS', 'EndTime: must not be before StartTime');
  return [from, to];
}

/** The read ops over incidents: one by id, a building's, zone's or property's open incidents in a time range, an incident's tasks. */
@Injectable()
export class QueryActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.getUnassignedIncidentByID': (c) => this.getById(c),
    'scteams.getUnAssignedIncidentsInTRangeForGivenID': (c) => this.openInRange(c),
    'scteams.getUnassignedIncidentsForZone': (c) => this.openInZone(c),
    'scteams.getUnassignedIncidentByZoneId': (c) => this.openOfZone(c),
    'scteams.getPaginatedListOfUnAssignedIncidents': (c) => this.openPage(c),
    'scteams.getUnassignedIncidentsForProperty': (c) => this.openInProperty(c),
    'scteams.getTasksForUnassignedIncident': (c) => this.tasksOf(c),
  };

  constructor(private readonly incidents: IncidentsRepository) {}

  private async getById(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const incident = object(command.args, 'Incident');
    const taskId = incidentId(incident, 'TaskId', 'Incident.TaskId');
    const zoneId = text(incident, 'Zone', 'Incident.Zone');
    zoneOf(command, zoneId);
    const row = await this.incidents.find({ pid, taskId, zoneId });
    if (!row) throw notFound(incidentLabel({ pid, taskId, zoneId }));
    return { data: matrixIncident(row) };
  }

  private async openInRange(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const [from, to] = range(command);
    const rows = await this.incidents.openInRange({ pid }, from, to, MAX_RANGE_INCIDENTS);
    return { data: rows.map(matrixIncident) };
  }

  private async openInZone(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const [from, to] = range(command);
    const zoneId = text(command.args, 'zoneId');
    zoneOf(command, zoneId);
    const rows = await this.incidents.openInRange({ pid }, from, to, MAX_RANGE_INCIDENTS, { zoneId });
    return { data: rows.map(matrixIncident) };
  }

  /**
   * `scteams.getUnassignedIncidentByZoneId` (its body is not documented; decided `{zoneId, StartTime?,
   * EndTime?}`): the zone's open incidents, newest start-by first, those starting in the range when given.
   */
  private async openOfZone(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const zoneId = text(command.args, 'zoneId');
    zoneOf(command, zoneId);
    const from = optionalEpochSeconds(command.args, 'StartTime');
    const to = optionalEpochSeconds(command.args, 'EndTime');
    if (from !== undefined && to !== undefined && to < from) {
      throw new CommandError('WRONG_PARAMETERS', 'EndTime: must not be before StartTime');
    }
    const rows = await this.incidents.openInZoneNewestFirst(pid, zoneId, from, to, MAX_RANGE_INCIDENTS);
    return { data: rows.map(matrixIncident) };
  }

  /** One page of a building's open incidents in a range; `LastEvaluatedKey` (opaque) names the next one. */
  private async openPage(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    return this.page(command, { pid });
  }

  private async page(
    command: ActionCommandV1,
    scope: { pid: string } | { propId: string },
  ): Promise<ActionCommandReplyV1> {
    const [from, to] = range(command);
    const key = optionalText(command.args, 'LastEvaluatedKey');
    const after = key ? decodePageKey(key) : undefined;
    const rows = await this.incidents.openInRange(scope, from, to, PAGE_SIZE + 1, { after });
    const page = rows.slice(0, PAGE_SIZE);
    const last = page.at(-1);
    return {
      data: page.map(matrixIncident),
      ...(rows.length > PAGE_SIZE && last
        ? { extra: { LastEvaluatedKey: encodePageKey(Number(last.start_by), last.task_id) } }
        : {}),
    };
  }

  /**
   * `scteams.getUnassignedIncidentsForProperty`: the property of the building (`pid`) or, with
   * `pid=scnoop`, the one the gateway resolved; `GetPaginated` pages as the paginated op does.
   */
  private async openInProperty(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const propId = command.building?.propId ?? command.property?.propId;
    if (!propId) throw new CommandError('MISSING_PARAMETERS', `${command.op} needs propid`);
    if (optionalFlag(command.args, 'GetPaginated')) return this.page(command, { propId });
    const [from, to] = range(command);
    const rows = await this.incidents.openInRange({ propId }, from, to, MAX_RANGE_INCIDENTS);
    return { data: rows.map(matrixIncident) };
  }

  private async tasksOf(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const address = addressOf(command, 'IncidentId', true);
    const row = await this.incidents.find(address);
    if (!row) throw notFound(incidentLabel(address));
    return { data: matrixIncident(row)['Tasks'] };
  }
}
