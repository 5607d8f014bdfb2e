import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { buildMatrixEvent, type SqlSinkStatusV1, SQL_SINK_COMMANDS } from '@matrix/contracts';
import { CommandFailedError, JetStreamPublisher } from '@matrix/messaging';
import type { Database } from '@matrix/persistence';
import {
  createTestDatabase,
  expectEventually,
  startSecondPostgres,
  type SecondPostgres,
  type TestDatabase,
} from '@matrix/testing';
import {
  ACTUAL_ROLLUP,
  EXPECTED_ROLLUP,
  pointMessages,
  seededPoint,
  type SeededPoint,
} from './projector-fixtures';
import { ProjectorHarness } from './projector-harness';

/*
 * Customer-hosted sinks (docs/sql.md, Customer-hosted sink) against real servers: the dedicated database
 * and one sink on the test run's PostgreSQL, and a second PostgreSQL cluster of the test's own (initdb on a
 * free port) as a customer's database that is stopped under load and started again. The copy must end with
 * every row of the property exactly once (rows and the rollup), none of another property, while the
 * projection and the other sink go on.
 */

const harness = new ProjectorHarness('sinks', {
  env: {
    MATRIX_SECRET_KEY: randomBytes(32).toString('base64'),
    SQL_SINK_POLL_MS: '100',
    SQL_SINK_MAX_BACKOFF_SECONDS: '1',
    // Small windows: a copy of this test's rows takes many steps, and messages of several points are cut.
    SQL_SINK_ROWS_PER_COPY: '100',
  },
});
let sql: Database;
let publisher: JetStreamPublisher;
let second: SecondPostgres;
let otherSink: TestDatabase;

/** A client on a sink, with the `query` the fixtures' rollup comparison uses. */
async function connect(url: string) {
  const client = new Client({ connectionString: url });
  // The test stops the server under this client: its end is expected, and it is connected again.
  client.on('error', () => undefined);
  await client.connect();
  return {
    client,
    query: async <R = Record<string, unknown>>(text: string, values?: unknown[]) =>
      (await client.query(text, values)).rows as R[],
  };
}
type Sink = Awaited<ReturnType<typeof connect>>;

const PROP_A = 'prop-sink-a';
const PROP_B = 'prop-sink-b';

/** A round of readings: people counts and feedback in two zones of a building of `propId`, `n` each. */
function readings(propId: string, pid: string, round: number, n = 6): SeededPoint[] {
  const points: SeededPoint[] = [];
  for (let i = 0; i < n; i += 1) {
    const minute = (round * n + i) % 1440;
    const at = `2022-06-01T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}+08:00`;
    points.push(
      seededPoint({
        pid,
        zone: `${pid}-z${i % 2}`,
        type: 'PPLCTR',
        at,
        v: { count: i + round, out_count: 1 },
        propId,
      }),
      seededPoint({
        pid,
        zone: `${pid}-z${i % 2}`,
        type: 'FD',
        at,
        v: { rating: (i % 5) + 1 },
        propId,
        device: `fd-${round}-${i}`,
      }),
    );
  }
  return points;
}

/** As sensor-normaliser publishes: messages of up to `perMessage` points, so a message is several rows of one sequence. */
const publishPoints = (points: SeededPoint[], perMessage = 4) =>
  publisher.publishAll(pointMessages(points, perMessage, 1024 * 1024));

let eventNo = 0;
const publishEvent = (propId: string, pid: string) => {
  eventNo += 1;
  const event = buildMatrixEvent({
    principal: pid,
    principalType: 'building',
    entity: propId,
    entityType: 'property',
    module: 'scgrids',
    eventId: 'ZONE_CREATED',
    priority: 'NORMAL',
    description: `Zone z${eventNo} was created.`,
    occurredAt: new Date(Date.UTC(2022, 5, 1, 8, 0, eventNo)),
    meta: { InsID: `z${eventNo}`, Name: `Zone ${eventNo}` },
  });
  return publisher.publish({ subject: event.RoutingKey, payload: event, msgId: `outbox:test:${eventNo}` });
};

