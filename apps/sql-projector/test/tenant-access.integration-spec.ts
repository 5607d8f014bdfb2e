import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { TENANT_ROLE_COMMANDS, type TenantRoleCredentialsV1 } from '@matrix/contracts';
import { CommandFailedError, type CommandBus } from '@matrix/messaging';
import type { Database } from '@matrix/persistence';
import type { TestDatabase } from '@matrix/testing';
import { sensorDataRow } from '../src/sensor-data/sensor-data-row';
import { SensorDataRepository } from '../src/sensor-data/sensor-data.repository';
import { scramVerifier } from '../src/tenant-roles/scram-verifier';
import { hhmm, seededPoint } from './projector-fixtures';
import { ProjectorHarness } from './projector-harness';

/*
 * Tenant roles on a real PostgreSQL, made through the NATS commands sql-projector serves: two properties'
 * roles each see only their own rows of every customer-visible table, run the documented queries
 * (reference §5) verbatim, and can neither write, create, read other schemas nor switch their policy off;
 * rotate and revoke end their sessions. (The local server trusts 127.0.0.1, so passwords are checked
 * against the SCRAM verifier PostgreSQL stored, not by a refused login.)
 */

const harness = new ProjectorHarness('tenants');
let database: TestDatabase;
let app: INestApplication;
let bus: CommandBus;
let sql: Database;
const tenants: Client[] = [];
const created: TenantRoleCredentialsV1[] = [];

const DAY = '2022-06-01';
/** Building → property of the seeded rows: two properties, the first with two buildings. */
const BUILDINGS = { 'b-a1': 'prop-a', 'b-a2': 'prop-a', 'b-b1': 'prop-b' } as const;

const create = async (propId: string) => {
  const credentials = await bus.request(TENANT_ROLE_COMMANDS.create, { propId });
  created.push(credentials);
  return credentials;
};
const connect = async (connectionString: string) => {
  const client = new Client({ connectionString });
  client.on('error', () => undefined); // a session ended by revoke errors on its socket too
  await client.connect();
  tenants.push(client);
  return client;
};
/** The SQLSTATE a statement fails with (or `ok`). */
const sqlState = (client: Client, text: string) =>
  client.query(text).then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? String(error),
  );

beforeAll(async () => {
  ({ db: database, app, sql, commands: bus } = await harness.start());

  // The other services' schemas, as their migrations leave them (owned by the platform's role).
  for (const schema of ['registry', 'workforce', 'router']) {
    await sql.query(`create schema if not exists ${schema}`);
    await sql.query(`create table ${schema}.secrets (id int primary key, value text)`);
    await sql.query(`insert into ${schema}.secrets values (1, 'not for tenants')`);
  }

  // One day of people counts and feedback in every building: per zone a count each 15 minutes.
  let seq = 0;
  const rows = Object.entries(BUILDINGS).flatMap(([pid, propId], b) =>
    ['zone-1', 'zone-2'].flatMap((zone, z) => [
      ...Array.from({ length: 96 }, (_, i) =>
        seededPoint({
          pid,
          propId,
          zone,
          type: 'PPLCTR',
          at: `${DAY}T${hhmm(i * 15 + 1)}+08:00`,
          v: { count: b + z + 1, out_count: 0 },
        }),
      ),
      ...[b + 1, z + 3].map((rating, i) =>
        seededPoint({ pid, propId, zone, type: 'FD', at: `${DAY}T${hhmm(600 + i)}+08:00`, v: { rating } }),
      ),
    ]),
  );
  const results = await app
    .get(SensorDataRepository)
    .write(rows.map(({ msgId, point }) => sensorDataRow(msgId, ++seq, point)));
  expect(results.every((result) => result.kind === 'inserted')).toBe(true);

  await sql.query(`select matrix.ensure_events_partition($1)`, [`${DAY}T00:00:00Z`]);
  for (const [pid, propId] of Object.entries(BUILDINGS)) {
    await sql.query(
      `insert into matrix.events (msg_id, principal, pid, prop_id, module, event_id, priority, routing_key,
                                  time, description, meta, payload, stream_seq)
       values ($1, $2, $2, $3, 'grids', 'E1', 'P3', 'rk', $4, 'test event', '{}', '{}', 1)`,
      [`event-${pid}`, pid, propId, `${DAY}T04:00:00Z`],
    );
  }
});

