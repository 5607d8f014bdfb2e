import { Injectable } from '@nestjs/common';
import type { AccessLevel } from '../auth/registry-access';
import { notFound } from '../registry/registry-error';
import {
  checkCreateShift,
  checkShiftTransition,
  checkUpdateShift,
  parseShiftListQuery,
  type CostInput,
  type ShiftAction,
} from './shift-inputs';
import { WorkforceClient, type WorkforceCaller, type WorkforceTarget, UUID } from './workforce-client';
import { shiftView } from './workforce-views';

type Matrix = Record<string, unknown>;

/** What each transition action needs, and the `scteams.*` op it is. */
const ACTIONS: Record<ShiftAction, { need: AccessLevel; op: string }> = {
  publish: { need: 'write', op: 'scteams.publishShifts' },
  start: { need: 'write', op: 'scteams.shiftStart' },
  end: { need: 'write', op: 'scteams.shiftEnd' },
  adminStart: { need: 'admin', op: 'scteams.shiftStartAdmin' },
  adminEnd: { need: 'admin', op: 'scteams.shiftEndAdmin' },
  startBreak: { need: 'write', op: 'scteams.startBreak' },
  endBreak: { need: 'write', op: 'scteams.endBreak' },
  markDelayed: { need: 'admin', op: 'scteams.markShiftDelayed' },
  markAbsent: { need: 'admin', op: 'scteams.markShiftAbsent' },
  markOnLeave: { need: 'admin', op: 'scteams.markOnLeave' },
};

const costArg = (cost: CostInput | undefined) =>
  cost === undefined ? {} : { Cost: { U: cost.currency, V: cost.amount } };

const zonesArg = (target: WorkforceTarget, zoneIds: readonly string[] | undefined) =>
  zoneIds === undefined || !('zones' in target)
    ? {}
    : { Zones: Object.fromEntries(zoneIds.map((id) => [id, target.zones[id]?.name ?? ''])) };

/**
 * REST v1 `/v1/buildings/{pid}/shifts`: each route is one documented shift op (the Matrix
 * documentation, §4.4 "Shift") — createShift, getShiftDetailsByID, updateShift, deleteShift, the
 * attendance ops — sent through {@link WorkforceClient}, so REST and the actions API obey the same
 * lifecycle, overlap rule, timer and SHIFT_* events.
 */
@Injectable()
export class ShiftsService {
  constructor(private readonly workforce: WorkforceClient) {}

  /**
   * The building's shifts whose planned window overlaps `[from, to]`, by planned start: the building's
   * range op, its on-status op for one status, or the seat's range op narrowed to the building; more
   * statuses are filtered here (a page may then hold fewer shifts than the service's page).
   */
  async list(caller: WorkforceCaller, pid: string, rawQuery: Record<string, unknown>) {
    const query = parseShiftListQuery(rawQuery);
    const target = await this.workforce.building(caller, pid, 'read');
    const range = { StartTime: query.from, EndTime: query.to };
    const key = query.cursor !== undefined ? { LastEvaluatedKey: query.cursor } : {};
    const one = query.statuses?.length === 1 && query.seatId === undefined ? query.statuses[0] : undefined;
    const reply =
      query.seatId !== undefined
        ? await this.workforce.call(caller, target, 'scteams.getShiftsForSeatInTRange', {
            SeatId: query.seatId,
            ID: pid,
            ...range,
            ...key,
          })
        : one !== undefined
          ? await this.workforce.call(caller, target, 'scteams.getShiftsInTRangeForIDonStatus', {
              Shift: { Start: query.from, End: query.to, Status: one },
              ...key,
            })
          : await this.workforce.call(caller, target, 'scteams.getShiftsForProjectInTRange', {
              ...range,
              ...key,
            });
    const shifts = (reply.data as Matrix[]).filter(
      (s) => query.statuses === undefined || (query.statuses as string[]).includes(s['Status'] as string),
    );
    const next = reply.extra?.['LastEvaluatedKey'];
    return { items: shifts.map(shiftView), nextCursor: typeof next === 'string' ? next : null };
  }

  /** One shift, repeated at the same wall-clock times on each `repeatOn` date; `{items}` of every shift made. */
  async create(caller: WorkforceCaller, pid: string, body: unknown) {
    const input = checkCreateShift(body);
    const target = await this.workforce.building(caller, pid, 'write', input.zoneIds);
    const reply = await this.workforce.call(caller, target, 'scteams.createShift', {
      SeatId: input.seatId,
      ...(input.repeatOn !== undefined ? { Repeat: { RepeatDates: input.repeatOn } } : {}),
      Schedule: [
        {
          shift: {
            Start: input.start,
            End: input.end,
            ...(input.timeZone !== undefined ? { TimeZone: input.timeZone } : {}),
            ...zonesArg(target, input.zoneIds),
            ...(input.breaks !== undefined
              ? {
                  Breaks: input.breaks.map((b) => ({
                    ...(b.start !== undefined ? { Start: b.start, End: b.end } : {}),
                    ...(b.durationSeconds !== undefined ? { DurationInSeconds: b.durationSeconds } : {}),
                    ...(b.planned !== undefined ? { IsPlannedBreak: b.planned } : {}),
                    ...(b.type !== undefined ? { Type: b.type } : {}),
                    ...(b.notes !== undefined ? { Notes: b.notes } : {}),
                  })),
                }
              : {}),
            ...costArg(input.cost),
            ...(input.description !== undefined ? { Description: input.description } : {}),
          },
        },
      ],
      Publish: input.publish,
    });
    const items = ((reply.data as Matrix[]) ?? []).map(shiftView);
    // Many large shifts are answered in part (incident-service's answer size limit): `shiftIds` then
    // names every shift created, in start order, and `complete` is false; GET each one missing.
    const shiftIds = reply.extra?.['ShiftIds'];
    return Array.isArray(shiftIds)
      ? { items, complete: false, shiftIds: shiftIds as string[] }
      : { items, complete: true, shiftIds: items.map((item) => item.shiftId) };
  }

