import { Module } from '@nestjs/common';
import { SeatsModule } from '../seats/seats.module';
import { AttendanceActions } from './attendance-actions';
import { PlanningActions } from './planning-actions';
import { ShiftMetricsActions } from './shift-metrics-actions';
import { ShiftQueriesRepository } from './shift-queries.repository';
import { ShiftQueryActions } from './shift-query-actions';
import { ShiftRangeActions } from './shift-range-actions';
import { ShiftSettings } from './shift-settings';
import { ShiftWork } from './shift-work';
import { ShiftsRepository } from './shifts.repository';

/**
 * Shifts: the shift op groups of the workforce actions API (planning, the working day, reads, range lists and
 * metrics; composed by actions/), `workforce.shifts` with the task groups written with them (`task-groups.repository.ts`), and
 * the schedule settings they follow. Their SHIFT_* events go to `workforce.outbox`, relayed by the app
 * module; their deadlines are fired by the shift timer (`src/shift-timer/`). What a shift's start or end means
 * for the incidents given to it is incidents/' rule, registered in `ShiftWork` (shift-work.ts).
 */
@Module({
  imports: [SeatsModule],
  providers: [
    AttendanceActions,
    PlanningActions,
    ShiftMetricsActions,
    ShiftQueriesRepository,
    ShiftQueryActions,
    ShiftRangeActions,
    ShiftSettings,
    ShiftWork,
    ShiftsRepository,
  ],
  exports: [
    AttendanceActions,
    PlanningActions,
    ShiftMetricsActions,
    ShiftQueryActions,
    ShiftRangeActions,
    ShiftSettings,
    ShiftWork,
    ShiftsRepository,
  ],
})
export class ShiftsModule {}
