import { Injectable } from '@nestjs/common';
import { DomainError } from '../domain-error';
import { notFound, RegistryError } from '../registry/registry-error';
import {
  checkAvailabilityZones,
  checkCreateAvailability,
  checkUpdateAvailability,
  parseDaysQuery,
  type SlotInput,
} from './availability-inputs';
import { availabilityView, availabilityZonesView } from './availability-views';
import { WorkforceClient, type WorkforceCaller, type WorkforceTarget } from './workforce-client';

type Matrix = Record<string, unknown>;

/** incident-service's field paths (of the documented bodies it was sent) in the REST body's names. */
const REST_NAMES: [RegExp, string][] = [
  [/Availabilities\[(\d+)\]\.TimeSlots/g, 'days[$1].timeSlots'],
  [/Availability\.TimeSlots/g, 'timeSlots'],
  [/\bTimeSlots\b/g, 'timeSlots'],
  [/\bStartTime\b/g, 'startTime'],
  [/\bEndTime\b/g, 'endTime'],
];

const restNames = (text: string) => REST_NAMES.reduce((t, [from, to]) => t.replace(from, to), text);

/** A refused body (400) as the REST body names its fields. */
function renamed(error: unknown): unknown {
  if (!(error instanceof DomainError) || error.code !== 'INVALID') return error;
  return new RegistryError('INVALID', restNames(error.message), error.details.map(restNames));
}

const slotsArg = (slots: readonly SlotInput[]) =>
  slots.map((s) => ({
    StartTime: s.start,
    EndTime: s.end,
    ...(s.name !== undefined ? { Name: s.name } : {}),
  }));

/**
 * REST v1 `/v1/properties/{propId}/seats/{seatId}/availability` and `…/availability-zones`: each route one
 * documented availability op (the Matrix documentation, §4.4 "Availability") through
 * {@link WorkforceClient}, on the property (`pid=scnoop`) or, for a building's zones, on that building.
 */
@Injectable()
export class AvailabilityService {
  constructor(private readonly workforce: WorkforceClient) {}

  /** An op whose refusals name the REST fields. */
  private async op(
    caller: WorkforceCaller,
    target: WorkforceTarget,
    op: string,
    args: Record<string, unknown>,
  ): Promise<unknown> {
    try {
      return await this.workforce.op(caller, target, op, args);
    } catch (error) {
      throw renamed(error);
    }
  }

  /** The building `pid` of the property `propId` (another property's building is NOT_FOUND). */
  private async building(
    caller: WorkforceCaller,
    propId: string,
    pid: string,
    zoneIds: readonly string[],
  ): Promise<WorkforceTarget> {
    const target = await this.workforce.building(caller, pid, 'write', zoneIds);
    if ('building' in target && target.building.propId !== propId) throw notFound('building', pid);
    return target;
  }

  async get(caller: WorkforceCaller, propId: string, seatId: string) {
    const target = await this.workforce.property(caller, propId, 'read');
    const data = await this.op(caller, target, 'scteams.getAvailabilityBySeatId', {
      SeatId: seatId,
    });
    return availabilityView(seatId, propId, data as Matrix[]);
  }

  /** The same slots on each day named that has none (retry-safe; another plan on a named day: 409). */
  async create(caller: WorkforceCaller, propId: string, seatId: string, body: unknown) {
    const input = checkCreateAvailability(body);
    const target = await this.workforce.property(caller, propId, 'write');
    const data = await this.op(caller, target, 'scteams.createSeatAvailability', {
      Availability: { SeatId: seatId, DaysOfWeek: input.daysOfWeek, TimeSlots: slotsArg(input.timeSlots) },
    });
    return availabilityView(seatId, propId, data as Matrix[]);
  }

  /** Each day named replaced whole, in one transaction (a day without a plan: 404, nothing changed). */
  async update(caller: WorkforceCaller, propId: string, seatId: string, body: unknown) {
    const days = checkUpdateAvailability(body);
    const target = await this.workforce.property(caller, propId, 'write');
    const data = await this.op(caller, target, 'scteams.updateSeatAvailability', {
      SeatId: seatId,
      Availabilities: days.map((d) => ({ DayOfWeek: d.dayOfWeek, TimeSlots: slotsArg(d.timeSlots) })),
    });
    return availabilityView(seatId, propId, data as Matrix[]);
  }

  async delete(caller: WorkforceCaller, propId: string, seatId: string, query: Record<string, unknown>) {
    const days = parseDaysQuery(query);
    const target = await this.workforce.property(caller, propId, 'write');
    await this.op(caller, target, 'scteams.deleteSeatAvailability', {
      SeatId: seatId,
      Availability: { DaysOfWeek: days },
    });
  }

  async zones(caller: WorkforceCaller, propId: string, seatId: string) {
    const target = await this.workforce.property(caller, propId, 'read');
    const data = await this.op(caller, target, 'scteams.getAvailabilityZones', { SeatId: seatId });
    return availabilityZonesView(data as Matrix);
  }

  /** The seat's zones in a building that has none (retry-safe; other zones already set: 409). */
  async createZones(caller: WorkforceCaller, propId: string, seatId: string, body: unknown) {
    const input = checkAvailabilityZones(body, true);
    return this.writeZones(
      caller,
      propId,
      seatId,
      input.pid!,
      input.zoneIds,
      'scteams.createAvailabilityZones',
    );
  }

  /** The seat's zones in the building replaced (none set: 404). */
  async replaceZones(caller: WorkforceCaller, propId: string, seatId: string, pid: string, body: unknown) {
    const input = checkAvailabilityZones(body, false);
    return this.writeZones(caller, propId, seatId, pid, input.zoneIds, 'scteams.updateAvailabilityZones');
  }

  private async writeZones(
    caller: WorkforceCaller,
    propId: string,
    seatId: string,
    pid: string,
    zoneIds: readonly string[],
    op: string,
  ) {
    const target = await this.building(caller, propId, pid, zoneIds);
    const data = await this.op(caller, target, op, {
      SeatAvailabilityZones: {
        SeatId: seatId,
        Zones: { [pid]: Object.fromEntries(zoneIds.map((id) => [id, ''])) },
      },
    });
    return availabilityZonesView(data as Matrix);
  }

  /** The seat's zones in every building of the property. */
  async deleteZones(caller: WorkforceCaller, propId: string, seatId: string): Promise<void> {
    const target = await this.workforce.property(caller, propId, 'write');
    await this.op(caller, target, 'scteams.deleteAvailabilityZones', { SeatId: seatId });
  }
}
