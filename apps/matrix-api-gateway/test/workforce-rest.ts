import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { runMigrations } from '@matrix/persistence';
import { createTestDatabase, type TestDatabase } from '@matrix/testing';
import type { BootstrapResult } from '../src/credentials/bootstrap.command';
import { CredentialsService } from '../src/credentials/credentials.service';
import { GatewayHarness } from './gateway-harness';
/*
 * The real incident-service (its app module, migrations and command handlers) on its own database, in the
 * gateway's NATS namespace: REST v1 must reach the same workforce rules the actions API does, not a fake.
 * Apps do not import each other; the REST integration tests are the one place where both run in one process.
 */
/* eslint-disable @nx/enforce-module-boundaries -- boots the real incident-service beside the gateway */
import { AppModule as IncidentServiceModule } from '../../incident-service/src/app.module';
import { loadConfig as incidentServiceConfig } from '../../incident-service/src/config/incident-service.config';
import { persistenceOptions as incidentPersistence } from '../../incident-service/src/persistence-options';
/* eslint-enable @nx/enforce-module-boundaries */

/**
 * The gateway and the real incident-service on throwaway databases and a NATS namespace, with a building
 * (Europe/Berlin, zones Lobby and Pantry), two seats and read / write / admin credentials of the tenant,
 * and a stranger (another tenant) — what the workforce REST specs share.
 */
export class WorkforceRest {
  readonly gw: GatewayHarness;
  private incidentDb!: TestDatabase;
  private incidentService!: INestApplication;
  admin!: BootstrapResult;
  writer!: { accessKey: string; secretKey: string };
  reader!: { accessKey: string; secretKey: string };
  stranger!: BootstrapResult;
  pid!: string;
  lobby!: string;
  pantry!: string;
  seat!: string;
  otherSeat!: string;

  constructor(private readonly name: string) {
    this.gw = new GatewayHarness(name);
  }

  async start(): Promise<this> {
    const gw = this.gw;
    await gw.start();
    this.admin = gw.tenant;
    this.incidentDb = await createTestDatabase(`${this.name}-service`);
    const env = {
      DATABASE_URL: this.incidentDb.url,
      NATS_URL: gw.env['NATS_URL'],
      NATS_NAMESPACE: gw.env['NATS_NAMESPACE'],
      LOG_LEVEL: 'error',
    };
    await runMigrations(incidentPersistence(incidentServiceConfig(env)));
    this.incidentService = await NestFactory.create(
      IncidentServiceModule.forRoot(incidentServiceConfig(env)),
      { logger: false },
    );
    await this.incidentService.init();

    const admin = this.admin;
    const building = await gw.rest(admin, 'POST', `/v1/properties/${admin.propid}/buildings`, {
      name: 'Tower I',
      levelsCount: 1,
      timeZone: 'Europe/Berlin',
    });
    expect(building.status).toBe(201);
    this.pid = building.body.pid;
    const level = await gw.action(
      admin,
      { op: 'scgrids.createLevel', pid: this.pid },
      { Name: 'Ground', Level: 'L0' },
    );
    const zones = await gw.rest(admin, 'POST', `/v1/buildings/${this.pid}/zones`, {
      zones: [
        { name: 'Lobby', lid: level.body.data.LID, zoneCategoryId: 'LOBBY' },
        { name: 'Pantry', lid: level.body.data.LID },
      ],
    });
    expect(zones.status).toBe(201);
    [this.lobby, this.pantry] = zones.body.items.map((z: { insId: string }) => z.insId);
    const seats: string[] = [];
    for (const userName of ['kg', 'mt']) {
      const created = await gw.rest(admin, 'POST', `/v1/properties/${admin.propid}/seats`, {
        userName,
        userGroup: 'HOUSEKEEPING',
      });
      expect(created.status).toBe(201);
      seats.push(created.body.seatId as string);
    }
    [this.seat, this.otherSeat] = seats as [string, string];
    const credentials = gw.app.get(CredentialsService);
    this.writer = await credentials.create({ orgId: admin.org, propId: admin.propid, role: 'write' });
    this.reader = await credentials.create({ orgId: admin.org, propId: admin.propid, role: 'read' });
    this.stranger = await gw.bootstrap('OTHERCO', 'Elsewhere');
    return this;
  }

  async stop(): Promise<void> {
    await this.incidentService?.close();
    await this.incidentDb?.drop();
    await this.gw.stop();
  }

  /** Rows of incident-service's tables: `{table: count}` (to assert a refusal wrote nothing). */
  async rows<T extends string>(...tables: T[]): Promise<Record<T, number>> {
    const client = new Client({ connectionString: this.incidentDb.url });
    await client.connect();
    try {
      const counts = {} as Record<T, number>;
      for (const table of tables) {
        const { rows } = await client.query<{ n: number }>(
          `select count(*)::int as n from workforce.${table}`,
        );
        counts[table] = rows[0]!.n;
      }
      return counts;
    } finally {
      await client.end();
    }
  }

  /** A query on incident-service's database. */
  async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.incidentDb.url });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }
}

/** Day `n` after a base date well in the future (no shift or task deadline passes while tests run), at `hour` UTC, ISO 8601. */
const BASE_DAY = Math.floor(Date.now() / 86_400_000) + 20;
export const at = (day: number, hour: number, minute = 0) =>
  new Date((BASE_DAY + day) * 86_400_000 + (hour * 60 + minute) * 60_000).toISOString().replace('.000Z', 'Z');
/** The local date (YYYY-MM-DD, UTC date = Berlin date at these hours) of day `n`. */
export const dateOf = (day: number) => new Date((BASE_DAY + day) * 86_400_000).toISOString().slice(0, 10);
