import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { matrixIncident } from '../incidents/incident-row';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { missing, optionalEpochSeconds, optionalText, text, wrong } from '../ops/args';
import { building, notFound, seconds, zoneOf, type OpGroup, type OpTable } from '../ops/op-table';
import { activeSeat } from '../seats/active-seat';
import { SeatsRepository } from '../seats/seats.repository';
import { lastNLimit, taskgroupAddress, timeRange, typeFilter, type TypeFilter } from './task-args';
import { matrixTaskGroup } from './task-group-row';
import { TASK_GROUP_STATUSES, type TaskGroupStatus } from './task-lifecycle';
import { incidentEntry, merged, taskGroupEntry, taskLabel, type ListEntry } from './task-ops';
import { decodeTaskPageKey, encodeTaskPageKey } from './task-page-key';
import { isShiftId, TasksRepository, type CompletedScope, type TaskFilter } from './tasks.repository';

/** Most entries one list op answers (the paginated ops are for more). */
export const MAX_TASK_LIST = 1000;

/** Entries per page of the paginated ops. */
export const TASK_PAGE_SIZE = 100;

const TASKS_FOR = ['ID', 'PROP', 'ZONE', 'SEAT'] as const;

/**
 * The reads of task groups — and, where a `Type` of INCIDENT or none asks for them, of the incidents
 * assigned to the seat or shift they name — in the documented task-group shape (incidents in theirs,
 * `Type: "INCIDENT"`), in `(Start, TaskId)` order.
 */
