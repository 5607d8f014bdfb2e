import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { optionalEpochSeconds, wrong } from '../ops/args';
import { building, seconds, type OpGroup, type OpTable } from '../ops/op-table';
import { activeSeat } from '../seats/active-seat';
import { SeatsRepository } from '../seats/seats.repository';
import { TASK_GROUP_STATUSES } from './task-lifecycle';
import { TasksRepository, type TaskCounts } from './tasks.repository';

/** The range a metrics body leaves open: one day before `EndTime`, or up to now after `StartTime`. */
export const DEFAULT_METRICS_RANGE = 86_400;

/**
 * The task metrics of a building (`getTaskGroupMetricsForID`) or one seat of it
 * (`getTaskGrouptMetricsForSeatID` — the documented op name, typo included), over the task groups that
 * start in `[StartTime, EndTime]`:
 * `{StartTime, EndTime, SeatId?, Total, ByStatus{<status>: n}, ByType{TASK, ADHOC}, Completed{Total,
 * OnTime, Late}, AverageDurationInSeconds}` — on time = `AEnd` ≤ `End`; duration = `AEnd − AStart` less
 * the time paused, averaged over the completed ones (null when none).
 */
@Injectable()
export class TaskMetricsActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.getTaskGroupMetricsForID': (c, now) => this.metrics(c, now, false),
    'scteams.getTaskGrouptMetricsForSeatID': (c, now) => this.metrics(c, now, true),
  };

  constructor(
    private readonly tasks: TasksRepository,
    private readonly seats: SeatsRepository,
  ) {}

  private async metrics(command: ActionCommandV1, now: Date, ofSeat: boolean): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const [from, to] = metricsRange(command, seconds(now));
    const seatId = ofSeat ? await activeSeat(this.seats, command) : undefined;
    const counts = await this.tasks.counts(pid, seatId, from, to);
    return {
      data: { StartTime: from, EndTime: to, ...(seatId ? { SeatId: seatId } : {}), ...summary(counts) },
    };
  }
}

/** `StartTime`/`EndTime`, either may be left out: `EndTime` now, `StartTime` one day before `EndTime`. */
function metricsRange(command: ActionCommandV1, now: number): [number, number] {
  const from = optionalEpochSeconds(command.args, 'StartTime');
  const to = optionalEpochSeconds(command.args, 'EndTime') ?? Math.max(now, from ?? 0);
  const start = from ?? Math.max(0, to - DEFAULT_METRICS_RANGE);
  if (to < start) throw wrong('EndTime', 'must not be before StartTime');
  return [start, to];
}

export function summary(counts: readonly TaskCounts[]) {
  const byStatus = Object.fromEntries(TASK_GROUP_STATUSES.map((status) => [status, 0])) as Record<
    string,
    number
  >;
  const byType: Record<string, number> = { TASK: 0, ADHOC: 0 };
  let total = 0;
  let onTime = 0;
  let late = 0;
  let worked = 0;
  for (const row of counts) {
    byStatus[row.status] = (byStatus[row.status] ?? 0) + row.n;
    byType[row.type] = (byType[row.type] ?? 0) + row.n;
    total += row.n;
    onTime += row.on_time;
    late += row.late;
    worked += Number(row.worked ?? 0);
  }
  const completed = byStatus['COMPLETED'] ?? 0;
  return {
    Total: total,
    ByStatus: byStatus,
    ByType: byType,
    Completed: { Total: completed, OnTime: onTime, Late: late },
    AverageDurationInSeconds: completed > 0 ? Math.round(worked / completed) : null,
  };
}
