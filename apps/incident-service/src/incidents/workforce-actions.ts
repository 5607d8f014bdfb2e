import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  actionCommandV1,
  stableStringify,
  WORKFORCE_ACTIONS_SUBJECT,
  type ActionBuildingV1,
  type ActionCommandReplyV1,
  type ActionCommandV1,
} from '@matrix/contracts';
import { CommandError, HandleCommand } from '@matrix/messaging';
import { escalationLevelName } from './incident-lifecycle';
import { matrixIncident } from './incident-row';
import { WORKFORCE_MODULE } from './incident-events';
import {
  IncidentsRepository,
  type CommentRow,
  type IncidentAddress,
  type TransitionChanges,
  type TransitionResult,
} from './incidents.repository';
import {
  IncidentSettings,
  SYSTEM_INCIDENT_SETTINGS,
  TIMEOUT_SETTING,
  type EffectiveSetting,
} from './incident-settings';
import { SeatsRepository } from './seats.repository';
import {
  epochSeconds,
  field,
  incidentId,
  object,
  optionalEpochSeconds,
  optionalFlag,
  optionalText,
  priority,
  tasks,
  text,
} from './workforce-args';

/** Most incidents one time-range query answers (the paginated op is for more). */
export const MAX_RANGE_INCIDENTS = 1000;

/** `EscalationType` (§7.4: `unassigned`, `startTime`, due time). */
export const ESCALATION_TYPES = ['unassigned', 'startTime', 'dueTime'];

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

type Handler = (command: ActionCommandV1, now: Date) => Promise<ActionCommandReplyV1>;
type Need = 'read' | 'write' | 'admin';

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

const notFound = (what: string) => new CommandError('NOT_FOUND', `${what} not found`);

function building(command: ActionCommandV1): ActionBuildingV1 {
  if (!command.building) {
    throw new CommandError('MISSING_PARAMETERS', `${command.op} needs the building id in pid`);
  }
  return command.building;
}

const RANK: Record<Need, number> = { read: 0, write: 1, admin: 2 };

function allow(command: ActionCommandV1, need: Need): void {
  if (RANK[command.caller.role] < RANK[need]) {
    throw new CommandError('IMPLICIT_DENY', `${command.op} needs a credential with ${need} access`);
  }
}

const incidentLabel = (address: IncidentAddress) =>
  `incident ${address.taskId}${address.zoneId ? ` in zone ${address.zoneId}` : ''}`;

function transitioned(result: TransitionResult, address: IncidentAddress): ActionCommandReplyV1 {
  switch (result.kind) {
    case 'not-found':
      throw notFound(incidentLabel(address));
    case 'refused':
      throw new CommandError('INVALID_TRANSITION', `${incidentLabel(address)}: ${result.rule}`);
    case 'done':
      return { data: matrixIncident(result.incident) };
  }
}

/** Settings in the documented shape: `{KEY: {Type, LongValue|BooleanValue, Unit?, Description, LastModifiedOn?}}`. */
function matrixSettings(settings: Record<string, EffectiveSetting>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(settings).map(([key, s]) => [
      key,
      {
        Type: s.type,
        [s.type === 'Long' ? 'LongValue' : 'BooleanValue']: s.value,
        ...(s.unit ? { Unit: s.unit } : {}),
        Description: s.description,
        ...(s.modifiedOn !== undefined ? { LastModifiedOn: s.modifiedOn } : {}),
      },
    ]),
  );
}

const matrixComment = (row: CommentRow) => ({
  CommentId: row.comment_id,
  IncidentId: row.task_id,
  Comment: row.comment,
  UserName: row.user_name,
  CreatedOn: seconds(row.created_on),
  ModifiedOn: seconds(row.modified_on),
});

/**
 * The workforce module of the Matrix actions API (`scworkforcemanagement`, ops `scteams.*`), served on
 * the command the gateway forwards (`workforce.action.call.v1`). The gateway has authenticated the
 * caller and resolved the building (`pid`) and the zones the body names, tenancy checked; this answers
 * NOT_FOUND for incidents, seats and comments that are not in that building. An op not served here is
 * answered exactly as the gateway answers an unknown op.
 */
