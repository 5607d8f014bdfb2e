import { Module } from '@nestjs/common';
import { TimesheetActions } from './timesheet-actions';
import { TimesheetQueryActions } from './timesheet-query-actions';
import { TimesheetsRepository } from './timesheets.repository';

/**
 * Timesheets: the timesheet op groups of the workforce actions API (requests, edits, approvals and
 * rejections; the lists — composed by actions/) and `workforce.timesheets`. They read shifts by SQL on
 * `workforce.shifts` (never through the shifts feature) and publish no event (none is documented).
 */
@Module({
  providers: [TimesheetActions, TimesheetQueryActions, TimesheetsRepository],
  exports: [TimesheetActions, TimesheetQueryActions],
})
export class TimesheetsModule {}