const primaryIds = async (table: 'sensor_data' | 'events', propId: string) =>
  (
    await sql.query<{ msg_id: string }>(
      `select msg_id from matrix.${table} where ${table === 'events' ? 'prop_id' : 'propid'} = $1 order by 1`,
      [propId],
    )
  ).map((row) => row.msg_id);

const sinkIds = async (sink: Sink, table: 'sensor_data' | 'events') =>
  (await sink.query<{ msg_id: string }>(`select msg_id from matrix.${table} order by 1`)).map(
    (row) => row.msg_id,
  );

/** The sink holds exactly the property's rows of both tables, and its rollup is a GROUP BY of its rows. */
async function expectCopied(sink: Sink, propId: string) {
  const [sensor, events] = [await primaryIds('sensor_data', propId), await primaryIds('events', propId)];
  expect(sensor.length).toBeGreaterThan(0);
  expect(await sinkIds(sink, 'sensor_data')).toEqual(sensor);
  expect(await sinkIds(sink, 'events')).toEqual(events);
  expect(await sink.query(ACTUAL_ROLLUP)).toEqual(await sink.query(EXPECTED_ROLLUP));
}

const status = (propId: string) => harness.commands.request(SQL_SINK_COMMANDS.show, { propId });

beforeAll(async () => {
  second = await startSecondPostgres();
  otherSink = await createTestDatabase('sink_other');
  ({ sql } = await harness.start());
  publisher = new JetStreamPublisher(harness.nats);
}, 120_000);

afterAll(async () => {
  await harness.stop();
  await otherSink?.drop();
  await second?.destroy();
});

