import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, expectEventually, type TestDatabase } from '@matrix/testing';
import { AdvisoryLeader } from '../src/lib/advisory-leader';
import { Database } from '../src/lib/database';
import { classifyPgError, isRowValueError, sqlState } from '../src/lib/pg-errors';
import { PgListener } from '../src/lib/pg-listener';

/*
 * The PostgreSQL toolkit on a real server: transactions, the error classifier on errors PostgreSQL
 * raises, the advisory-lock leader (one leads, the other takes over when the leader's connection is
 * terminated) and the LISTEN connection reconnecting.
 */

let database: TestDatabase;
let db: Database;

const terminate = (applicationName: string) =>
  db.query<{ ok: boolean }>(
    'select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()',
    [applicationName],
  );

beforeAll(async () => {
  database = await createTestDatabase('persistence_toolkit');
  db = Database.create({ url: database.url, applicationName: 'toolkit-test', poolMax: 4 });
  await db.query('create table thing (id int primary key, name text not null check (length(name) < 10))');
});

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

describe('Database', () => {
  it('answers rows, commits a transaction that resolves and rolls back one that throws', async () => {
    await db.transaction(async (tx) => {
      await tx.query('insert into thing values ($1, $2)', [1, 'one']);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into thing values ($1, $2)', [2, 'two']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    // An update answers its rows like a select does (no [rows, count] pair).
    expect(await db.query('update thing set name = $1 where id = 1 returning id, name', ['uno'])).toEqual([
      { id: 1, name: 'uno' },
    ]);
    expect(await db.query('select id from thing order by id')).toEqual([{ id: 1 }]);
  });

  it('prepares a parameterised statement once per connection, and prepares it again when a migration changed its result', async () => {
    const one = Database.create({ url: database.url, applicationName: 'toolkit-prepare', poolMax: 1 });
    const two = Database.create({
      url: database.url,
      applicationName: 'toolkit-unprepared',
      poolMax: 1,
      prepare: false,
    });
    try {
      await one.query('create table gadget (id int primary key)');
      await one.query('insert into gadget values ($1), ($2)', [1, 2]);
      const select = 'select * from gadget where id >= $1 order by id';
      expect(await one.query(select, [1])).toEqual([{ id: 1 }, { id: 2 }]);
      expect(await two.query(select, [2])).toEqual([{ id: 2 }]);
      const prepared = async (sql: Database) =>
        (await sql.query<{ statement: string }>('select statement from pg_prepared_statements')).map(
          (row) => row.statement,
        );
      // One named statement per text on the preparing connection (the probe itself runs unnamed), none on the other.
      expect((await prepared(one)).filter((text) => text.includes('gadget'))).toEqual(
        ['insert into gadget values ($1), ($2)', select].sort(),
      );
      expect(await prepared(two)).toEqual([]);

      // Another session adds a column: the prepared plan's result type is stale, the statement is prepared anew.
      await db.query('alter table gadget add column name text');
      expect(await one.query(select, [2])).toEqual([{ id: 2, name: null }]);
      // Inside a transaction the stale plan aborts it; the next run prepares anew.
      await db.query('alter table gadget add column colour text');
      await expect(one.transaction((tx) => tx.query(select, [2]))).rejects.toThrow(
        'cached plan must not change result type',
      );
      expect(await one.transaction((tx) => tx.query(select, [2]))).toEqual([
        { id: 2, name: null, colour: null },
      ]);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('survives a pooled connection killed while idle', async () => {
    await db.query('select 1');
    await terminate('toolkit-test');
    await expectEventually(async () => expect(await db.query('select 2 as n')).toEqual([{ n: 2 }]));
  });
});

describe('classifyPgError on errors PostgreSQL raises', () => {
  const failure = async (sql: string, values?: unknown[]) => {
    try {
      await db.query(sql, values);
    } catch (error) {
      return error;
    }
    throw new Error(`${sql} did not fail`);
  };

  it('classifies constraint violations, refused values and limits', async () => {
    await db.query("insert into thing values (10, 'ten') on conflict do nothing");
    const cases: [string, unknown[] | undefined, string, string][] = [
      ["insert into thing values (10, 'again')", undefined, '23505', 'unique-violation'],
      ["insert into thing values (11, 'far too long a name')", undefined, '23514', 'check-violation'],
      ['insert into thing values (12, null)', undefined, '23502', 'integrity-violation'],
      ['select $1::int', ['not a number'], '22P02', 'data-exception'],
      ['select $1::jsonb', ['"\\u0000"'], '22P05', 'data-exception'],
      ['select 1 / 0', undefined, '22012', 'data-exception'],
      ['select * from no_such_table', undefined, '42P01', 'other'],
    ];
    for (const [sql, values, code, kind] of cases) {
      const error = await failure(sql, values);
      expect([sql, sqlState(error), classifyPgError(error)]).toEqual([sql, code, kind]);
    }
  });

  it('classifies a key too large for its index as a program limit', async () => {
    await db.query('create table keyed (k text primary key)');
    // Random text does not compress below the index's limit (about 2,700 bytes).
    const error = await failure('insert into keyed values ($1)', [randomBytes(9000).toString('base64')]);
    expect(classifyPgError(error)).toBe('program-limit');
    expect(isRowValueError(error)).toBe(true);
  });

  it('classifies a missing partition apart from a check violation', async () => {
    await db.query('create table parted (at date not null) partition by range (at)');
    const error = await failure("insert into parted values ('2030-01-01')");
    expect([sqlState(error), classifyPgError(error), isRowValueError(error)]).toEqual([
      '23514',
      'no-partition',
      false,
    ]);
  });

  it('classifies a deadlock as a transaction to run again', async () => {
    await db.query("insert into thing values (20, 'a'), (21, 'b')");
    const a = await db.pool.connect();
    const b = await db.pool.connect();
    try {
      await a.query('begin');
      await b.query('begin');
      await a.query('update thing set name = name where id = 20');
      await b.query('update thing set name = name where id = 21');
      const results = await Promise.allSettled([
        a.query('update thing set name = name where id = 21'),
        b.query('update thing set name = name where id = 20'),
      ]);
      const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      expect(errors.map((e) => [sqlState(e), classifyPgError(e)])).toEqual([
        ['40P01', 'transaction-rollback'],
      ]);
    } finally {
      await a.query('rollback').catch(() => undefined);
      await b.query('rollback').catch(() => undefined);
      a.release();
      b.release();
    }
  });

  it('classifies a statement timeout and a terminated session', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('set statement_timeout = 50');
      const timeout = await client.query('select pg_sleep(5)').catch((e: unknown) => e);
      expect(classifyPgError(timeout)).toBe('query-canceled');
      await client.query('set statement_timeout = 0');
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      // The ended connection may also emit 'error' after failing the query; a checked-out client has no
      // pool listener, so without this the test process would see it as unhandled (a flake under load).
      client.on('error', () => undefined);
      const killed = client.query('select pg_sleep(5)').catch((e: unknown) => e);
      await db.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
      expect(classifyPgError(await killed)).toBe('connection');
    } finally {
      client.release(true);
    }
  });
});

describe('AdvisoryLeader', () => {
  const contender = (name: string) =>
    new AdvisoryLeader({
      url: database.url,
      applicationName: name,
      lock: 'toolkit-test.leader',
      role: 'leads the test',
      tryEveryMs: 50,
      checkEveryMs: 50,
      standBackMs: 500,
    });

  it('lets one of two contenders lead, and the other take over when the leader’s connection dies', async () => {
    const first = contender('leader-a');
    const second = contender('leader-b');
    first.start();
    await first.opened();
    second.start();
    // The second tries the lock many times meanwhile and never gets it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([first.isLeader, second.isLeader]).toEqual([true, false]);
    const firstTerm = first.closed();

    expect(await terminate('leader-a')).toEqual([{ ok: true }]);
    await firstTerm; // the first stops leading as soon as its connection fails
    expect(first.isLeader).toBe(false);
    // The first stands back before contending again; should it win the lock back all the same (a slow
    // second), its connection is killed again until the second leads.
    await expectEventually(async () => {
      if (first.isLeader) await terminate('leader-a');
      expect(second.isLeader).toBe(true);
    });
    await second.opened();
    // The first came back as a standby: it reconnects and keeps trying, without getting the lock.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([first.isLeader, second.isLeader]).toEqual([false, true]);

    // A leader that stops releases the lock with its connection.
    await second.stop();
    await first.opened();
    expect(first.isLeader).toBe(true);
    await first.stop();
    expect(first.isLeader).toBe(false);
    await first.closed();
  });

  it('takes a numeric key as the bigint lock an older replica takes', async () => {
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock(5170999)');
      const leader = new AdvisoryLeader({
        url: database.url,
        applicationName: 'leader-numeric',
        lock: 5_170_999,
        role: 'leads the test',
        tryEveryMs: 50,
      });
      leader.start();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(leader.isLeader).toBe(false);
      await holder.query('select pg_advisory_unlock(5170999)');
      await leader.opened();
      await leader.stop();
    } finally {
      await holder.end();
    }
  });
});

describe('PgListener', () => {
  it('delivers notifications, and after its connection is killed reconnects and says so', async () => {
    const received: string[] = [];
    let reconnects = 0;
    const listener = new PgListener({
      url: database.url,
      applicationName: 'listener-test',
      channels: ['toolkit_a', 'toolkit_b'],
      onNotify: (channel, payload) => received.push(`${channel}:${payload}`),
      onReconnect: () => (reconnects += 1),
      reconnectAfterMs: 50,
    });
    await listener.start();
    try {
      await db.query("select pg_notify('toolkit_a', 'one'), pg_notify('toolkit_b', 'two')");
      await expectEventually(() => expect(received).toEqual(['toolkit_a:one', 'toolkit_b:two']));

      expect(await terminate('listener-test')).toEqual([{ ok: true }]);
      await expectEventually(() => expect(reconnects).toBe(1));
      await db.query("select pg_notify('toolkit_a', 'three')");
      await expectEventually(() => expect(received).toContain('toolkit_a:three'));
    } finally {
      await listener.stop();
    }
    // Stopped: nothing is listening any more.
    await expectEventually(async () =>
      expect(
        await db.query("select 1 from pg_stat_activity where application_name = 'listener-test'"),
      ).toEqual([]),
    );
  });
});
