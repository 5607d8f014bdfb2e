import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Seats removed with `DELETE /v1/properties/{propId}/seats/{seatId}`: kept so a seat id is never given to
 * another person (the property's next seat is numbered after these too) and resolved incidents that name
 * it stay attributable.
 */
export class DeletedSeats1765000000010 implements MigrationInterface {
  name = 'DeletedSeats1765000000010';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table workforce.deleted_seats (
        seat_id    text primary key,
        org_id     text not null,
        prop_id    text not null,
        user_name  text not null,
        user_group text not null,
        deleted_by text not null,
        deleted_on timestamptz not null default now()
      )`);
    await runner.query(`create index deleted_seats_property on workforce.deleted_seats (prop_id, seat_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop table workforce.deleted_seats`);
  }
}
