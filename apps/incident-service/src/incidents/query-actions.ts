import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { positionOf, type IncidentPosition } from './incident-position';
import { matrixIncident } from './incident-row';
import { IncidentsRepository } from './incidents.repository';
import { epochSeconds, object, optionalEpochSeconds, optionalFlag, optionalText, text } from '../ops/args';
import { incidentId } from './incident-args';
import { addressOf, incidentLabel } from './incident-ops';
import { building, notFound, zoneOf, type OpGroup, type OpTable } from '../ops/op-table';

/** Most incidents one time-range query answers (the paginated op is for more). */
export const MAX_RANGE_INCIDENTS = 1000;

/** Incidents per page of `scteams.getPaginatedListOfUnAssignedIncidents`. */
export const PAGE_SIZE = 100;

/**
 * `LastEvaluatedKey` in the documented form (reference §4.4, `getPaginatedListOfUnAssignedIncidents`): base64 of
 * the DynamoDB key of the last incident of the page, `{"Start":{"n":<start-by>},"ID":{"s":<building>},
 * "ATTR":{"s":"attr#<building>#<zone>#<incident id>"}}`. Callers treat it as opaque; clients that stored
 * a key from Matrix can send it as it is.
 */
export const encodePageKey = (row: {
  pid: string;
  zone_id: string;
  start_by: number | string;
  task_id: string;
}) =>
  Buffer.from(
    JSON.stringify(
      {
        Start: { n: String(row.start_by) },
        ID: { s: row.pid },
        ATTR: { s: `attr#${row.pid}#${row.zone_id}#${row.task_id}` },
      },
      null,
      2,
    ),
    'utf8',
  ).toString('base64');

/**
 * The position a `LastEvaluatedKey` names: its `Start` and the incident id that ends its `ATTR` (the key's
 * building is not checked: it is a position, not an address). Keys of the earlier form `{s, t}` (base64url)
 * are still read, so a client paging across an upgrade is not refused.
 */
function decodePageKey(key: string): IncidentPosition {
  try {
    // Node's base64 decoder reads both alphabets (standard and url-safe).
    const decoded = JSON.parse(Buffer.from(key, 'base64').toString('utf8')) as Record<string, unknown>;
    const start = (decoded['Start'] as { n?: unknown } | undefined)?.n;
    const attr = (decoded['ATTR'] as { s?: unknown } | undefined)?.s;
    const position =
      start !== undefined || attr !== undefined
        ? positionOf({
            s: typeof start === 'string' && /^[0-9]{1,15}$/.test(start) ? Number(start) : NaN,
            t: typeof attr === 'string' ? attr.split('#').at(-1) : undefined,
          })
        : positionOf(decoded);
    if (position) return position;
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
      ...(rows.length > PAGE_SIZE && last ? { extra: { LastEvaluatedKey: encodePageKey(last) } } : {}),
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