describe('sql-projector: customer-hosted sinks', () => {
  let sinkA: Sink;
  let sinkB: Sink;

  afterAll(async () => {
    await sinkA?.client.end();
    await sinkB?.client.end();
  });

  it('sets a sink, answering its target without the password, and creates the dedicated tables there', async () => {
    const url = second.url.replace('postgres@', 'postgres:s3cret-pw@');
    const set = await harness.commands.request(SQL_SINK_COMMANDS.set, {
      propId: PROP_A,
      connectionString: url,
    });
    expect(set).toMatchObject({ propId: PROP_A, state: 'pending', target: second.url });
    expect(JSON.stringify(set)).not.toContain('s3cret-pw');
    const stored = await sql.query(`select target_redacted from matrix.sql_sinks where prop_id = $1`, [
      PROP_A,
    ]);
    expect(stored).toEqual([{ target_redacted: second.url }]);
    await harness.commands.request(SQL_SINK_COMMANDS.set, {
      propId: PROP_B,
      connectionString: otherSink.url,
    });

    sinkA = await connect(second.url);
    sinkB = await connect(otherSink.url);
    const columns = (db: { query: Database['query'] | Sink['query'] }, table: string) =>
      db.query(
        `select column_name, data_type, is_nullable from information_schema.columns
          where table_schema = 'matrix' and table_name = $1 order by column_name`,
        [table],
      );
    await expectEventually(async () => {
      for (const table of ['sensor_data', 'sensor_data_15m', 'events']) {
        const expected = await columns(sql, table);
        expect(expected.length).toBeGreaterThan(5);
        expect(await columns(sinkA, table)).toEqual(expected);
      }
      expect((await status(PROP_A)).state).toBe('caught-up');
    });
  });

  it('copies each property its own rows exactly once, through a sink stopped under load and started again', async () => {
    const rounds = 30;
    let stoppedAt = -1;
    let restarted = false;
    for (let round = 0; round < rounds; round += 1) {
      await publishPoints([...readings(PROP_A, 'b-sink-a', round), ...readings(PROP_B, 'b-sink-b', round)]);
      await publishEvent(PROP_A, 'b-sink-a');
      await publishEvent(PROP_B, 'b-sink-b');
      if (round === 8) {
        await second.stop();
        stoppedAt = round;
        // The sink is seen down and retried, its reason shown.
        await expectEventually(async () => {
          const down: SqlSinkStatusV1 = await status(PROP_A);
          expect(down.state).toBe('retrying');
          expect(down.lastError).toEqual(expect.any(String));
          expect(down.nextAttemptAt).toEqual(expect.any(String));
        });
      }
      if (round === 20) {
        // While A's sink is down: the projection goes on (A's rows land in the dedicated database) and B's
        // sink keeps up.
        await expectEventually(async () => {
          expect((await primaryIds('sensor_data', PROP_A)).length).toBe((round + 1) * 12);
          await expectCopied(sinkB, PROP_B);
        });
        expect((await status(PROP_A)).state).toBe('retrying');
        await second.start();
        restarted = true;
      }
    }
    expect(stoppedAt).toBe(8);
    expect(restarted).toBe(true);
    await sinkA.client.end().catch(() => undefined);
    sinkA = await connect(second.url);

    await expectEventually(
      async () => {
        expect((await primaryIds('sensor_data', PROP_A)).length).toBe(rounds * 12);
        expect((await primaryIds('events', PROP_A)).length).toBe(rounds);
        await expectCopied(sinkA, PROP_A);
        await expectCopied(sinkB, PROP_B);
        const a = await status(PROP_A);
        expect(a).toMatchObject({ state: 'caught-up', lagSeconds: 0, lastError: null });
        expect(a.sensorData.copiedThrough).toBe(a.sensorData.projectedThrough);
      },
      { timeoutMs: 60_000 },
    );
    // Nothing of the other property reached either sink.
    const foreign = await sinkA.query(
      `select count(*)::int as n from matrix.sensor_data where propid <> $1`,
      [PROP_A],
    );
    expect(foreign).toEqual([{ n: 0 }]);
  });

  it('fills a sink whose tables were dropped again, a message of more rows than a copy takes read whole', async () => {
    await sinkB.query(`drop schema matrix cascade`);
    // 150 points in one message (one sequence), with SQL_SINK_ROWS_PER_COPY 100.
    await publishPoints(readings(PROP_B, 'b-sink-b', 99, 75), 150);
    await expectEventually(() => expectCopied(sinkB, PROP_B), { timeoutMs: 60_000 });
  });

  it('survives the sink ending its connection in the middle of a copy, and copies on', async () => {
    // A copy into B's sink that takes seconds, so its connection can be ended while the insert runs.
    await sinkB.query(`create function matrix.slow() returns trigger language plpgsql as
      $$ begin perform pg_sleep(3); return null; end $$`);
    await sinkB.query(
      `create trigger slow before insert on matrix.events for each statement execute function matrix.slow()`,
    );
    await publishEvent(PROP_B, 'b-sink-b');
    const [busy] = await expectEventually(async () => {
      const found = await sql.query<{ pid: number }>(
        `select pid from pg_stat_activity
          where datname = $1 and application_name = 'matrix sql-projector sink' and wait_event = 'PgSleep'`,
        [otherSink.name],
      );
      expect(found.length).toBeGreaterThan(0);
      return found;
    });
    await sql.query(`select pg_terminate_backend($1)`, [busy!.pid]);
    // The retry is not slowed down (the drop waits for the ended transaction to roll back).
    await sinkB.query(`drop trigger slow on matrix.events`);
    await expectEventually(
      async () => {
        await expectCopied(sinkB, PROP_B);
        expect((await status(PROP_B)).state).toBe('caught-up');
      },
      { timeoutMs: 60_000 },
    );
  });

  it('removes a sink: show answers NOT_FOUND, the rows already copied stay', async () => {
    const removed = await harness.commands.request(SQL_SINK_COMMANDS.remove, { propId: PROP_B });
    expect(removed).toEqual({ propId: PROP_B, target: expect.stringContaining('127.0.0.1') });
    await expect(status(PROP_B)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      harness.commands.request(SQL_SINK_COMMANDS.remove, { propId: PROP_B }),
    ).rejects.toBeInstanceOf(CommandFailedError);
    expect((await sinkIds(sinkB, 'sensor_data')).length).toBeGreaterThan(0);
  });

  it('refuses a connection string that is not a PostgreSQL URL, naming the field', async () => {
    await expect(
      harness.commands.request(SQL_SINK_COMMANDS.set, { propId: PROP_A, connectionString: 'mysql://x/y' }),
    ).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('connectionString'),
    });
  });
});
