import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Database } from '@matrix/persistence';
import { stableStringify, type ActionCommandReplyV1, type ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { shiftOfSeat, shiftRefusal } from './assignable-shift';
import { matrixIncident } from './incident-row';
import { EscalationPoliciesRepository } from './escalation-policies.repository';
import { incidentTimeoutSeconds, TIMEOUT_SETTING } from './incident-settings';
import { IncidentsRepository } from './incidents.repository';
import { SeatsRepository } from '../seats/seats.repository';
import { field, object, optionalEpochSeconds, optionalFlag, optionalText, tasks, text } from '../ops/args';
import { priority } from './incident-args';
import { activeSeat } from '../seats/active-seat';
import { allow, building, notFound, seconds, zoneOf, type OpGroup, type OpTable } from '../ops/op-table';

/** The ops that create an incident: open (`createIncidentWithoutAssignee`) or assigned to a seat (`createIncident`). */
@Injectable()
export class CreationActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.createIncidentWithoutAssignee': (c, now) => this.create(c, now, 'Incident'),
    /*
     * `scteams.createIncident`: an incident created assigned to a seat (`ShiftId == SeatId`) or to a
     * PUBLISHED or STARTED shift of that seat (`ShiftId` the shift's id). Its documented body names neither `Name` nor `Priority`: the name defaults to the first
     * task's, the priority to `N`; its documented example has `End` before `Start`, accepted as given.
     */
    'scteams.createIncident': (c, now) => this.create(c, now, 'Taskgroup'),
  };

  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly seats: SeatsRepository,
    private readonly policies: EscalationPoliciesRepository,
    private readonly db: Database,
  ) {}

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
    const end = optionalEpochSeconds(incident, 'End', at('End'));
    // Without `End` it is due after the building's timeout for its priority (never before `Start`).
    if (!assigned && end !== undefined && end < startBy) {
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
    const zone = zoneOf(command, zoneId);
    let assignedTo: { seatId: string; shiftId: string } | undefined;
    if (assigned) {
      const propId = optionalText(incident, 'PropID', at('PropID'));
      if (propId !== undefined && propId !== b.propId) throw notFound(`property ${propId}`);
      const seatId = await activeSeat(this.seats, command, incident, at('SeatId'));
      const shiftId = text(incident, 'ShiftId', at('ShiftId'));
      // `ShiftId == SeatId`: the seat itself; else a PUBLISHED or STARTED shift of that seat in the building
      // (held again `for share` in the create's transaction, IncidentsRepository).
      if (shiftId !== seatId) {
        const shift = await shiftOfSeat(this.db, { pid: b.pid, seatId, shiftId });
        if (!shift) throw notFound(`shift ${shiftId}`);
        const refusal = shiftRefusal(shiftId, shift.status);
        if (refusal) throw new CommandError('INVALID_TRANSITION', `${at('ShiftId')}: ${refusal}`);
      }
      assignedTo = { seatId, shiftId };
    }
    const requestKey = createHash('sha256')
      .update(stableStringify({ pid: b.pid, op: parent, args: command.args }))
      .digest('base64url');
    // The policy that applies and the timeout setting in one statement, before the insert, which stores
    // the incident with its first deadline.
    const { policy, storedSetting } = await this.policies.forNewIncident(b.pid, name, TIMEOUT_SETTING[prio]);
    const due = end ?? startBy + incidentTimeoutSeconds(prio, storedSetting);
    const {
      incident: row,
      created,
      autoAssignment,
    } = await this.incidents.create(
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
        // `AutoAssigned` open incidents go to a seat on shift for the zone when the building's
        // AUTO_ASSIGN_INCIDENTS is on (docs/data-formats.md "Auto-assignment").
        ...(autoAssigned ? { autoAssign: { timeZone: b.timeZone } } : {}),
        requestKey,
        createdBy: command.caller.accessKey,
      },
      policy,
      now,
    );
    return {
      message: created ? 'Incident created' : 'Incident already created by an identical request',
      data: { ...matrixIncident(row), ...(autoAssignment ? { AutoAssignment: autoAssignment } : {}) },
    };
  }
}
