import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Seat availability (the Matrix documentation, §7.4 "Availability"): per seat and day of the week
 * (0 = Sunday … 6) one or two time slots in seconds since local midnight (`[{StartTime, EndTime, Name,
 * NextDay}]`) and, from `updateSeatAvailability`, that day's own zones (`{<building>: {<zone>: <name>}}`);
 * and per seat and building the zones the seat is available for. Rows go with their seat.
 */
export class SeatAvailability1766000000100 implements MigrationInterface {
  name = 'SeatAvailability1766000000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table workforce.seat_availability (
        seat_id     text not null references workforce.seats (seat_id) on delete cascade,
        prop_id     text not null,
        dow         smallint not null check (dow between 0 and 6),
        time_slots  jsonb not null check (jsonb_typeof(time_slots) = 'array'),
        zones       jsonb check (jsonb_typeof(zones) = 'object'),
        created_by  text not null,
        created_on  timestamptz not null default now(),
        modified_by text not null,
        modified_on timestamptz not null default now(),
        primary key (seat_id, dow)
      )`);
    await runner.query(
      `create index seat_availability_property on workforce.seat_availability (prop_id, dow)`,
    );
    await runner.query(`
      create table workforce.seat_availability_zones (
        seat_id     text not null references workforce.seats (seat_id) on delete cascade,
        pid         text not null,
        prop_id     text not null,
        zones       jsonb not null check (jsonb_typeof(zones) = 'object'),
        created_by  text not null,
        created_on  timestamptz not null default now(),
        modified_by text not null,
        modified_on timestamptz not null default now(),
        primary key (seat_id, pid)
      )`);
    await runner.query(
      `create index seat_availability_zones_property on workforce.seat_availability_zones (prop_id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop table workforce.seat_availability_zones`);
    await runner.query(`drop table workforce.seat_availability`);
  }
}
