import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `workforce.timesheets` (issue 14, item 3; the Matrix documentation, §4.4 "Timesheets", §7.4 "Timesheet"):
 * the record of the actual work of one shift (Shift 1—1 Timesheet, keyed by the shift). A COMPLETED shift
 * has a timesheet without a row here — `PENDING`, its times the shift's clock-in/out and breaks taken; a row
 * is written by the first op that changes it (a seat's request or regularization, an admin's edit, approval
 * or rejection) and from then on holds the timesheet's own times (`a_start`/`a_end`, `breaks`
 * `[{ID, Start, End, Notes, Type}]`, epoch seconds), `zones` (null = the shift's) and its history. The shift
 * keeps what was clocked; the timesheet holds what was requested, edited and approved. An ABSENT shift
 * has a timesheet only once a request (or an admin's edit) gives it times (a seat that forgot to clock in).
 * Every other column (building, seat, plan, clock-in/out coordinates) is the shift's: the lists read
 * `workforce.shifts` by its own indexes and join this table by its key.
 */
export class CreateTimesheets1766000000500 implements MigrationInterface {
  name = 'CreateTimesheets1766000000500';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table workforce.timesheets (
        shift_id                  uuid primary key references workforce.shifts (shift_id) on delete cascade,
        status                    text not null
                                  check (status in ('PENDING', 'REQUESTED', 'REGULARIZATION_REQUESTED', 'APPROVED', 'REJECTED')),
        a_start                   bigint not null,
        a_end                     bigint not null,
        breaks                    jsonb not null default '[]',
        zones                     jsonb,
        reason_for_regularization text not null default '',
        reason                    text not null default '',
        comments                  text not null default '',
        edited                    boolean not null default false,
        requested_by              text,
        requested_on              bigint,
        approved_by               text,
        approved_on               bigint,
        rejected_by               text,
        rejected_on               bigint,
        edited_by                 text,
        edited_on                 bigint,
        modified_by               text not null,
        modified_on               bigint not null,
        check (a_end > a_start and a_start > 0)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop table workforce.timesheets`);
  }
}
