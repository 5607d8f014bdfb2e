import { Injectable } from '@nestjs/common';
import { INCIDENT_COMMANDS } from '@matrix/contracts';
import { CommandBus, type CommandSpec } from '@matrix/messaging';
import type { AccessLevel } from '../auth/registry-access';
import { RegistryError } from '../registry/registry-error';
import {
  WorkforceClient,
  workforceError,
  type WorkforceCaller,
  type WorkforceTarget,
} from '../workforce/workforce-client';
import {
  checkComment,
  checkCreateIncident,
  checkTransition,
  parseIncidentListQuery,
  type TransitionAction,
} from './incident-inputs';
import { commentView, incidentView, timelineEntryView } from './incident-views';

type Matrix = Record<string, unknown>;

/** The caller of one REST request: its access (tenancy, roles) and its credential (as incident-service is told it). */
export type IncidentCaller = WorkforceCaller;

type BuildingTarget = Extract<WorkforceTarget, { building: unknown }>;

/** What each transition action needs, and the `scteams.*` op it is. */
const ACTIONS: Record<TransitionAction, { need: AccessLevel; op: string }> = {
  assign: { need: 'write', op: 'scteams.assignIncident' },
  start: { need: 'write', op: 'scteams.startUnassignedIncident' },
  complete: { need: 'write', op: 'scteams.endUnassignedIncident' },
  escalate: { need: 'write', op: 'scteams.escalateUnassignedIncident' },
  reassign: { need: 'admin', op: 'scteams.adminReassignIncident' },
  reopen: { need: 'admin', op: 'scteams.adminReassignIncident' },
};

