import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `workforce.shifts` (issue 13): one row per shift — a seat's planned working window in a building (the
 * Matrix documentation, §7.4 "Shift"). Times are epoch seconds: planned `start_at`/`end_at`, actual
 * `a_start`/`a_end` (0 until clocked). `zones` maps zone id → name (empty = every zone of the building);
 * `breaks` is the list of planned and taken breaks; coordinates are −1 when unknown. `timer_at` /
 * `timer_kind` are the shift's next durable deadline (`delayed`, `absent`, `auto-clockout`), fired by
 * the leader's shift timer. Two live shifts of one seat never overlap: the exclusion constraint refuses
 * the second of two concurrent creates (ABSENT and ON_LEAVE shifts do not hold their window).
 */
export class CreateShifts1766000000000 implements MigrationInterface {
  name = 'CreateShifts1766000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`create extension if not exists btree_gist`);
    await runner.query(`
      create table workforce.shifts (
        shift_id       uuid primary key,
        org_id         text not null,
        prop_id        text not null,
        pid            text not null,
        seat_id        text not null,
        time_zone      text not null,
        start_at       bigint not null,
        end_at         bigint not null,
        a_start        bigint not null default 0,
        a_end          bigint not null default 0,
        status         text not null
                       check (status in ('UNPUBLISHED', 'PUBLISHED', 'STARTED', 'COMPLETED', 'ABSENT', 'ON_LEAVE')),
        delayed        boolean not null default false,
        breaks         jsonb not null default '[]',
        clock_in_lat   double precision not null default -1,
        clock_in_long  double precision not null default -1,
        clock_out_lat  double precision not null default -1,
        clock_out_long double precision not null default -1,
        cost           jsonb,
        zones          jsonb not null default '{}',
        description    text not null default '',
        adhoc          boolean not null default false,
        created_by     text not null,
        created_on     timestamptz not null default now(),
        modified_by    text not null,
        modified_on    timestamptz not null default now(),
        timer_at       timestamptz,
        timer_kind     text check (timer_kind in ('delayed', 'absent', 'auto-clockout')),
        check (end_at > start_at),
        check ((timer_at is null) = (timer_kind is null)),
        constraint shifts_seat_no_overlap exclude using gist
          (seat_id with =, int8range(start_at, end_at) with &&) where (status not in ('ABSENT', 'ON_LEAVE'))
      )`);
    await runner.query(`create index shifts_seat_start on workforce.shifts (seat_id, start_at)`);
    await runner.query(`create index shifts_building_start on workforce.shifts (pid, start_at, shift_id)`);
    await runner.query(`create index shifts_property_start on workforce.shifts (prop_id, start_at)`);
    await runner.query(
      `create index shifts_building_on_shift on workforce.shifts (pid, seat_id) where status = 'STARTED'`,
    );
    await runner.query(`create index shifts_timer on workforce.shifts (timer_at) where timer_at is not null`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop table workforce.shifts`);
  }
}