@Injectable()
export class WorkforceActions {
  private readonly ops: Record<string, Handler> = {
    'scteams.createIncidentWithoutAssignee': (c, now) => this.createOpen(c, now),
    'scteams.createIncident': (c, now) => this.createAssigned(c, now),
    'scteams.escalateIncidentStatusForType': (c, now) => this.escalateAssigned(c, now),
    'scteams.getUnassignedIncidentByID': (c) => this.getById(c),
    'scteams.getUnAssignedIncidentsInTRangeForGivenID': (c) => this.openInRange(c),
    'scteams.getUnassignedIncidentsForZone': (c) => this.openInZone(c),
    'scteams.getPaginatedListOfUnAssignedIncidents': (c) => this.openPage(c),
    'scteams.getUnassignedIncidentsForProperty': (c) => this.openInProperty(c),
    'scteams.getTasksForUnassignedIncident': (c) => this.tasksOf(c),
    'scteams.assignIncident': (c, now) => this.assign(c, now),
    'scteams.startUnassignedIncident': (c, now) => this.start(c, now),
    'scteams.endUnassignedIncident': (c, now) => this.end(c, now),
    'scteams.escalateUnassignedIncident': (c, now) => this.escalate(c, now),
    'scteams.updateIncidentComment': (c, now) => this.updateComment(c, now),
    'scteams.listIncidentComments': (c) => this.listComments(c),
    'scteams.adminDeleteIncidentComment': (c) => this.deleteComment(c),
    'scteams.getIncidentTimeline': (c) => this.timeline(c),
    'scteams.adminDeleteIncident': (c) => this.deleteIncident(c),
    'scteams.adminReassignIncident': (c, now) => this.reassign(c, now),
    'scteams.updateUnassignedIncidentAttachments': (c, now) => this.setAttachments(c, now),
    'scteams.getIncidentsSettings': (c) => this.getSettings(c),
    'scteams.updateIncidentsSettings': (c) => this.updateSettings(c),
    'scteams.getSystemIncidentSettings': (c) => this.systemSettings(c),
    'scteams.adminUpdateIncidentZone': (c, now) => this.updateZone(c, now),
    'scteams.adminUpdateIncidentBulk': (c, now) => this.updateBulk(c, now),
  };

  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly seats: SeatsRepository,
    private readonly settings: IncidentSettings,
  ) {}

  /** The ops served here, by name. */
  get operations(): string[] {
    return Object.keys(this.ops).sort();
  }

  @HandleCommand(actionCommandV1(WORKFORCE_ACTIONS_SUBJECT))
  async call(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const handler = this.ops[command.op];
    if (!handler) {
      throw new CommandError(
        'UNKNOWN_OPERATION',
        `${command.op} is not an operation of module ${WORKFORCE_MODULE}; see GET /prod/v2/operations`,
      );
    }
    return handler(command, new Date());
  }

  private zone(command: ActionCommandV1, zoneId: string) {
    const zone = command.zones?.[zoneId];
    if (!zone) throw notFound(`zone ${zoneId}`);
    return zone;
  }

  /** `zoneId` (an open incident's address): optional where the documented body may leave it out. */
  private address(command: ActionCommandV1, idKey: string, zoneRequired: boolean): IncidentAddress {
    const { pid } = building(command);
    const taskId = incidentId(command.args, idKey);
    const zoneId = zoneRequired ? text(command.args, 'zoneId') : optionalText(command.args, 'zoneId');
    if (zoneId !== undefined) this.zone(command, zoneId);
    return { pid, taskId, ...(zoneId !== undefined ? { zoneId } : {}) };
  }

  private createOpen(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    return this.create(command, now, 'Incident');
  }

  /**
   * `scteams.createIncident`: an incident created assigned to a seat (`ShiftId == SeatId`; shifts come
   * later). Its documented body names neither `Name` nor `Priority`: the name defaults to the first
   * task's, the priority to `N`; its documented example has `End` before `Start`, accepted as given.
   */
  private createAssigned(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    return this.create(command, now, 'Taskgroup');
  }

  private async create(
    command: ActionCommandV1,
    now: Date,
    parent: 'Incident' | 'Taskgroup',
  ): Promise<ActionCommandReplyV1> {
    const b = building(command);
    allow(command, 'write');
    const assigned = parent === 'Taskgroup';
    const incident = object(command.args, parent);
    const at = (key: string) => `${parent}.${key}`;
    const zoneId = text(incident, 'Zone', at('Zone'));
    const taskList = tasks(incident, 'Tasks', at('Tasks'));
    const name = assigned
      ? (optionalText(incident, 'Name', at('Name')) ?? taskList[0]?.Name ?? 'Incident')
      : text(incident, 'Name', at('Name'));
    const prio =
      assigned && field(incident, 'Priority') === undefined
        ? 'N'
        : priority(incident, 'Priority', at('Priority'));
    const startBy = optionalEpochSeconds(incident, 'Start', at('Start')) ?? seconds(now);
    const due =
      optionalEpochSeconds(incident, 'End', at('End')) ??
      startBy + Number((await this.settings.of(b.pid))[TIMEOUT_SETTING[prio]]!.value);
    if (!assigned && due < startBy) {
      throw new CommandError('WRONG_PARAMETERS', `${at('End')}: must not be before ${at('Start')}`);
    }
    const bySource = optionalText(incident, 'By', at('By')) ?? null;
    const eventSource = optionalText(incident, 'EventSource', at('EventSource')) ?? null;
    const zoneCatId = optionalText(incident, 'ZoneCatId', at('ZoneCatId'));
    optionalText(incident, 'ZoneName', at('ZoneName'));
    const autoAssigned =
      !assigned &&
      (optionalFlag(incident, 'AutoAssigned', at('AutoAssigned')) ||
        optionalFlag(command.args, 'AutoAssigned'));
    const zone = this.zone(command, zoneId);
    let assignedTo: { seatId: string; shiftId: string } | undefined;
    if (assigned) {
      const propId = optionalText(incident, 'PropID', at('PropID'));
      if (propId !== undefined && propId !== b.propId) throw notFound(`property ${propId}`);
      const seatId = await this.seat(command, incident, at('SeatId'));
      const shiftId = text(incident, 'ShiftId', at('ShiftId'));
      if (shiftId !== seatId) throw notFound(`shift ${shiftId}`);
      assignedTo = { seatId, shiftId };
    }
    const requestKey = createHash('sha256')
      .update(stableStringify({ pid: b.pid, op: parent, args: command.args }))
      .digest('base64url');
    const { incident: row, created } = await this.incidents.create(
      {
        org: b.org,
        propId: b.propId,
        pid: b.pid,
        zoneId,
        zoneName: zone.name,
        zoneCategoryId: zone.categoryId ?? zoneCatId ?? null,
        name,
        priority: prio,
        startBy,
        due,
        bySource,
        eventSource,
        autoAssigned,
        tasks: taskList,
        ...(assignedTo ? { assignedTo } : {}),
        requestKey,
        createdBy: command.caller.accessKey,
      },
      now,
    );
    return {
      message: created ? 'Incident created' : 'Incident already created by an identical request',
      data: matrixIncident(row),
    };
  }

  private async getById(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const incident = object(command.args, 'Incident');
    const taskId = incidentId(incident, 'TaskId', 'Incident.TaskId');
    const zoneId = text(incident, 'Zone', 'Incident.Zone');
    this.zone(command, zoneId);
    const row = await this.incidents.find({ pid, taskId, zoneId });
    if (!row) throw notFound(incidentLabel({ pid, taskId, zoneId }));
    return { data: matrixIncident(row) };
  }

  private async openInRange(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const [from, to] = this.range(command);
    const rows = await this.incidents.openInRange({ pid }, from, to, MAX_RANGE_INCIDENTS);
    return { data: rows.map(matrixIncident) };
  }

  /** `StartTime`/`EndTime` of the range ops. */
  private range(command: ActionCommandV1): [number, number] {
    const from = epochSeconds(command.args, 'StartTime');
    const to = epochSeconds(command.args, 'EndTime');
    if (to < from) throw new CommandError('WRONG_PARAMETERS', 'EndTime: must not be before StartTime');
    return [from, to];
  }

  private async openInZone(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const [from, to] = this.range(command);
    const zoneId = text(command.args, 'zoneId');
    this.zone(command, zoneId);
    const rows = await this.incidents.openInRange({ pid }, from, to, MAX_RANGE_INCIDENTS, { zoneId });
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
    const [from, to] = this.range(command);
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
    const [from, to] = this.range(command);
    const rows = await this.incidents.openInRange({ propId }, from, to, MAX_RANGE_INCIDENTS);
    return { data: rows.map(matrixIncident) };
  }

  private async tasksOf(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const address = this.address(command, 'IncidentId', true);
    const row = await this.incidents.find(address);
    if (!row) throw notFound(incidentLabel(address));
    return { data: matrixIncident(row)['Tasks'] };
  }

  /** The seat a body names (`SeatId`), active and of the building's property. */
  private async seat(
    command: ActionCommandV1,
    args = command.args,
    path = 'SeatId',
    key = 'SeatId',
  ): Promise<string> {
    const seatId = text(args, key, path);
    const seat = await this.seats.findActive(building(command).propId, seatId);
    if (!seat) throw notFound(`seat ${seatId}`);
    return seatId;
  }

  private async assign(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const address = this.address(command, 'IncidentId', true);
    const seatId = await this.seat(command);
    const shiftId = text(command.args, 'ShiftID');
    // Shifts arrive with a later issue: today an incident is assigned to a seat directly (ShiftID == SeatId).
    if (shiftId !== seatId) throw notFound(`shift ${shiftId}`);
    return this.apply(command, address, 'assign', { seatId, shiftId }, now);
  }

  private async start(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const address = this.address(command, 'IncidentId', true);
    const seatId = await this.seat(command);
    return this.apply(command, address, 'start', { seatId, shiftId: seatId, aStart: seconds(now) }, now);
  }

  private async end(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const address = this.address(command, 'IncidentId', true);
    return this.apply(command, address, 'end', { aEnd: seconds(now) }, now);
  }

  private async escalate(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const address = this.address(command, 'IncidentId', true);
    return this.apply(command, address, 'escalate', {}, now);
  }

  /** `scteams.escalateIncidentStatusForType`: an assigned incident, addressed by `SeatId` + `ShiftID`. */
  private async escalateAssigned(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const address = this.address(command, 'IncidentId', false);
    const seatId = text(command.args, 'SeatId');
    const shiftId = text(command.args, 'ShiftID');
    const type = text(command.args, 'EscalationType');
    if (!ESCALATION_TYPES.includes(type)) {
      throw new CommandError(
        'WRONG_PARAMETERS',
        `EscalationType: must be one of ${ESCALATION_TYPES.join(', ')}`,
      );
    }
    return this.apply(command, { ...address, seatId, shiftId }, 'escalate', {}, now);
  }

  private async apply(
    command: ActionCommandV1,
    address: IncidentAddress,
    transition: 'assign' | 'start' | 'end' | 'escalate',
    changes: TransitionChanges,
    now: Date,
  ): Promise<ActionCommandReplyV1> {
    const result = await this.incidents.transition(
      address,
      transition,
      changes,
      command.caller.accessKey,
      now,
    );
    return transitioned(result, address);
  }

  /** The incident a comment op names: by `zoneId` (open) or `SeatId` (+ `ShiftID`, assigned), or by id alone. */
  private async commented(command: ActionCommandV1): Promise<string> {
    const address = this.address(command, 'IncidentId', false);
    const row = await this.incidents.find(address);
    const seatId = optionalText(command.args, 'SeatId');
    const shiftId = optionalText(command.args, 'ShiftID');
    if (
      !row ||
      (seatId !== undefined && row.seat_id !== seatId) ||
      (shiftId !== undefined && row.shift_id !== shiftId)
    ) {
      throw notFound(incidentLabel(address));
    }
    return row.task_id;
  }

  private async updateComment(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const comment = object(command.args, 'IncidentComment');
    const commentId = optionalText(comment, 'CommentId', 'IncidentComment.CommentId');
    if (commentId !== undefined && !/^[0-9a-f-]{36}$/i.test(commentId)) {
      throw new CommandError('WRONG_PARAMETERS', 'IncidentComment.CommentId: must be a comment id');
    }
    const body = text(comment, 'Comment', 'IncidentComment.Comment');
    const userName = text(comment, 'UserName', 'IncidentComment.UserName');
    const taskId = await this.commented(command);
    const row = await this.incidents.upsertComment(
      taskId,
      commentId,
      { text: body, userName, by: command.caller.accessKey },
      now,
    );
    if (!row) throw notFound(`comment ${commentId}`);
    return { message: commentId ? 'Comment updated' : 'Comment added', data: matrixComment(row) };
  }

  private async listComments(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const taskId = await this.commented(command);
    return { data: (await this.incidents.comments(taskId)).map(matrixComment) };
  }

  private async deleteComment(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    allow(command, 'admin');
    const comment = object(command.args, 'IncidentComment');
    const commentId = text(comment, 'CommentId', 'IncidentComment.CommentId');
    const taskId = await this.commented(command);
    if (!/^[0-9a-f-]{36}$/i.test(commentId) || !(await this.incidents.deleteComment(taskId, commentId))) {
      throw notFound(`comment ${commentId}`);
    }
    return { message: 'Comment deleted', data: { IncidentId: taskId, CommentId: commentId } };
  }

  /**
   * `scteams.adminReassignIncident`: the incident at `SeatId` + `ShiftID` gets new `StartTime`/`EndTime`
   * and goes to `NewSeatId` (`NewShiftId` == `NewSeatId`; `INCIDENT_CREATED`) or, without one, back to
   * open (`INCIDENT_CREATED_OPEN`); its actual times and escalation level start again.
   */
  private async reassign(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'admin');
    const address = this.address(command, 'IncidentId', false);
    const seatId = text(command.args, 'SeatId');
    const shiftId = text(command.args, 'ShiftID');
    const startBy = epochSeconds(command.args, 'StartTime');
    const due = epochSeconds(command.args, 'EndTime');
    if (due < startBy) throw new CommandError('WRONG_PARAMETERS', 'EndTime: must not be before StartTime');
    const newSeatArg = optionalText(command.args, 'NewSeatId');
    let target = { seatId: 'tbp', shiftId: 'tbp' };
    if (newSeatArg !== undefined) {
      const newSeat = await this.seat(command, command.args, 'NewSeatId', 'NewSeatId');
      const newShift = text(command.args, 'NewShiftId');
      if (newShift !== newSeat) throw notFound(`shift ${newShift}`);
      target = { seatId: newSeat, shiftId: newShift };
    }
    const transition = newSeatArg === undefined ? 'reopen' : 'reassign';
    const result = await this.incidents.transition(
      { ...address, seatId, shiftId },
      transition,
      { ...target, replaceSeat: true, startBy, due, aStart: 0, aEnd: 0 },
      command.caller.accessKey,
      now,
    );
    return transitioned(result, address);
  }

  /** `Attachments`: the incident's list of attachment URLs, replaced whole (at most 20, each ≤ 2,048 characters). */
  private async setAttachments(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const address = this.address(command, 'IncidentId', true);
    const list = field(command.args, 'Attachments');
    if (list === undefined) throw new CommandError('MISSING_PARAMETERS', 'Attachments: is required');
    if (!Array.isArray(list) || list.length > 20) {
      throw new CommandError('WRONG_PARAMETERS', 'Attachments: must be a list of at most 20 URLs');
    }
    list.forEach((item, i) => {
      if (typeof item !== 'string' || item === '' || item.length > 2048) {
        throw new CommandError(
          'WRONG_PARAMETERS',
          `Attachments[${i}]: must be a URL of at most 2048 characters`,
        );
      }
    });
    const row = await this.incidents.setAttachments(address, list as string[], now);
    if (!row) throw notFound(incidentLabel(address));
    return { message: 'Attachments updated', data: matrixIncident(row) };
  }

  private async getSettings(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    return { data: { IncidentSettings: matrixSettings(await this.settings.of(building(command).pid)) } };
  }

  /** The settings a body names at `IncidentSettings.IncidentSettings` (the documented nesting). */
  private named(command: ActionCommandV1): Record<string, unknown> | undefined {
    if (field(command.args, 'IncidentSettings') === undefined) return undefined;
    const outer = object(command.args, 'IncidentSettings');
    return object(outer, 'IncidentSettings', 'IncidentSettings.IncidentSettings');
  }

  private async updateSettings(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    allow(command, 'admin');
    const named = this.named(command);
    if (!named) throw new CommandError('MISSING_PARAMETERS', 'IncidentSettings: is required');
    const changes: Record<string, number | boolean> = {};
    for (const key of Object.keys(named)) {
      const path = `IncidentSettings.IncidentSettings.${key}`;
      const system = SYSTEM_INCIDENT_SETTINGS[key];
      if (!system) throw new CommandError('WRONG_PARAMETERS', `${path}: is not an incident setting`);
      const setting = object(named, key, path);
      const valueKey = system.type === 'Long' ? 'LongValue' : 'BooleanValue';
      const value = setting[valueKey];
      const type = setting['Type'];
      if (type !== undefined && type !== system.type) {
        throw new CommandError('WRONG_PARAMETERS', `${path}.Type: must be ${system.type}`);
      }
      if (
        system.type === 'Long'
          ? !(Number.isSafeInteger(value) && (value as number) >= 0)
          : typeof value !== 'boolean'
      ) {
        throw new CommandError(
          'WRONG_PARAMETERS',
          `${path}.${valueKey}: must be ${system.type === 'Long' ? 'a non-negative integer' : 'true or false'}`,
        );
      }
      changes[key] = value as number | boolean;
    }
    await this.settings.update(pid, changes, command.caller.accessKey);
    return {
      message: 'Incident settings updated',
      data: { IncidentSettings: matrixSettings(await this.settings.of(pid)) },
    };
  }

  /** The system defaults, all or those the body names (`{IncidentSettings: {IncidentSettings: {KEY: {}}}}`). */
  private async systemSettings(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const named = this.named(command);
    const keys = named ? Object.keys(named) : Object.keys(SYSTEM_INCIDENT_SETTINGS);
    const unknown = keys.find((key) => !SYSTEM_INCIDENT_SETTINGS[key]);
    if (unknown !== undefined) throw notFound(`incident setting ${unknown}`);
    const settings = Object.fromEntries(keys.map((key) => [key, SYSTEM_INCIDENT_SETTINGS[key]!]));
    return Promise.resolve({ data: { IncidentSettings: matrixSettings(settings) } });
  }

  /** `scteams.adminDeleteIncident`: by `IncidentID`, and `SeatId`/`ShiftID` or `zoneId` when given. */
  private async deleteIncident(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    allow(command, 'admin');
    const address = this.address(command, 'IncidentId', false);
    const seatId = optionalText(command.args, 'SeatId');
    const shiftId = optionalText(command.args, 'ShiftID');
    const full = { ...address, ...(seatId ? { seatId } : {}), ...(shiftId ? { shiftId } : {}) };
    const row = await this.incidents.find(full);
    if (!row) throw notFound(incidentLabel(address));
    const setting =
      row.status === 'NOT_ASSIGNED' ? 'ALLOW_DELETION_OPEN_INCIDENTS' : 'ALLOW_DELETION_PUBLISHED_INCIDENTS';
    if ((await this.settings.of(address.pid))[setting]!.value !== true) {
      throw new CommandError(
        'INVALID_TRANSITION',
        `${incidentLabel(address)}: deletion is off (incident setting ${setting})`,
      );
    }
    if (!(await this.incidents.delete(full))) throw notFound(incidentLabel(address));
    return { message: 'Incident deleted', data: { IncidentId: address.taskId } };
  }

  /** `scteams.adminUpdateIncidentZone`: `Incident{TaskId, Zone}` moves to `zoneId` (name and category from the registry). */
  private async updateZone(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'admin');
    const { pid } = building(command);
    const incident = object(command.args, 'Incident');
    const taskId = incidentId(incident, 'TaskId', 'Incident.TaskId');
    const zoneId = text(incident, 'Zone', 'Incident.Zone');
    this.zone(command, zoneId);
    const newZoneId = text(command.args, 'zoneId');
    optionalText(command.args, 'ZoneName');
    const categoryId = optionalText(command.args, 'ZoneCategoryId');
    const zone = this.zone(command, newZoneId);
    const address = { pid, taskId, zoneId };
    const result = await this.incidents.updateDetails(
      address,
      { zone: { id: newZoneId, name: zone.name, categoryId: zone.categoryId ?? categoryId ?? null } },
      now,
    );
    return transitioned(result, address);
  }

  /**
   * `scteams.adminUpdateIncidentBulk`: `UpdateIncident.Details{Name, Description, Priority}` and/or
   * `UpdateIncident.Zones{NewZoneId, …}` (an empty `NewZoneId` keeps the zone, as the documented example).
   */
  private async updateBulk(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'admin');
    const address = this.address(command, 'IncidentId', false);
    const seatId = optionalText(command.args, 'SeatId');
    const shiftId = optionalText(command.args, 'ShiftID');
    const update = object(command.args, 'UpdateIncident');
    const details =
      field(update, 'Details') === undefined ? {} : object(update, 'Details', 'UpdateIncident.Details');
    const zones = field(update, 'Zones') === undefined ? {} : object(update, 'Zones', 'UpdateIncident.Zones');
    const name = optionalText(details, 'Name', 'UpdateIncident.Details.Name');
    const description = optionalText(details, 'Description', 'UpdateIncident.Details.Description');
    const prio =
      field(details, 'Priority') === undefined
        ? undefined
        : priority(details, 'Priority', 'UpdateIncident.Details.Priority');
    const newZoneId = optionalText(zones, 'NewZoneId', 'UpdateIncident.Zones.NewZoneId') || undefined;
    optionalText(zones, 'NewZoneName', 'UpdateIncident.Zones.NewZoneName');
    const newCategory = optionalText(zones, 'NewZoneCatId', 'UpdateIncident.Zones.NewZoneCatId');
    if (name !== undefined && name.trim() === '') {
      throw new CommandError('WRONG_PARAMETERS', 'UpdateIncident.Details.Name: must not be empty');
    }
    const zone = newZoneId === undefined ? undefined : this.zone(command, newZoneId);
    const full = { ...address, ...(seatId ? { seatId } : {}), ...(shiftId ? { shiftId } : {}) };
    const result = await this.incidents.updateDetails(
      full,
      {
        ...(name !== undefined ? { name } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(prio !== undefined ? { priority: prio } : {}),
        ...(zone && newZoneId
          ? { zone: { id: newZoneId, name: zone.name, categoryId: zone.categoryId ?? newCategory ?? null } }
          : {}),
      },
      now,
    );
    return transitioned(result, address);
  }

  private async timeline(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const address = this.address(command, 'IncidentId', true);
    const row = await this.incidents.find(address);
    if (!row) throw notFound(incidentLabel(address));
    const steps = await this.incidents.timeline(row.task_id);
    return {
      data: steps.map((step) => ({
        Action: step.transition,
        From: step.from_status,
        Status: step.to_status,
        EscalationLevel: escalationLevelName(step.escalation_level),
        SeatId: step.seat_id,
        By: step.by_key,
        Time: Number(step.at),
      })),
    };
  }
}