afterAll(async () => {
  await Promise.all(tenants.map((client) => client.end().catch(() => undefined)));
  // Roles are cluster-wide: revoke every role this suite made (one already revoked answers NOT_FOUND).
  for (const { propId } of created) {
    await bus?.request(TENANT_ROLE_COMMANDS.revoke, { propId }).catch(() => undefined);
  }
  await harness.stop();
});

describe('tenant roles', () => {
  let a: Client;
  let b: Client;
  let roleA: TenantRoleCredentialsV1;

  beforeAll(async () => {
    roleA = await create('prop-a');
    a = await connect(roleA.connectionString);
    b = await connect((await create('prop-b')).connectionString);
  });

  it('are made by the create command: a login role in matrix_tenant, its password stored as a SCRAM verifier', async () => {
    expect(roleA.role).toMatch(/^matrix_t_[0-9a-f]{20}$/);
    expect(roleA.connectionString).toBe(
      `postgres://${roleA.role}:${roleA.password}@${new URL(database.url).host}/${database.name}`,
    );
    const [row] = await sql.query<{ verifier: string; login: boolean; member: boolean; limit: number }>(
      `select rolpassword as verifier, rolcanlogin as login, rolconnlimit as limit,
              pg_has_role(oid, 'matrix_tenant', 'member') as member
         from pg_authid where rolname = $1`,
      [roleA.role],
    );
    expect(row).toMatchObject({ login: true, member: true, limit: 10 });
    const salt = Buffer.from(row!.verifier.split('$')[1]!.split(':')[1]!, 'base64');
    expect(scramVerifier(roleA.password, salt)).toBe(row!.verifier);
    expect((await a.query('select session_user as who')).rows).toEqual([{ who: roleA.role }]);
    // Its sessions start with the tenant limits: a runaway query or an idle transaction ends.
    const limits = await a.query(
      `select current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle,
              current_setting('temp_file_limit') as temp, current_setting('work_mem') as work_mem,
              current_setting('parallel_setup_cost') as parallel_setup, current_setting('jit') as jit`,
    );
    expect(limits.rows).toEqual([
      { statement: '1min', idle: '1min', temp: '1GB', work_mem: '16MB', parallel_setup: '200', jit: 'off' },
    ]);
  });

  it('refuses a second role for the same property', async () => {
    await expect(bus.request(TENANT_ROLE_COMMANDS.create, { propId: 'prop-a' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(bus.request(TENANT_ROLE_COMMANDS.create, { propId: '' })).rejects.toBeInstanceOf(
      CommandFailedError,
    );
  });

  it("see only their property's rows in every customer-visible table", async () => {
    const seen = async (client: Client, table: string, column: string) =>
      (
        await client.query(
          `select ${column} as prop, count(*)::int as n from matrix.${table} group by 1 order by 1`,
        )
      ).rows;
    const all = await sql.query(
      `select propid as prop, count(*)::int as n from matrix.sensor_data group by 1 order by 1`,
    );
    expect(all).toEqual([
      { prop: 'prop-a', n: 2 * 2 * 98 },
      { prop: 'prop-b', n: 2 * 98 },
    ]);
    expect(await seen(a, 'sensor_data', 'propid')).toEqual([{ prop: 'prop-a', n: 392 }]);
    expect(await seen(b, 'sensor_data', 'propid')).toEqual([{ prop: 'prop-b', n: 196 }]);
    // 96 buckets of PPLCTR and one of FD per zone.
    expect(await seen(a, 'sensor_data_15m', 'propid')).toEqual([{ prop: 'prop-a', n: 2 * 2 * 97 }]);
    expect(await seen(b, 'sensor_data_15m', 'propid')).toEqual([{ prop: 'prop-b', n: 2 * 97 }]);
    expect(await seen(a, 'events', 'prop_id')).toEqual([{ prop: 'prop-a', n: 2 }]);
    expect(await seen(b, 'events', 'prop_id')).toEqual([{ prop: 'prop-b', n: 1 }]);
    // Naming the other property's building finds nothing.
    expect(
      (await a.query(`select count(*)::int as n from matrix.sensor_data where pid = 'b-b1'`)).rows,
    ).toEqual([{ n: 0 }]);
  });

  it('run the documented example queries (reference §5) verbatim and get their own numbers', async () => {
    const totalPeople = (pid: string) => `
      select insid as Zone, sum(cast(v->>'count' as integer)) TotalPeople from matrix.sensor_data
      where pid = '${pid}' and month = '06' and dom = '01' and devtype = 'SMARTCLEAN#PPLCTR'
      and time >= '2022-06-01T00:00:00+08:00' and time <= '2022-06-01T23:59:59+08:00' group by insid;`;
    const averageRating = (pid: string) => `
      select insid as Zone, avg(cast(v->>'rating' as integer)) AverageRating from matrix.sensor_data
      where pid = '${pid}' and month = '06' and dom = '01' and devtype = 'SMARTCLEAN#FD'
      and time >= '2022-06-01T00:00:00+08:00' and time <= '2022-06-01T23:59:59+08:00' group by insid;`;
    const byZone = (rows: Record<string, string>[], column: string) =>
      Object.fromEntries(rows.map((row) => [row['zone'], Number(row[column])]));

    // b-a2 is the second building (b = 1): counts 2 and 3 per quarter hour, ratings (2, 3) and (2, 4).
    expect(byZone((await a.query(totalPeople('b-a2'))).rows, 'totalpeople')).toEqual({
      'zone-1': 96 * 2,
      'zone-2': 96 * 3,
    });
    expect(byZone((await a.query(averageRating('b-a2'))).rows, 'averagerating')).toEqual({
      'zone-1': 2.5,
      'zone-2': 3,
    });
    expect(byZone((await b.query(totalPeople('b-b1'))).rows, 'totalpeople')).toEqual({
      'zone-1': 96 * 3,
      'zone-2': 96 * 4,
    });
    // The same queries for another property's building answer nothing.
    expect((await a.query(totalPeople('b-b1'))).rows).toEqual([]);
    expect((await b.query(averageRating('b-a2'))).rows).toEqual([]);

    // The rollup query of docs/data-formats.md, as a tenant.
    const rollup = await a.query(`
      select insid as zone, sum(count_sum) as total_people
        from matrix.sensor_data_15m
       where pid = 'b-a2' and devtype = 'SMARTCLEAN#PPLCTR'
         and bucket >= (date '2022-06-01')::timestamp at time zone 'Asia/Singapore'
         and bucket <  (date '2022-06-02')::timestamp at time zone 'Asia/Singapore'
       group by insid order by insid`);
    expect(rollup.rows).toEqual([
      { zone: 'zone-1', total_people: String(96 * 2) },
      { zone: 'zone-2', total_people: String(96 * 3) },
    ]);
  });

  it('evaluate the policy once per query (an InitPlan), not per row', async () => {
    const text = (
      await a.query(`explain (verbose, costs off) select count(*) from matrix.sensor_data where pid = 'b-a1'`)
    ).rows
      .map((row: Record<string, string>) => row['QUERY PLAN'])
      .join('\n');
    // One InitPlan calls the function; every partition's scan compares propid to its result.
    expect(text.match(/matrix\.tenant_property\(\)/g)).toHaveLength(1);
    expect(text).toMatch(/InitPlan 1 \(returns \$0\)/);
    expect(text).toMatch(/propid = \$0/);
  });

  it('may have parallel plans: the policy function is parallel safe', async () => {
    // One parallel-unsafe function anywhere in a query keeps all of it in one process; the policy's
    // function is in every tenant query. The seeded rows are too few for the planner to want workers
    // unless they cost nothing and the scan is a sequential one (which workers share block by block).
    const session = await connect(roleA.connectionString);
    for (const setting of [
      'enable_indexscan = off',
      'enable_indexonlyscan = off',
      'enable_bitmapscan = off',
      'parallel_setup_cost = 0',
      'parallel_tuple_cost = 0',
      'min_parallel_index_scan_size = 0',
      'min_parallel_table_scan_size = 0',
    ]) {
      await session.query(`set ${setting}`);
    }
    const text = (
      await session.query(
        `explain (costs off) select insid, v from matrix.sensor_data where pid = 'b-a1' and devtype = 'SMARTCLEAN#PPLCTR'`,
      )
    ).rows
      .map((row: Record<string, string>) => row['QUERY PLAN'])
      .join('\n');
    expect(text).toMatch(/^Gather/);
    expect(text).toMatch(/InitPlan 1/);
    expect(text).toMatch(/propid = \$0/);
    expect(
      (
        await sql.query<{ proparallel: string }>(
          `select proparallel from pg_proc where oid = 'matrix.tenant_property()'::regprocedure`,
        )
      )[0],
    ).toEqual({ proparallel: 's' });
  });

  it.each([
    [
      'insert',
      `insert into matrix.sensor_data_15m (pid, insid, devtype, bucket) values ('x', 'x', 'x', now())`,
    ],
    ['update', `update matrix.sensor_data set v = '{}' where pid = 'b-a1'`],
    ['delete', `delete from matrix.events`],
    ['truncate', `truncate matrix.sensor_data_15m`],
    ['create in matrix', `create table matrix.mine (id int)`],
    ['create in public', `create table public.mine (id int)`],
    ['create a view in matrix', `create view matrix.mine as select 1`],
    ['create a temporary table', `create temporary table mine (id int)`],
    ['read registry', `select * from registry.secrets`],
    ['read workforce', `select * from workforce.secrets`],
    ['read router', `select * from router.secrets`],
    ['read the role map', `select * from matrix.tenant_roles`],
    ['read the sinks (sealed connection strings)', `select * from matrix.sql_sinks`],
    ['read the compaction record', `select * from matrix.partition_compactions`],
    ['read a partition directly', `select * from matrix.sensor_data_20220601`],
    ['create a partition', `select matrix.ensure_sensor_data_partition(now() + interval '5 years')`],
    ['rebuild the rollup', `select matrix.rebuild_sensor_data_15m('-infinity', 'infinity')`],
    ['widen a policy', `select matrix.apply_tenant_policy('matrix.sensor_data', 'pid')`],
    ['drop the policy', `drop policy tenant_property on matrix.sensor_data`],
  ])('are refused: %s (42501 insufficient_privilege)', async (_, statement) => {
    expect(await sqlState(a, statement)).toBe('42501');
  });

  it('cannot switch row-level security off or become the group role to see more', async () => {
    await a.query('set row_security = off');
    // With row_security off, a query a policy would filter fails rather than showing every row.
    expect(await sqlState(a, 'select count(*) from matrix.sensor_data')).toBe('42501');
    await a.query('reset row_security');
    await a.query('set role matrix_tenant');
    // The policy reads session_user, which SET ROLE does not change.
    expect((await a.query(`select count(*)::int as n from matrix.sensor_data`)).rows).toEqual([{ n: 392 }]);
    await a.query('reset role');
  });

  it('rotate: a new password, the open sessions ended', async () => {
    const c = await create('prop-c');
    const session = await connect(c.connectionString);
    const rotated = await bus.request(TENANT_ROLE_COMMANDS.rotate, { propId: 'prop-c' });
    expect(rotated.role).toBe(c.role);
    expect(rotated.password).not.toBe(c.password);
    const [row] = await sql.query<{ verifier: string }>(
      `select rolpassword as verifier from pg_authid where rolname = $1`,
      [c.role],
    );
    const salt = Buffer.from(row!.verifier.split('$')[1]!.split(':')[1]!, 'base64');
    expect(scramVerifier(rotated.password, salt)).toBe(row!.verifier);
    expect(scramVerifier(c.password, salt)).not.toBe(row!.verifier);
    expect(await sqlState(session, 'select 1')).not.toBe('ok');
    await expect(bus.request(TENANT_ROLE_COMMANDS.rotate, { propId: 'prop-none' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('revoke: the role is dropped and its open session ended, so the login is over', async () => {
    const d = await create('prop-d');
    const session = await connect(d.connectionString);
    expect(await sqlState(session, 'select 1')).toBe('ok');
    await expect(
      bus.request(TENANT_ROLE_COMMANDS.revoke, { propId: 'prop-d', role: roleA.role }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const revoked = await bus.request(TENANT_ROLE_COMMANDS.revoke, { propId: 'prop-d', role: d.role });
    expect(revoked).toEqual({ role: d.role, propId: 'prop-d', sessionsEnded: 1 });
    expect(await sqlState(session, 'select 1')).not.toBe('ok');
    await expect(connect(d.connectionString)).rejects.toMatchObject({ code: '28000' });
    expect(await sql.query(`select 1 from pg_roles where rolname = $1`, [d.role])).toEqual([]);
    expect(await sql.query(`select 1 from matrix.tenant_roles where prop_id = 'prop-d'`)).toEqual([]);
  });
});