@Injectable()
export class TaskQueryActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.getTaskDetailsById': (c, now) => this.details(c, now),
    'scteams.getTasksForShiftById': (c, now) => this.ofShift(c, now),
    'scteams.getLastNTasks': (c, now) => this.lastN(c, now),
    'scteams.tasksInTRangeByZoneId': (c, now) => this.inZone(c, now),
    'scteams.getTaskGroupInTRangeForID': (c, now) => this.inBuilding(c, now),
    'scteams.getTaskGroupInTRangeForSeatID': (c, now) => this.ofSeat(c, now),
    'scteams.getTasksForIDPaginated': (c, now) => this.buildingPage(c, now),
    'scteams.getTasksForPropertyByStatus': (c, now) => this.propertyByStatus(c, now),
  };

  constructor(
    private readonly tasks: TasksRepository,
    private readonly incidents: IncidentsRepository,
    private readonly seats: SeatsRepository,
  ) {}

  /** `Taskgroup{SeatId, ShiftId, TaskId}`: the task group, or the incident assigned to that seat and shift. */
  private async details(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const { seatId, shiftId, taskId } = taskgroupAddress(command);
    const row = await this.tasks.find({ pid, shiftId, taskId, seatId });
    if (row) return { data: matrixTaskGroup(row, seconds(now)) };
    const incident = await this.incidents.find({ pid, taskId, seatId, shiftId });
    if (!incident) throw notFound(taskLabel({ taskId, shiftId }));
    return { data: matrixIncident(incident) };
  }

  /** `{ShiftID}`: the shift's task groups and assigned incidents; a seat id (seat-direct) names that seat's incidents. */
  private async ofShift(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const { pid, propId } = building(command);
    const shiftId = text(command.args, 'ShiftID');
    const known = isShiftId(shiftId)
      ? await this.tasks.findShift(pid, shiftId)
      : await this.seats.findActive(propId, shiftId);
    if (!known) throw notFound(`shift ${shiftId}`);
    return { data: await this.list({ pid, shiftId }, typeFilter({}), now) };
  }

  /** `{StartTime, EndTime, SeatId?, zoneId}`: the zone's task groups and assigned incidents starting in the range (one seat's when given). */
  private async inZone(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const [from, to] = timeRange(command.args);
    const zoneId = text(command.args, 'zoneId');
    zoneOf(command, zoneId);
    const seatId =
      optionalText(command.args, 'SeatId') !== undefined ? await activeSeat(this.seats, command) : undefined;
    const filter: TaskFilter = { pid, zoneId, from, to, ...(seatId !== undefined ? { seatId } : {}) };
    return { data: await this.list(filter, typeFilter(command.args), now) };
  }

  /** `{Type?, StartTime, EndTime}`: the building's. */
  private async inBuilding(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const [from, to] = timeRange(command.args);
    return { data: await this.list({ pid, from, to }, typeFilter(command.args), now) };
  }

  /** `{SeatId, Type?, StartTime, EndTime}`: one seat's. */
  private async ofSeat(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const [from, to] = timeRange(command.args);
    const types = typeFilter(command.args);
    const seatId = await activeSeat(this.seats, command);
    return { data: await this.list({ pid, seatId, from, to }, types, now) };
  }

  /** Task groups and incidents of `filter` as one list, at most {@link MAX_TASK_LIST}. */
  private async list(
    filter: TaskFilter,
    types: TypeFilter,
    now: Date,
    limit = MAX_TASK_LIST,
  ): Promise<unknown[]> {
    return (await this.entries(filter, types, now, limit)).map((entry) => entry.answer);
  }

  private async entries(
    filter: TaskFilter,
    types: TypeFilter,
    now: Date,
    limit: number,
  ): Promise<ListEntry[]> {
    const at = seconds(now);
    const [groups, incidents] = await Promise.all([
      types.taskGroups.length > 0 ? this.tasks.taskGroups({ ...filter, types: types.taskGroups }, limit) : [],
      types.incidents ? this.tasks.assignedIncidents(filter, limit) : [],
    ]);
    return merged(
      groups.map((row) => taskGroupEntry(row, at)),
      incidents.map(incidentEntry),
      limit,
    );
  }

  /**
   * `{StartTime?, EndTime?, Limit?, TasksFor, SeatId?, zoneId?}`: the last |Limit| (1 by default, at most
   * 100) COMPLETED task groups of the building (`ID`), its property (`PROP`), a zone (`ZONE`, `zoneId`) or
   * a seat (`SEAT`, `SeatId`) whose `AEnd` is in the range, newest `AEnd` first. `{TasksFor: "ZONE",
   * Limit: 1}` answers the zone's last clean time (the first entry's `AEnd`).
   */
  private async lastN(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const { pid, propId } = building(command);
    const from = optionalEpochSeconds(command.args, 'StartTime');
    const to = optionalEpochSeconds(command.args, 'EndTime');
    if (from !== undefined && to !== undefined && to < from) {
      throw wrong('EndTime', 'must not be before StartTime');
    }
    const limit = lastNLimit(command.args);
    const tasksFor = optionalText(command.args, 'TasksFor') ?? 'ID';
    if (!(TASKS_FOR as readonly string[]).includes(tasksFor)) {
      throw wrong('TasksFor', `must be one of ${TASKS_FOR.join(', ')}`);
    }
    let scope: CompletedScope;
    switch (tasksFor as (typeof TASKS_FOR)[number]) {
      case 'ID':
        scope = { kind: 'ID', pid };
        break;
      case 'PROP':
        scope = { kind: 'PROP', propId };
        break;
      case 'ZONE': {
        const zoneId = text(command.args, 'zoneId');
        zoneOf(command, zoneId);
        scope = { kind: 'ZONE', pid, zoneId };
        break;
      }
      case 'SEAT':
        scope = { kind: 'SEAT', pid, seatId: await activeSeat(this.seats, command) };
        break;
    }
    const rows = await this.tasks.lastCompleted(scope, from, to, limit);
    return { data: rows.map((row) => matrixTaskGroup(row, seconds(now))) };
  }

  /** `{StartTime, EndTime, Type?, LastEvaluatedKey?}`: the building's, 100 a page. */
  private async buildingPage(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const [from, to] = timeRange(command.args);
    const types = typeFilter(command.args);
    const key = optionalText(command.args, 'LastEvaluatedKey');
    const after = key ? decodeTaskPageKey(key).after : undefined;
    const entries = await this.entries(
      { pid, from, to, ...(after ? { after } : {}) },
      types,
      now,
      TASK_PAGE_SIZE + 1,
    );
    return paged(entries);
  }

  /**
   * `{Status, LastEvaluatedKey?}`: the property's task groups of that status, 100 a page; `Status` may be
   * left out when the key (which carries it) is given.
   */
  private async propertyByStatus(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const { propId } = building(command);
    const key = optionalText(command.args, 'LastEvaluatedKey');
    const decoded = key ? decodeTaskPageKey(key) : undefined;
    const status = optionalText(command.args, 'Status') ?? decoded?.status;
    if (status === undefined) throw missing('Status');
    if (!(TASK_GROUP_STATUSES as readonly string[]).includes(status)) {
      throw wrong('Status', `must be one of ${TASK_GROUP_STATUSES.join(', ')}`);
    }
    const rows = await this.tasks.taskGroups(
      { propId, status: status as TaskGroupStatus, ...(decoded ? { after: decoded.after } : {}) },
      TASK_PAGE_SIZE + 1,
    );
    return paged(
      rows.map((row) => taskGroupEntry(row, seconds(now))),
      status,
    );
  }
}

/** A page of at most {@link TASK_PAGE_SIZE} entries; `LastEvaluatedKey` (top level) when there are more. */
function paged(entries: readonly ListEntry[], status?: string): ActionCommandReplyV1 {
  const page = entries.slice(0, TASK_PAGE_SIZE);
  const last = page.at(-1);
  return {
    data: page.map((entry) => entry.answer),
    ...(entries.length > TASK_PAGE_SIZE && last
      ? { extra: { LastEvaluatedKey: encodeTaskPageKey(last, status) } }
      : {}),
  };
}