/**
 * REST v1 `/v1/buildings/{pid}/incidents`: checks the caller may touch the building (another tenant's is
 * NOT_FOUND; reads need read, changes write, reassign/reopen and comment removal admin) and the input,
 * then forwards to incident-service the same workforce actions command (`workforce.action.call.v1`, the
 * documented `scteams.*` op and body) the Matrix actions API forwards, so the incident rules live in one
 * place; the reads no documented op covers are `workforce.incident.list.v1` / `.get.v1`.
 */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly commands: CommandBus,
    private readonly workforce: WorkforceClient,
  ) {}

  /** The building `pid` (and the zones named), if the caller may `need` it; another tenant's is NOT_FOUND. */
  private async building(
    caller: IncidentCaller,
    pid: string,
    need: AccessLevel,
    zoneIds: string[] = [],
  ): Promise<BuildingTarget> {
    const target = await this.workforce.building(caller, pid, need, zoneIds);
    if (!('building' in target)) throw new Error(`building ${pid} resolved to a property`);
    return target;
  }

  /** The incident reads no documented op covers (`workforce.incident.list.v1` / `.get.v1`). */
  private async ask<Req, Res>(spec: CommandSpec<Req, Res>, request: Req): Promise<Res> {
    try {
      return await this.commands.request(spec, request);
    } catch (error) {
      throw workforceError(error);
    }
  }

  /** Sends one `scteams.*` op in the building, as the actions API would; its answer's `data`. */
  private op(
    caller: IncidentCaller,
    target: WorkforceTarget,
    op: string,
    args: Record<string, unknown>,
  ): Promise<unknown> {
    return this.workforce.op(caller, target, op, args);
  }

  /** The incident (documented shape) and its zone as the command's resolved zone. */
  private async incident(caller: IncidentCaller, pid: string, incidentId: string, need: AccessLevel) {
    const { building } = await this.building(caller, pid, need);
    const { incident } = await this.ask(INCIDENT_COMMANDS.get, {
      org: building.org,
      propId: building.propId,
      pid,
      taskId: incidentId,
    });
    const zoneId = incident['Zone'] as string;
    // The incident's own zone (it may since have left the registry); tenancy is the building's.
    const zones = {
      [zoneId]: {
        name: incident['ZoneName'] as string,
        categoryId: (incident['ZoneCatId'] as string) || null,
      },
    };
    return { incident, target: { building, zones }, zoneId };
  }

  async create(caller: IncidentCaller, pid: string, body: unknown, now: Date) {
    const input = checkCreateIncident(body);
    const target = await this.building(caller, pid, 'write', [input.zoneId]);
    // Without startBy the incident starts now (to the second); retries are made safe by Idempotency-Key.
    const common = {
      Zone: input.zoneId,
      Name: input.name,
      Priority: input.priority,
      Start: input.startBy ?? Math.floor(now.getTime() / 1000),
      ...(input.due !== undefined ? { End: input.due } : {}),
      Tasks: input.tasks.map((name) => ({ Name: name })),
      ...(input.eventSource !== undefined ? { EventSource: input.eventSource } : {}),
    };
    const data =
      input.seatId === undefined
        ? await this.op(caller, target, 'scteams.createIncidentWithoutAssignee', {
            Incident: { ...common, ...(input.reportedBy !== undefined ? { By: input.reportedBy } : {}) },
          })
        : await this.op(caller, target, 'scteams.createIncident', {
            Taskgroup: { ...common, SeatId: input.seatId, ShiftId: input.seatId },
          });
    return incidentView(data as Matrix);
  }

  async list(caller: IncidentCaller, pid: string, rawQuery: Record<string, unknown>) {
    const query = parseIncidentListQuery(rawQuery);
    const { building } = await this.building(caller, pid, 'read');
    const page = await this.ask(INCIDENT_COMMANDS.list, {
      org: building.org,
      propId: building.propId,
      pid,
      ...query,
    });
    return { items: page.items.map(incidentView), nextCursor: page.nextCursor ?? null };
  }

  async get(caller: IncidentCaller, pid: string, incidentId: string) {
    return incidentView((await this.incident(caller, pid, incidentId, 'read')).incident);
  }

  async transition(caller: IncidentCaller, pid: string, incidentId: string, body: unknown) {
    const input = checkTransition(body);
    const { need, op } = ACTIONS[input.action];
    const { incident, target, zoneId } = await this.incident(caller, pid, incidentId, need);
    const seat = incident['SeatId'] as string;
    const args = ((): Record<string, unknown> => {
      switch (input.action) {
        case 'assign':
          return { IncidentId: incidentId, zoneId, SeatId: input.seatId, ShiftID: input.seatId };
        case 'start': {
          const seatId = input.seatId ?? (seat === 'tbp' ? undefined : seat);
          if (seatId === undefined) {
            throw new RegistryError('INVALID', 'the transition is not valid', [
              'seatId: is required to start an open incident',
            ]);
          }
          return { IncidentId: incidentId, zoneId, SeatId: seatId };
        }
        case 'complete':
        case 'escalate':
          return { IncidentId: incidentId, zoneId };
        case 'reassign':
        case 'reopen':
          return {
            IncidentID: incidentId,
            SeatId: seat,
            ShiftID: incident['ShiftId'],
            StartTime: input.startBy ?? incident['Start'],
            EndTime: input.due ?? incident['End'],
            ...(input.action === 'reassign' ? { NewSeatId: input.seatId, NewShiftId: input.seatId } : {}),
          };
      }
    })();
    return incidentView((await this.op(caller, target, op, args)) as Matrix);
  }

  async comments(caller: IncidentCaller, pid: string, incidentId: string) {
    const { target, zoneId } = await this.incident(caller, pid, incidentId, 'read');
    const data = await this.op(caller, target, 'scteams.listIncidentComments', {
      IncidentId: incidentId,
      zoneId,
    });
    return { items: (data as Matrix[]).map(commentView) };
  }

  async addComment(caller: IncidentCaller, pid: string, incidentId: string, body: unknown) {
    const input = checkComment(body);
    const { target, zoneId } = await this.incident(caller, pid, incidentId, 'write');
    const data = await this.op(caller, target, 'scteams.updateIncidentComment', {
      IncidentId: incidentId,
      zoneId,
      IncidentComment: { Comment: input.comment, UserName: input.userName },
    });
    return commentView(data as Matrix);
  }

  async deleteComment(caller: IncidentCaller, pid: string, incidentId: string, commentId: string) {
    const { target, zoneId } = await this.incident(caller, pid, incidentId, 'admin');
    await this.op(caller, target, 'scteams.adminDeleteIncidentComment', {
      IncidentId: incidentId,
      zoneId,
      IncidentComment: { CommentId: commentId },
    });
  }

  async timeline(caller: IncidentCaller, pid: string, incidentId: string) {
    const { target, zoneId } = await this.incident(caller, pid, incidentId, 'read');
    const data = await this.op(caller, target, 'scteams.getIncidentTimeline', {
      IncidentID: incidentId,
      zoneId,
    });
    return { items: (data as Matrix[]).map(timelineEntryView) };
  }
}
