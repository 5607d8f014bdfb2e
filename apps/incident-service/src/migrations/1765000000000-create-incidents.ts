import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropOutboxDdl, outboxDdl } from '@matrix/persistence';
import { WORKFORCE_OUTBOX } from '../workforce-outbox';

/**
 * incident-service's first tables (issue 12): seats, incidents (open and assigned), their comments and
 * timeline, and the `workforce.outbox` of the INCIDENT_* events. Tenancy columns (org, property,
 * building) are copied from the building the gateway resolved; nothing here references another schema.
 */
export class CreateIncidents1765000000000 implements MigrationInterface {
  name = 'CreateIncidents1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table workforce.seats (
        seat_id     text primary key check (seat_id ~ '^[A-Za-z0-9-]{1,64}_[0-9]{3}$'),
        org_id      text not null,
        prop_id     text not null,
        user_name   text not null,
        user_group  text not null,
        status      text not null default 'ACTIVE' check (status in ('ACTIVE', 'INACTIVE')),
        created_on  timestamptz not null default now(),
        modified_on timestamptz not null default now(),
        check (seat_id like prop_id || '\\_%')
      )`);
    await runner.query(`create index seats_property on workforce.seats (prop_id, seat_id)`);
    await runner.query(`
      create table workforce.incidents (
        task_id          text primary key check (task_id ~ '^[0-9]{13,19}$'),
        org_id           text not null,
        prop_id          text not null,
        pid              text not null,
        zone_id          text not null,
        zone_name        text not null,
        zone_category_id text,
        name             text not null,
        description      text,
        priority         text not null check (priority in ('H', 'M', 'N', 'L')),
        start_by         bigint not null,
        due              bigint not null,
        a_start          bigint not null default 0,
        a_end            bigint not null default 0,
        status           text not null
                         check (status in ('NOT_ASSIGNED', 'ASSIGNED', 'STARTED', 'COMPLETED', 'INCOMPLETE')),
        seat_id          text not null default 'tbp',
        shift_id         text not null default 'tbp',
        by_source        text,
        event_source     text,
        auto_assigned    boolean not null default false,
        escalation_level smallint not null default 0 check (escalation_level between 0 and 3),
        tasks            jsonb not null default '[]',
        source_device_ids text[] not null default '{}',
        request_key      text,
        created_by       text not null,
        created_on       timestamptz not null default now(),
        modified_on      timestamptz not null default now(),
        check (status <> 'NOT_ASSIGNED' or (seat_id = 'tbp' and shift_id = 'tbp'))
      )`);
    await runner.query(
      `create index incidents_building_start on workforce.incidents (pid, start_by, task_id)`,
    );
    await runner.query(`create index incidents_zone on workforce.incidents (pid, zone_id, start_by)`);
    await runner.query(
      `create unique index incidents_request_key on workforce.incidents (pid, request_key) where request_key is not null`,
    );
    await runner.query(`
      create table workforce.incident_comments (
        comment_id  uuid primary key,
        task_id     text not null references workforce.incidents (task_id) on delete cascade,
        comment     text not null,
        user_name   text not null,
        created_by  text not null,
        created_on  timestamptz not null default now(),
        modified_on timestamptz not null default now()
      )`);
    await runner.query(
      `create index incident_comments_incident on workforce.incident_comments (task_id, created_on, comment_id)`,
    );
    await runner.query(`
      create table workforce.incident_timeline (
        id          bigserial primary key,
        task_id     text not null references workforce.incidents (task_id) on delete cascade,
        transition  text not null,
        from_status text,
        to_status   text not null,
        escalation_level smallint not null,
        seat_id     text not null,
        by_key      text not null,
        at          bigint not null
      )`);
    await runner.query(
      `create index incident_timeline_incident on workforce.incident_timeline (task_id, id)`,
    );
    for (const statement of outboxDdl(WORKFORCE_OUTBOX)) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const statement of dropOutboxDdl(WORKFORCE_OUTBOX)) await runner.query(statement);
    await runner.query(`drop table workforce.incident_timeline`);
    await runner.query(`drop table workforce.incident_comments`);
    await runner.query(`drop table workforce.incidents`);
    await runner.query(`drop table workforce.seats`);
  }
}
