import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { epochSeconds, field, missing, object, text, wrong, type Args } from '../ops/args';
import { allow, building, notFound, seconds, type OpGroup, type OpTable } from '../ops/op-table';
import { SeatsRepository } from '../seats/seats.repository';
import { dayOfWeekAt, daysOfWeek, dayZones, timeSlots, zonesOfBuilding } from './availability-args';
import {
  AvailabilityRepository,
  canonicalSlot,
  type AvailabilityRow,
  type DayPlan,
} from './availability.repository';
import { DAY_SECONDS } from '../ops/local-time';
import { windowsInRange } from './seat-availability';

/** Longest range `scteams.findAvailabilityForLeave` answers (its documented example spans 459 days). */
export const MAX_LEAVE_RANGE_DAYS = 731;

/** A day's availability in the documented field names. */
export function matrixAvailability(row: AvailabilityRow): Record<string, unknown> {
  return {
    ID: row.prop_id,
    ATTR: `attr#availability#${row.seat_id}#${row.dow}`,
    SeatId: row.seat_id,
    PropID: row.prop_id,
    DayOfWeek: row.dow,
    TimeSlots: row.time_slots.map(canonicalSlot),
    ...(row.zones ? { Zones: row.zones } : {}),
    CreatedBy: row.created_by,
    CreatedOn: seconds(row.created_on),
    ModifiedBy: row.modified_by,
    ModifiedOn: seconds(row.modified_on),
  };
}

/** The property of the call: the building's (`pid`), or with `pid=scnoop` the one the gateway resolved. */
function propertyOf(command: ActionCommandV1): string {
  const propId = command.building?.propId ?? command.property?.propId;
  if (!propId) throw new CommandError('MISSING_PARAMETERS', `${command.op} needs propid`);
  return propId;
}

const dayList = (days: readonly number[]) => `day${days.length > 1 ? 's' : ''} ${days.join(', ')}`;

/**
 * The ten availability ops and `scteams.findAvailabilityForLeave` (the Matrix documentation, §4.4
 * "Availability", §7.4): a seat's week plan of time slots per day of the week, the zones it is available
 * for per building, and its plan as windows in a time range. Changes need a `write` credential; no event
 * is documented for availability and none is published.
 */
