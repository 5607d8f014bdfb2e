import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1, ActionZoneV1 } from '@matrix/contracts';
import { epochSeconds, field, missing, object, optionalText, wrong, type Args } from '../ops/args';
import { allow, building, seconds, zoneOf, type OpGroup, type OpTable } from '../ops/op-table';
import { seatsAvailableAt } from '../availability/seat-availability';
import { AssignmentRepository, zoneWindows } from './assignment.repository';
import { openPlannedBreak, rotationOrder } from './auto-assignment';

/** Longest range the availability-for-incident ops answer (from now to `End`). */
export const MAX_INCIDENT_RANGE_DAYS = 31;

/** Most zones one `scteams.findAvailabilityForIncident-v2` names. */
export const MAX_ZONES = 50;

/**
 * The two availability-for-incident ops (the Matrix documentation, §4.4 "Shift"/"Incident", Appendix A):
 * who could take an incident of a zone from now (the service's clock) to its `End` — the seats on shift
 * or with a published shift in that range for the zone who have availability for it then — with what
 * auto-assignment would decide now. Reads only; no event.
 */
@Injectable()
export class AssignmentActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.getAvailabilityForIncident': (c, now) => this.forIncident(c, now),
    'scteams.findAvailabilityForIncident-v2': (c, now) => this.forZones(c, now),
  };

  constructor(private readonly assignment: AssignmentRepository) {}

  /** `{Incident{End, TimeZone?, ZoneCatId?, Zone}}`: the zone's candidates. */
  private async forIncident(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    building(command);
    allow(command, 'read');
    const incident = object(argsOf(command), 'Incident');
    const zoneId = zoneIdAt(incident, 'Zone', 'Incident.Zone');
    const end = epochSeconds(incident, 'End', 'Incident.End');
    optionalText(incident, 'TimeZone', 'Incident.TimeZone');
    optionalText(incident, 'ZoneCatId', 'Incident.ZoneCatId');
    const range = rangeOf(now, end, 'Incident.End');
    const zone = zoneOf(command, zoneId);
    return {
      message: 'Availability for the incident',
      data: await this.candidates(command, zoneId, zone, range),
    };
  }

  /** `{EndTime, ZoneID: [<zone id>]}` (or one id): the candidates of each zone, in the order named. */
  private async forZones(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    building(command);
    allow(command, 'read');
    const args = argsOf(command);
    const end = epochSeconds(args, 'EndTime');
    const value = field(args, 'ZoneID');
    if (value === undefined) throw missing('ZoneID');
    const ids = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_ZONES) {
      throw wrong('ZoneID', `must be a list of 1 to ${MAX_ZONES} zone ids`);
    }
    ids.forEach((id, i) => {
      if (typeof id !== 'string' || id.trim() === '') throw wrong(`ZoneID[${i}]`, 'must be a zone id');
    });
    const unique = [...new Set(ids as string[])];
    const range = rangeOf(now, end, 'EndTime');
    const zones = unique.map((id) => [id, zoneOf(command, id)] as const);
    const data = [];
    for (const [id, zone] of zones) data.push(await this.candidates(command, id, zone, range));
    return { message: 'Availability for incidents of the zones', data };
  }

  private async candidates(
    command: ActionCommandV1,
    zoneId: string,
    zone: ActionZoneV1,
    range: { from: number; to: number },
  ): Promise<Record<string, unknown>> {
    const b = building(command);
    const { from, to } = range;
    const shifts = await this.assignment.shiftsInRange(b.pid, zoneId, from, to);
    const seatIds = [...new Set(shifts.map((s) => s.seatId))];
    const plans = await this.assignment.plans(this.db(), b.propId, seatIds);
    const rotation = await this.assignment.rotation(this.db(), b.pid, seatIds);
    const availableNow = new Set(
      seatsAvailableAt({ ...plans, at: from, timeZone: b.timeZone, pid: b.pid, zoneId }),
    );
    // A seat's availability windows in the range are the same for each of its shifts: computed once.
    const windowsOf = new Map<string, ReturnType<typeof zoneWindows>>();
    const rows = shifts
      .map((shift) => {
        let windows = windowsOf.get(shift.seatId);
        if (!windows) {
          windows = zoneWindows(plans, shift.seatId, b.pid, zoneId, from, to, b.timeZone);
          windowsOf.set(shift.seatId, windows);
        }
        const onBreak = shift.status === 'STARTED' ? openPlannedBreak(shift.breaks, from) : undefined;
        const state = rotation.get(shift.seatId);
        return {
          seatId: shift.seatId,
          lastSeq: state?.lastSeq ?? null,
          windows,
          answer: {
            SeatId: shift.seatId,
            ShiftId: shift.shiftId,
            ShiftStatus: shift.status,
            Start: shift.start,
            End: shift.end,
            AStart: shift.aStart,
            Zones: shift.zones,
            OnPlannedBreak: onBreak !== undefined,
            ...(onBreak
              ? { PlannedBreak: { ID: onBreak.ID, AStart: onBreak.AStart, End: onBreak.End ?? 0 } }
              : {}),
            AvailableNow: availableNow.has(shift.seatId),
            AutoAssignable: shift.status === 'STARTED' && !onBreak && availableNow.has(shift.seatId),
            LastAutoAssigned: state?.lastAssignedAt ?? 0,
            LastAutoAssignedIncident: state?.lastTaskId ?? '',
            Availabilities: windows,
          },
        };
      })
      .filter((row) => row.windows.length > 0);
    const assignable = rotationOrder(rows.filter((row) => row.answer.AutoAssignable));
    const others = rows
      .filter((row) => !row.answer.AutoAssignable)
      .sort(
        (a, b) => a.answer.Start - b.answer.Start || (a.seatId < b.seatId ? -1 : a.seatId > b.seatId ? 1 : 0),
      );
    return {
      Zone: zoneId,
      ZoneName: zone.name,
      ZoneCatId: zone.categoryId ?? '',
      ID: b.pid,
      From: from,
      To: to,
      TimeZone: b.timeZone,
      AutoAssignNext: assignable[0]?.seatId ?? null,
      Candidates: [...assignable, ...others].map((row) => row.answer),
    };
  }

  private db() {
    return this.assignment.reader;
  }
}

const argsOf = (command: ActionCommandV1): Args => (command.args ?? {}) as Args;

function zoneIdAt(args: Args, name: string, path: string): string {
  const value = field(args, name);
  if (value === undefined) throw missing(path);
  if (typeof value !== 'string' || value.trim() === '') throw wrong(path, 'must be a zone id');
  return value;
}

/**
 * From now to `end`; an `end` not after now (the documented examples are in the past) is the instant
 * now; at most {@link MAX_INCIDENT_RANGE_DAYS} days.
 */
function rangeOf(now: Date, end: number, path: string): { from: number; to: number } {
  const from = seconds(now);
  if (end - from > MAX_INCIDENT_RANGE_DAYS * 86_400) {
    throw wrong(path, `must be at most ${MAX_INCIDENT_RANGE_DAYS} days from now`);
  }
  return { from, to: Math.max(end, from + 1) };
}
