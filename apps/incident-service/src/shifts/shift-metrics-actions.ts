import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { wrong } from '../ops/args';
import { allow, building, seconds, type OpGroup, type OpTable } from '../ops/op-table';
import { activeSeat } from '../seats/active-seat';
import { SeatsRepository } from '../seats/seats.repository';
import { MAX_METRICS_SPAN, ShiftQueriesRepository, type ShiftCounts } from './shift-queries.repository';
import { timeRange } from './shift-range-actions';

/** A share to four decimals, null when there is nothing to share. */
const rate = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;

/**
 * The shift metrics of a building (`getShiftMetricsForID`) or of one seat in it (`getShiftMetricsForSeatID`)
 * over the shifts in `[StartTime, EndTime]` (those the range lists answer, each counted whole):
 * `{StartTime, EndTime, ID, SeatId?, Total, ByStatus{<status>: n}, Scheduled, PlannedSeconds, WorkedSeconds,
 * Delayed, ClockedIn, Late, AverageLatenessSeconds, MaxLatenessSeconds, Absent, OnLeave, CompletionRate,
 * AttendanceRate}` — `Scheduled` the shifts published to be worked (PUBLISHED, STARTED, COMPLETED, ABSENT),
 * `PlannedSeconds` their planned length, `WorkedSeconds` clock-in to clock-out less breaks (to now for a
 * shift still running), lateness `AStart − Start` of the shifts clocked in after their Start,
 * `CompletionRate` COMPLETED / Scheduled, `AttendanceRate` (STARTED + COMPLETED) / (STARTED + COMPLETED +
 * ABSENT). `getShiftLatenessMetricsForBuilding` (known only from the Python SDK) answers the lateness part
 * for the building and per seat, worst first.
 */
@Injectable()
export class ShiftMetricsActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.getShiftMetricsForID': (c, now) => this.metrics(c, now, false),
    'scteams.getShiftMetricsForSeatID': (c, now) => this.metrics(c, now, true),
    'scteams.getShiftLatenessMetricsForBuilding': (c, now) => this.lateness(c, now),
  };

  constructor(
    private readonly queries: ShiftQueriesRepository,
    private readonly seats: SeatsRepository,
  ) {}

  private async metrics(command: ActionCommandV1, now: Date, ofSeat: boolean): Promise<ActionCommandReplyV1> {
    allow(command, 'read');
    const { pid } = building(command);
    const [from, to] = metricsRange(command);
    const seatId = ofSeat ? await activeSeat(this.seats, command) : undefined;
    const [counts] = await this.queries.counts(pid, seatId, from, to, seconds(now));
    return {
      data: {
        StartTime: from,
        EndTime: to,
        ID: pid,
        ...(seatId !== undefined ? { SeatId: seatId } : {}),
        ...summary(counts!),
      },
    };
  }

  /** `{StartTime, EndTime}`: the building's lateness, and each seat's that had shifts scheduled in the range. */
  private async lateness(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'read');
    const { pid } = building(command);
    const [from, to] = metricsRange(command);
    const [all] = await this.queries.counts(pid, undefined, from, to, seconds(now));
    const bySeat = (await this.queries.counts(pid, undefined, from, to, seconds(now), true))
      .filter((row) => scheduled(row) > 0)
      .map((row) => ({ SeatId: row.seat_id!, ...latenessOf(row) }))
      .sort((a, b) => b.TotalLatenessSeconds - a.TotalLatenessSeconds || a.SeatId.localeCompare(b.SeatId));
    return { data: { StartTime: from, EndTime: to, ID: pid, ...latenessOf(all!), BySeat: bySeat } };
  }
}

/** `StartTime`/`EndTime` of a metrics body: both required, at most {@link MAX_METRICS_SPAN} apart. */
function metricsRange(command: ActionCommandV1): [number, number] {
  const [from, to] = timeRange(command.args);
  if (to - from > MAX_METRICS_SPAN) throw wrong('EndTime', 'the range spans at most 366 days');
  return [from, to];
}

const scheduled = (c: ShiftCounts) => c.published + c.started + c.completed + c.absent;

function latenessOf(c: ShiftCounts) {
  const total = Number(c.lateness_total);
  return {
    Scheduled: scheduled(c),
    ClockedIn: c.clocked_in,
    OnTime: c.clocked_in - c.late,
    Late: c.late,
    Delayed: c.delayed,
    Absent: c.absent,
    TotalLatenessSeconds: total,
    AverageLatenessSeconds: c.late > 0 ? Math.round(total / c.late) : null,
    MaxLatenessSeconds: c.lateness_max === null ? null : Number(c.lateness_max),
  };
}

function summary(c: ShiftCounts) {
  const lateness = latenessOf(c);
  return {
    Total: c.total,
    ByStatus: {
      UNPUBLISHED: c.unpublished,
      PUBLISHED: c.published,
      STARTED: c.started,
      COMPLETED: c.completed,
      ABSENT: c.absent,
      ON_LEAVE: c.on_leave,
    },
    Scheduled: lateness.Scheduled,
    PlannedSeconds: Number(c.planned),
    WorkedSeconds: Number(c.worked),
    Delayed: c.delayed,
    ClockedIn: c.clocked_in,
    Late: c.late,
    AverageLatenessSeconds: lateness.AverageLatenessSeconds,
    MaxLatenessSeconds: lateness.MaxLatenessSeconds,
    Absent: c.absent,
    OnLeave: c.on_leave,
    CompletionRate: rate(c.completed, lateness.Scheduled),
    AttendanceRate: rate(c.started + c.completed, c.started + c.completed + c.absent),
  };
}