@Injectable()
export class AvailabilityActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.createSeatAvailability': (c) => this.create(c),
    'scteams.updateSeatAvailability': (c) => this.update(c),
    'scteams.deleteSeatAvailability': (c) => this.delete(c),
    'scteams.getAvailabilityBySeatId': (c) => this.ofSeat(c),
    'scteams.getAvailabilityByProperty': (c) => this.ofProperty(c),
    'scteams.getAvailabilityInPropertyForDow': (c) => this.ofDay(c),
    'scteams.createAvailabilityZones': (c) => this.createZones(c),
    'scteams.updateAvailabilityZones': (c) => this.updateZones(c),
    'scteams.deleteAvailabilityZones': (c) => this.deleteZones(c),
    'scteams.getAvailabilityZones': (c) => this.zones(c),
    'scteams.findAvailabilityForLeave': (c) => this.forLeave(c),
  };

  constructor(
    private readonly availability: AvailabilityRepository,
    private readonly seats: SeatsRepository,
  ) {}

  /** The active seat of the property that `args[SeatId]` names (NOT_FOUND otherwise). */
  private async seat(
    command: ActionCommandV1,
    args: Args,
    path: string,
  ): Promise<{ propId: string; seatId: string }> {
    const propId = propertyOf(command);
    const seatId = text(args, 'SeatId', path);
    if (!(await this.seats.findActive(propId, seatId))) throw notFound(`seat ${seatId}`);
    return { propId, seatId };
  }

  /** `Availability{SeatId, DaysOfWeek, TimeSlots}`: the same slots on every day named. */
  private async create(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const body = object(command.args, 'Availability');
    const days = daysOfWeek(body, 'DaysOfWeek', 'Availability.DaysOfWeek');
    const slots = timeSlots(body, 'TimeSlots', 'Availability.TimeSlots');
    const { propId, seatId } = await this.seat(command, body, 'Availability.SeatId');
    const plans = days.map((dow) => ({ dow, slots, zones: null }));
    const outcome = await this.availability.create(propId, seatId, plans, command.caller.accessKey);
    if ('conflict' in outcome) {
      throw new CommandError(
        'ALREADY_EXISTS',
        `seat ${seatId} already has another availability on ${dayList(outcome.conflict)}; change it with scteams.updateSeatAvailability`,
      );
    }
    return {
      message: outcome.created
        ? 'Availability created'
        : 'Availability already created by an identical request',
      data: outcome.rows.map(matrixAvailability),
    };
  }

  /** `SeatId, Availabilities[{DayOfWeek, TimeSlots, Zones?}]`: each day named replaced whole. */
  private async update(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const list = field(command.args, 'Availabilities');
    if (list === undefined) throw missing('Availabilities');
    if (!Array.isArray(list) || list.length === 0 || list.length > 7) {
      throw wrong('Availabilities', 'must be a list of 1 to 7 days');
    }
    const plans: DayPlan[] = list.map((item: unknown, i) => {
      const at = `Availabilities[${i}]`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        throw wrong(at, 'must be an object');
      }
      const day = item as Args;
      return {
        dow: dayOfWeekAt(field(day, 'DayOfWeek'), `${at}.DayOfWeek`),
        slots: timeSlots(day, 'TimeSlots', `${at}.TimeSlots`),
        zones: dayZones(command, day, `${at}.Zones`),
      };
    });
    const twice = plans.findIndex((plan, i) => plans.findIndex((p) => p.dow === plan.dow) !== i);
    if (twice >= 0) throw wrong(`Availabilities[${twice}].DayOfWeek`, `names day ${plans[twice]!.dow} twice`);
    const { propId, seatId } = await this.seat(command, command.args, 'SeatId');
    const outcome = await this.availability.update(propId, seatId, plans, command.caller.accessKey);
    if ('missing' in outcome) {
      throw new CommandError(
        'NOT_FOUND',
        `seat ${seatId} has no availability on ${dayList(outcome.missing)}; create it with scteams.createSeatAvailability`,
      );
    }
    return { message: 'Availability updated', data: outcome.rows.map(matrixAvailability) };
  }

  /** `SeatId, Availability{DaysOfWeek}`: a day without availability is not an error (a retried delete). */
  private async delete(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const days = daysOfWeek(object(command.args, 'Availability'), 'DaysOfWeek', 'Availability.DaysOfWeek');
    const { propId, seatId } = await this.seat(command, command.args, 'SeatId');
    const deleted = await this.availability.delete(propId, seatId, days);
    return {
      message:
        deleted.length > 0 ? `Availability deleted for ${dayList(deleted)}` : 'No availability on those days',
      data: { SeatId: seatId, DaysOfWeek: deleted },
    };
  }

  private async ofSeat(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { seatId } = await this.seat(command, command.args, 'SeatId');
    return { data: (await this.availability.ofSeat(seatId)).map(matrixAvailability) };
  }

  /** No arguments (the SDKs send `null`): every active seat of the property, by seat then day. */
  private async ofProperty(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    return { data: (await this.availability.ofProperty(propertyOf(command))).map(matrixAvailability) };
  }

  private async ofDay(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const dow = dayOfWeekAt(field(command.args, 'DayOfWeek'), 'DayOfWeek');
    return { data: (await this.availability.ofProperty(propertyOf(command), dow)).map(matrixAvailability) };
  }

  private async zonesAnswer(propId: string, seatId: string): Promise<Record<string, unknown>> {
    return { SeatId: seatId, PropID: propId, Zones: await this.availability.zonesOf(seatId) };
  }

  /** `SeatAvailabilityZones{SeatId, Zones{<pid>: {<zone id>: <name>}}}`, zones of the call's building. */
  private async createZones(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const body = object(command.args, 'SeatAvailabilityZones');
    const zones = zonesOfBuilding(command, body, 'Zones', 'SeatAvailabilityZones.Zones');
    const { propId, seatId } = await this.seat(command, body, 'SeatAvailabilityZones.SeatId');
    const { pid } = building(command);
    const outcome = await this.availability.createZones(propId, seatId, pid, zones, command.caller.accessKey);
    if (outcome === 'conflict') {
      throw new CommandError(
        'ALREADY_EXISTS',
        `seat ${seatId} already has other availability zones in building ${pid}; change them with scteams.updateAvailabilityZones`,
      );
    }
    return {
      message:
        outcome === 'created'
          ? 'Availability zones created'
          : 'Availability zones already created by an identical request',
      data: await this.zonesAnswer(propId, seatId),
    };
  }

  private async updateZones(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const body = object(command.args, 'SeatAvailabilityZones');
    const zones = zonesOfBuilding(command, body, 'Zones', 'SeatAvailabilityZones.Zones');
    const { propId, seatId } = await this.seat(command, body, 'SeatAvailabilityZones.SeatId');
    const { pid } = building(command);
    if (!(await this.availability.updateZones(propId, seatId, pid, zones, command.caller.accessKey))) {
      throw new CommandError(
        'NOT_FOUND',
        `seat ${seatId} has no availability zones in building ${pid}; create them with scteams.createAvailabilityZones`,
      );
    }
    return { message: 'Availability zones updated', data: await this.zonesAnswer(propId, seatId) };
  }

  /** `SeatId`: the seat's zones in every building of the property go (a retried delete finds none). */
  private async deleteZones(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const { propId, seatId } = await this.seat(command, command.args, 'SeatId');
    const buildings = await this.availability.deleteZones(propId, seatId);
    return {
      message: buildings.length > 0 ? 'Availability zones deleted' : 'The seat had no availability zones',
      data: { SeatId: seatId, PropID: propId, DeletedBuildings: buildings },
    };
  }

  private async zones(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { propId, seatId } = await this.seat(command, command.args, 'SeatId');
    return { data: await this.zonesAnswer(propId, seatId) };
  }

  /**
   * `StartTime, EndTime, SeatId`: the seat's availability windows that overlap the range, as instants in
   * the building's time zone (the week plan laid on the calendar), earliest first.
   */
  private async forLeave(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { timeZone } = building(command);
    const from = epochSeconds(command.args, 'StartTime');
    const to = epochSeconds(command.args, 'EndTime');
    if (to <= from) throw wrong('EndTime', 'must be after StartTime');
    if (to - from > MAX_LEAVE_RANGE_DAYS * DAY_SECONDS) {
      throw wrong('EndTime', `must be at most ${MAX_LEAVE_RANGE_DAYS} days after StartTime`);
    }
    const { seatId } = await this.seat(command, command.args, 'SeatId');
    const days = (await this.availability.ofSeat(seatId)).map((row) => ({
      dow: row.dow,
      slots: row.time_slots,
    }));
    return {
      data: {
        SeatId: seatId,
        StartTime: from,
        EndTime: to,
        TimeZone: timeZone,
        Availabilities: windowsInRange(days, from, to, timeZone),
      },
    };
  }
}
