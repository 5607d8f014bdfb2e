import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import type { IncidentRow } from './incident-row';
import { IncidentSettings, type EffectiveSetting } from './incident-settings';
import { IncidentsRepository, type ReassignHistory } from './incidents.repository';
import { SeatsRepository } from '../seats/seats.repository';
import { epochSeconds, field, object, optionalText, text } from '../ops/args';
import { incidentId, priority } from './incident-args';
import { activeSeat } from '../seats/active-seat';
import { addressOf, incidentLabel, transitioned } from './incident-ops';
import { allow, building, notFound, zoneOf, type OpGroup, type OpTable } from '../ops/op-table';

/**
 * The rule a reassignment (or reopening) of `current` breaks under the building's incident settings, if
 * any: `ALLOW_INCIDENT_REASSIGNMENT`; for a completed incident `REASSIGNMENT_RESOLVED_MAX` seconds since
 * its completion (`ALLOW_REASSIGNMENT_RESOLVED` is the lifecycle's); for an incomplete one
 * `ALLOW_REASSIGNMENT_UNRESOLVED` and `REASSIGNMENT_UNRESOLVED_MAX`; `MAX_INCIDENT_REASSIGN_COUNT`.
 */
export function reassignmentRule(
  settings: Record<string, EffectiveSetting>,
  current: Pick<IncidentRow, 'status'>,
  history: ReassignHistory,
  now: Date,
): string | undefined {
  const value = (key: string) => settings[key]!.value;
  if (value('ALLOW_INCIDENT_REASSIGNMENT') !== true) {
    return 'reassignment is off (incident setting ALLOW_INCIDENT_REASSIGNMENT)';
  }
  const resolvedFor = Math.floor(now.getTime() / 1000) - (history.resolvedAt ?? 0);
  if (current.status === 'COMPLETED' && resolvedFor > Number(value('REASSIGNMENT_RESOLVED_MAX'))) {
    return `a completed incident is reassigned at most ${value('REASSIGNMENT_RESOLVED_MAX')} seconds after completion (incident setting REASSIGNMENT_RESOLVED_MAX)`;
  }
  if (current.status === 'INCOMPLETE') {
    if (value('ALLOW_REASSIGNMENT_UNRESOLVED') !== true) {
      return 'an incomplete incident is not reassigned (incident setting ALLOW_REASSIGNMENT_UNRESOLVED is 0)';
    }
    if (resolvedFor > Number(value('REASSIGNMENT_UNRESOLVED_MAX'))) {
      return `an incomplete incident is reassigned at most ${value('REASSIGNMENT_UNRESOLVED_MAX')} seconds after it was marked incomplete (incident setting REASSIGNMENT_UNRESOLVED_MAX)`;
    }
  }
  const max = Number(value('MAX_INCIDENT_REASSIGN_COUNT'));
  if (history.reassignments >= max) {
    return `an incident is reassigned at most ${max} times (incident setting MAX_INCIDENT_REASSIGN_COUNT)`;
  }
  return undefined;
}

/** The admin ops on an incident: delete, reassign, move to another zone, update its details. */
@Injectable()
export class AdminActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.adminDeleteIncident': (c) => this.deleteIncident(c),
    'scteams.adminReassignIncident': (c, now) => this.reassign(c, now),
    'scteams.adminUpdateIncidentZone': (c, now) => this.updateZone(c, now),
    'scteams.adminUpdateIncidentBulk': (c, now) => this.updateBulk(c, now),
  };

  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly seats: SeatsRepository,
    private readonly settings: IncidentSettings,
  ) {}

  /** `scteams.adminDeleteIncident`: by `IncidentID`, and `SeatId`/`ShiftID` or `zoneId` when given. */
  private async deleteIncident(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    allow(command, 'admin');
    const address = addressOf(command, 'IncidentId', false);
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

  /**
   * `scteams.adminReassignIncident`: the incident at `SeatId` + `ShiftID` gets new `StartTime`/`EndTime`
   * and goes to `NewSeatId` (`NewShiftId` == `NewSeatId`; `INCIDENT_CREATED`) or, without one, back to
   * open (`INCIDENT_CREATED_OPEN`); its actual times and escalation level start again. The building's
   * incident settings decide whether it may be ({@link reassignmentRule}), checked on the locked incident.
   */
  private async reassign(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'admin');
    const address = addressOf(command, 'IncidentId', false);
    const seatId = text(command.args, 'SeatId');
    const shiftId = text(command.args, 'ShiftID');
    const startBy = epochSeconds(command.args, 'StartTime');
    const due = epochSeconds(command.args, 'EndTime');
    if (due < startBy) throw new CommandError('WRONG_PARAMETERS', 'EndTime: must not be before StartTime');
    const newSeatArg = optionalText(command.args, 'NewSeatId');
    let target = { seatId: 'tbp', shiftId: 'tbp' };
    if (newSeatArg !== undefined) {
      const newSeat = await activeSeat(this.seats, command, command.args, 'NewSeatId', 'NewSeatId');
      const newShift = text(command.args, 'NewShiftId');
      if (newShift !== newSeat) throw notFound(`shift ${newShift}`);
      target = { seatId: newSeat, shiftId: newShift };
    }
    const transition = newSeatArg === undefined ? 'reopen' : 'reassign';
    const settings = await this.settings.of(address.pid);
    const result = await this.incidents.transition(
      { ...address, seatId, shiftId },
      transition,
      { ...target, replaceSeat: true, startBy, due, aStart: 0, aEnd: 0 },
      command.caller.accessKey,
      now,
      {
        lifecycle: { reassignResolved: settings['ALLOW_REASSIGNMENT_RESOLVED']!.value === true },
        guard: async (current, tx) =>
          reassignmentRule(settings, current, await this.incidents.reassignHistory(current.task_id, tx), now),
      },
    );
    return transitioned(result, address);
  }

  /** `scteams.adminUpdateIncidentZone`: `Incident{TaskId, Zone}` moves to `zoneId` (name and category from the registry). */
  private async updateZone(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'admin');
    const { pid } = building(command);
    const incident = object(command.args, 'Incident');
    const taskId = incidentId(incident, 'TaskId', 'Incident.TaskId');
    const zoneId = text(incident, 'Zone', 'Incident.Zone');
    zoneOf(command, zoneId);
    const newZoneId = text(command.args, 'zoneId');
    optionalText(command.args, 'ZoneName');
    const categoryId = optionalText(command.args, 'ZoneCategoryId');
    const zone = zoneOf(command, newZoneId);
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
    const address = addressOf(command, 'IncidentId', false);
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
    const zone = newZoneId === undefined ? undefined : zoneOf(command, newZoneId);
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
}