  async get(caller: WorkforceCaller, pid: string, shiftId: string) {
    const target = await this.workforce.building(caller, pid, 'read');
    return shiftView(await this.workforce.shift(caller, target, shiftId));
  }

  /** A shift not started: its plan changed (updateShift). */
  async update(caller: WorkforceCaller, pid: string, shiftId: string, body: unknown) {
    const input = checkUpdateShift(body);
    const target = await this.workforce.building(caller, pid, 'write', input.zoneIds);
    if (!UUID.test(shiftId)) throw notFound('shift', shiftId);
    const data = await this.workforce.op(caller, target, 'scteams.updateShift', {
      Shift: {
        ShiftId: shiftId,
        ...(input.start !== undefined ? { Start: input.start } : {}),
        ...(input.end !== undefined ? { End: input.end } : {}),
        ...(input.timeZone !== undefined ? { TimeZone: input.timeZone } : {}),
        ...zonesArg(target, input.zoneIds),
        ...(input.description !== undefined ? { Description: input.description } : {}),
        ...costArg(input.cost),
      },
    });
    return shiftView(data as Matrix);
  }

  /** A shift not started (or on leave), with its task groups (deleteShift); 409 for a record of the day. */
  async delete(caller: WorkforceCaller, pid: string, shiftId: string): Promise<void> {
    const target = await this.workforce.building(caller, pid, 'write');
    if (!UUID.test(shiftId)) throw notFound('shift', shiftId);
    await this.workforce.op(caller, target, 'scteams.deleteShift', { Shift: { ShiftId: shiftId } });
  }

  /** One lifecycle step (the op of the action); 409 names the rule that refuses it. */
  async transition(caller: WorkforceCaller, pid: string, shiftId: string, body: unknown) {
    const input = checkShiftTransition(body);
    const { need, op } = ACTIONS[input.action];
    const target = await this.workforce.building(caller, pid, need);
    // The shift as it is: 404 for another building's, and its seat (the seat's own ops name it).
    const current = await this.workforce.shift(caller, target, shiftId);
    const seatId = input.seatId ?? (current['SeatId'] as string);
    const at = (which: 'ClockIn' | 'ClockOut') =>
      input.location === undefined
        ? {}
        : {
            Coordinates: {
              [which]: { Latitude: input.location.latitude, Longitude: input.location.longitude },
            },
          };
    const breaks = current['Breaks'] as { ID: string; AStart: number; AEnd: number }[];
    const args = ((): Record<string, unknown> => {
      switch (input.action) {
        case 'publish':
          return { Schedule: [{ shift: { ShiftId: shiftId } }] };
        case 'start':
          return { Shift: { ShiftId: shiftId, SeatId: seatId, ...at('ClockIn') } };
        case 'adminStart':
          return { Shift: { ShiftId: shiftId, ...at('ClockIn') } };
        case 'end':
          return { Shift: { ShiftId: shiftId, SeatId: seatId, ...at('ClockOut') } };
        case 'adminEnd':
          return { Shift: { ShiftId: shiftId, ...at('ClockOut') } };
        case 'startBreak':
        case 'endBreak': {
          // endBreak without a breakId ends the open one (incident-service refuses when none is open).
          const open = breaks.find((b) => b.AStart > 0 && b.AEnd === 0)?.ID;
          const id = input.breakId ?? (input.action === 'endBreak' ? (open ?? '0000') : undefined);
          return {
            Shift: {
              ShiftId: shiftId,
              SeatId: seatId,
              Breaks: [
                {
                  ...(id !== undefined ? { ID: id } : {}),
                  ...(input.type !== undefined ? { Type: input.type } : {}),
                  ...(input.notes !== undefined ? { Notes: input.notes } : {}),
                },
              ],
            },
          };
        }
        case 'markDelayed':
        case 'markAbsent':
        case 'markOnLeave':
          return { Shift: { ShiftId: shiftId } };
      }
    })();
    const data = (await this.workforce.op(caller, target, op, args)) as Matrix;
    if (input.action !== 'publish') return shiftView(data);
    // Publishing is idempotent: a shift already published (or further) is left as it is and answered.
    const [published] = (data['Shifts'] as Matrix[]) ?? [];
    return shiftView(published ?? (await this.workforce.shift(caller, target, shiftId)));
  }
}
