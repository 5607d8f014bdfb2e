import { connect, type NatsConnection } from '@nats-io/transport-node';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { inSpan, setTracingEnabled, SpanKind } from '@matrix/platform';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import {
  createTestDatabase,
  expectEventually,
  testNatsUrl,
  uniqueNamespace,
  type TestDatabase,
} from '@matrix/testing';
import { Database } from '../src/lib/database';
import { defineOutbox } from '../src/lib/outbox/outbox-definition';
import { OutboxRelay } from '../src/lib/outbox/outbox-relay';
import { PgListener } from '../src/lib/pg-listener';
import { createOutbox } from '../src/lib/outbox/outbox-schema';
import type { OutboxSink } from '../src/lib/outbox/outbox-sink';
import { OutboxWriter } from '../src/lib/outbox/outbox-writer';

/*
 * The transactional outbox on a real PostgreSQL and a real JetStream: the DDL helper in a schema of
 * its own, rows relayed in commit order, a rolled-back transaction relaying nothing, a republish after a
 * crash between publish and mark dropped by the stream's duplicate window, and a standby relay taking
 * over when the leader's connection dies, each event stored once; with tracing on, a row keeps the trace
 * context it was written in and the relay hands it to the sink.
 */

const OUTBOX = defineOutbox({ schema: 'workforce', defaultBucket: 'SEATS' });

let database: TestDatabase;
let db: Database;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let stream: string;
let prefix: string;

/** JetStream for events (with the message id), a map for KV changes, in the order relayed. */
class TestSink implements OutboxSink {
  readonly kv = new Map<string, unknown>();
  readonly relayed: string[] = [];
  duplicates = 0;

  readonly headers: (Record<string, string> | undefined)[] = [];

  async publishEvent(event: {
    subject: string;
    payload: unknown;
    msgId: string;
    headers?: Record<string, string>;
  }): Promise<void> {
    this.headers.push(event.headers);
    const ack = await js.publish(`${prefix}.${event.subject}`, JSON.stringify(event.payload), {
      msgID: event.msgId,
    });
    if (ack.duplicate) this.duplicates += 1;
    this.relayed.push(event.subject);
  }

  async putKv(bucket: string, key: string, value: unknown): Promise<void> {
    this.kv.set(`${bucket}/${key}`, value);
    this.relayed.push(`put ${bucket}/${key}`);
  }

  async deleteKv(bucket: string, key: string): Promise<void> {
    this.kv.delete(`${bucket}/${key}`);
    this.relayed.push(`delete ${bucket}/${key}`);
  }
}

const relayDatabases: Database[] = [];
const relayFor = (sink: OutboxSink, name: string, pollEveryMs = 60_000) =>
  new OutboxRelay(databaseFor(name), sink, {
    outbox: OUTBOX,
    pollEveryMs,
    retryAfterMs: 50,
    leader: { tryEveryMs: 50, checkEveryMs: 50 },
  });

function databaseFor(applicationName: string): Database {
  const relayDb = Database.create({ url: database.url, applicationName, poolMax: 2 });
  relayDatabases.push(relayDb);
  return relayDb;
}

/** The subjects stored in the stream, in stream order. */
async function storedSubjects(): Promise<string[]> {
  const { state } = await jsm.streams.info(stream);
  const subjects: string[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const message = await jsm.streams.getMessage(stream, { seq });
    if (message) subjects.push(message.subject.slice(prefix.length + 1));
  }
  return subjects;
}

const pending = async () =>
  (
    await db.query<{ n: number }>(
      'select count(*)::int as n from workforce.outbox where published_on is null',
    )
  )[0]!.n;

beforeAll(async () => {
  database = await createTestDatabase('persistence_outbox');
  db = Database.create({ url: database.url, applicationName: 'outbox-test', poolMax: 4 });
  await db.query('create schema workforce');
  await createOutbox(db, OUTBOX);
  nc = await connect({ servers: testNatsUrl() });
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
  prefix = uniqueNamespace('outbox');
  stream = prefix.toUpperCase();
  await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`], duplicate_window: 120_000_000_000 });
});

afterAll(async () => {
  await jsm?.streams.delete(stream).catch(() => undefined);
  await nc?.close();
  await Promise.all(relayDatabases.map((relayDb) => relayDb.close()));
  await db?.close();
  await database?.drop();
});

beforeEach(async () => {
  await db.query('truncate workforce.outbox');
  await jsm.streams.purge(stream);
});

describe('the outbox DDL helper', () => {
  it('creates the append function, which writes rows as the writer does (for triggers)', async () => {
    await db.query(`select workforce.outbox_append('kv-put', 'seat-9', '{"on": true}', 'SEATS')`);
    expect(await db.query('select kind, subject, payload, bucket, headers from workforce.outbox')).toEqual([
      { kind: 'kv-put', subject: 'seat-9', payload: { on: true }, bucket: 'SEATS', headers: {} },
    ]);
  });
});

describe('OutboxWriter', () => {
  const log = { sql: 'insert into workforce.writer_log (note) values ($1)' };

  it('writes a statement alongside the row in the same round trip, and neither when that statement fails', async () => {
    await db.query('create table if not exists workforce.writer_log (note text primary key)');
    await db.query('truncate workforce.writer_log');
    await db.transaction((tx) =>
      new OutboxWriter(tx, OUTBOX).event('alongside.one', { n: 1 }, { ...log, values: ['one'] }),
    );
    await expect(
      db.transaction((tx) =>
        new OutboxWriter(tx, OUTBOX).event('alongside.two', { n: 2 }, { ...log, values: ['one'] }),
      ),
    ).rejects.toThrow(/duplicate key/);
    expect(await db.query('select note from workforce.writer_log')).toEqual([{ note: 'one' }]);
    expect(await db.query('select kind, subject, payload from workforce.outbox')).toEqual([
      { kind: 'event', subject: 'alongside.one', payload: { n: 1 } },
    ]);
  });

  it('holds the ordering lock from the first append only: work before it does not hold up other writers', async () => {
    const t1 = await db.pool.connect();
    try {
      await t1.query('begin');
      const w1 = new OutboxWriter(
        { query: async (sql, values) => (await t1.query(sql, values as unknown[])).rows },
        OUTBOX,
      );
      await t1.query('select count(*) from workforce.outbox'); // T1's work, before its append
      await db.transaction((tx) => new OutboxWriter(tx, OUTBOX).event('lock.second-to-begin', {}));
      await w1.event('lock.first-to-begin', {});
      await t1.query('commit');
    } finally {
      t1.release();
    }
    // Ids in commit order: the writer that began later committed first.
    expect(
      (await db.query('select subject from workforce.outbox order by id')).map((r) => r.subject),
    ).toEqual(['lock.second-to-begin', 'lock.first-to-begin']);
  });
});

describe('OutboxRelay', () => {
  it('relays in commit order, woken by the commit, and never relays a rolled-back transaction', async () => {
    const sink = new TestSink();
    const relay = relayFor(sink, 'relay-order');
    relay.start();
    try {
      await expectEventually(() => expect(relay.isLeader).toBe(true));

      // T1 appends first and so holds the ordering lock; T2's first append waits for T1's commit, so
      // its rows get later ids although T2 started its work alongside T1.
      const t1 = await db.pool.connect();
      const t2 = await db.pool.connect();
      try {
        await t1.query('begin');
        await t2.query('begin');
        const w1 = new OutboxWriter(
          { query: async (sql, values) => (await t1.query(sql, values as unknown[])).rows },
          OUTBOX,
        );
        const w2 = new OutboxWriter(
          { query: async (sql, values) => (await t2.query(sql, values as unknown[])).rows },
          OUTBOX,
        );
        await w1.event('order.first', { n: 1 });
        const t2Append = w2.event('order.third', { n: 3 });
        await new Promise((resolve) => setTimeout(resolve, 100));
        await w1.kv({ kind: 'kv-put', key: 'seat-1', value: { n: 2 } });
        await t1.query('commit');
        await t2Append;
        await t2.query('commit');
      } finally {
        t1.release();
        t2.release();
      }
      await db
        .transaction(async (tx) => {
          await new OutboxWriter(tx, OUTBOX).event('order.never', { n: 0 });
          throw new Error('rolled back');
        })
        .catch(() => undefined);
      await db.transaction((tx) => new OutboxWriter(tx, OUTBOX).kv({ kind: 'kv-delete', key: 'seat-1' }));

      // The poll is a minute away: the NOTIFY at commit woke the relay.
      await expectEventually(async () => expect(await pending()).toBe(0));
      await expectEventually(() => expect(sink.relayed).toHaveLength(4));
      expect(sink.relayed).toEqual(['order.first', 'put SEATS/seat-1', 'order.third', 'delete SEATS/seat-1']);
      expect(await storedSubjects()).toEqual(['order.first', 'order.third']);
      expect(sink.kv.size).toBe(0);
    } finally {
      await relay.stop();
    }
  });

  it('relays a row committed while a batch is being published at once, not at the next poll', async () => {
    // The first row's publish is sent, and its answer held until the second row (committed once the relay
    // was publishing the first, so not in its batch) has notified (seen by a listener of our own).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const publishingFirst = new Promise<void>((resolve) => (entered = resolve));
    class HoldingSink extends TestSink {
      override async publishEvent(event: { subject: string; payload: unknown; msgId: string }) {
        const sent = super.publishEvent(event);
        if (event.subject === 'busy.first') {
          entered();
          await held;
        }
        await sent;
      }
    }
    const sink = new HoldingSink();
    const relay = relayFor(sink, 'relay-busy'); // the poll is a minute away
    let notified = 0;
    const notifications = new PgListener({
      url: database.url,
      applicationName: 'relay-busy observer',
      channels: [OUTBOX.channel],
      onNotify: () => (notified += 1),
    });
    relay.start();
    try {
      await notifications.start();
      await expectEventually(() => expect(relay.isLeader).toBe(true));
      await db.transaction((tx) => new OutboxWriter(tx, OUTBOX).event('busy.first', {}));
      await publishingFirst;
      await db.transaction((tx) => new OutboxWriter(tx, OUTBOX).event('busy.second', {}));
      await expectEventually(() => expect(notified).toBe(2));
      release();
      await expectEventually(() => expect(sink.relayed).toEqual(['busy.first', 'busy.second']));
      expect(await pending()).toBe(0);
    } finally {
      release();
      await notifications.stop();
      await relay.stop();
    }
  });

  it('is exactly-once in effect: a republish after a crash before the mark is a duplicate the stream drops', async () => {
    await db.transaction(async (tx) => {
      const writer = new OutboxWriter(tx, OUTBOX);
      for (let i = 0; i < 5; i++) await writer.event(`once.${i}`, { i });
    });
    const sink = new TestSink();
    const relay = relayFor(sink, 'relay-once');
    relay.start();
    try {
      await expectEventually(() => expect(relay.isLeader).toBe(true));
      await expectEventually(async () => expect(await pending()).toBe(0));
      // As if the relay had crashed after publishing and before marking the rows.
      await db.query('update workforce.outbox set published_on = null');
      expect(await relay.flush()).toBe(5);
      expect(sink.duplicates).toBe(5);
      expect(await storedSubjects()).toEqual(['once.0', 'once.1', 'once.2', 'once.3', 'once.4']);
    } finally {
      await relay.stop();
    }
  });

  it('pipelines a run of events; marks every stored one after one the broker refused, which alone goes again', async () => {
    class RefusingOnceSink extends TestSink {
      refused = 0;
      override async publishEvent(event: { subject: string; payload: unknown; msgId: string }) {
        if (event.subject === 'run.2' && this.refused === 0) {
          this.refused += 1;
          throw new Error('refused by the broker');
        }
        await super.publishEvent(event);
      }
    }
    await db.transaction(async (tx) => {
      const writer = new OutboxWriter(tx, OUTBOX);
      for (let i = 0; i < 5; i++) await writer.event(`run.${i}`, { i });
    });
    const sink = new RefusingOnceSink();
    const relay = relayFor(sink, 'relay-run');
    relay.start();
    try {
      await expectEventually(() => expect(relay.isLeader).toBe(true));
      await expectEventually(async () => expect(await pending()).toBe(0));
      expect(sink.refused).toBe(1);
      // The rows after the refused one were stored by the first try and marked then: the retry sent run.2 alone.
      expect(sink.duplicates).toBe(0);
      expect(sink.relayed).toEqual(['run.0', 'run.1', 'run.3', 'run.4', 'run.2']);
      expect(relay.lastError).toBeUndefined();
      expect(await storedSubjects()).toEqual(['run.0', 'run.1', 'run.3', 'run.4', 'run.2']);
    } finally {
      await relay.stop();
    }
  });

  it('waits the whole retry pause after a failed batch, however many commits notify it meanwhile', async () => {
    class RefusingSink extends TestSink {
      attempts = 0;
      override async publishEvent() {
        this.attempts += 1;
        throw new Error('refused by the broker');
      }
    }
    const sink = new RefusingSink();
    const relay = new OutboxRelay(databaseFor('relay-pause'), sink, {
      outbox: OUTBOX,
      pollEveryMs: 60_000,
      retryAfterMs: 60_000,
      leader: { tryEveryMs: 50, checkEveryMs: 50 },
    });
    let notified = 0;
    const observer = new PgListener({
      url: database.url,
      applicationName: 'relay-pause observer',
      channels: [OUTBOX.channel],
      onNotify: () => (notified += 1),
    });
    relay.start();
    try {
      await observer.start();
      await expectEventually(() => expect(relay.isLeader).toBe(true));
      await db.transaction((tx) => new OutboxWriter(tx, OUTBOX).event('pause.first', {}));
      await expectEventually(() => expect(relay.lastError).toMatch(/refused by the broker/));
      expect(sink.attempts).toBe(1);
      // Commits during the pause notify the relay (as they notify the observer); none may start another try.
      for (let i = 0; i < 5; i++) {
        await db.transaction((tx) => new OutboxWriter(tx, OUTBOX).event(`pause.${i}`, {}));
      }
      await expectEventually(() => expect(notified).toBe(6));
    } finally {
      await observer.stop();
      await relay.stop();
    }
    expect(sink.attempts).toBe(1);
  });

  it('has one leader among replicas; a standby takes over when the leader’s connection dies', async () => {
    const sinks = [new TestSink(), new TestSink()];
    const relays = [relayFor(sinks[0]!, 'relay-a', 100), relayFor(sinks[1]!, 'relay-b', 100)];
    relays[0]!.start();
    await expectEventually(() => expect(relays[0]!.isLeader).toBe(true));
    relays[1]!.start();
    try {
      await db.transaction((tx) => new OutboxWriter(tx, OUTBOX).event('replica.1', {}));
      await expectEventually(async () => expect(await pending()).toBe(0));
      expect(relays.map((r) => r.isLeader)).toEqual([true, false]);

      // The failed leader stands back before contending again; should it win the lock back all the same
      // (a slow standby), its connection is killed again until the standby leads.
      await expectEventually(async () => {
        if (relays[0]!.isLeader) {
          await db.query(
            `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'relay-a ${OUTBOX.qualified} relay'`,
          );
        }
        expect(relays[1]!.isLeader).toBe(true);
      });
      await db.transaction((tx) => new OutboxWriter(tx, OUTBOX).event('replica.2', {}));
      await expectEventually(async () => expect(await pending()).toBe(0));
      expect(sinks[1]!.relayed).toContain('replica.2');
      expect(await storedSubjects()).toEqual(['replica.1', 'replica.2']);
      expect(relays[0]!.isLeader).toBe(false);
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
    }
  });

  it('reports its backlog (rows not relayed, age of the oldest) from the leader only', async () => {
    let refusing = true;
    const sink = new TestSink();
    const refusingSink: OutboxSink = {
      publishEvent: (event) =>
        refusing ? Promise.reject(new Error('broker away')) : sink.publishEvent(event),
      putKv: (bucket, key, value) => sink.putKv(bucket, key, value),
      deleteKv: (bucket, key) => sink.deleteKv(bucket, key),
    };
    const relays = [relayFor(refusingSink, 'backlog-a', 100), relayFor(refusingSink, 'backlog-b', 100)];
    relays[0]!.start();
    await expectEventually(() => expect(relays[0]!.isLeader).toBe(true));
    relays[1]!.start();
    try {
      expect(await relays[0]!.backlog()).toEqual({ rows: 0, oldestAgeSeconds: 0 });
      await db.transaction((tx) => new OutboxWriter(tx, OUTBOX).event('backlog.1', {}));
      await db.transaction((tx) => new OutboxWriter(tx, OUTBOX).event('backlog.2', {}));
      await db.query(
        `update workforce.outbox set created_on = now() - interval '90 seconds' where subject = 'backlog.1'`,
      );
      const backlog = await relays[0]!.backlog();
      expect(backlog?.rows).toBe(2);
      expect(backlog?.oldestAgeSeconds).toBeGreaterThanOrEqual(90);
      expect(backlog?.oldestAgeSeconds).toBeLessThan(200);
      expect(await relays[1]!.backlog()).toBeUndefined();

      refusing = false;
      await expectEventually(async () =>
        expect(await relays[0]!.backlog()).toEqual({ rows: 0, oldestAgeSeconds: 0 }),
      );
      expect(sink.relayed).toEqual(['backlog.1', 'backlog.2']);
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
    }
  });

  it('keeps the trace context of the span an event was written in and hands it to the sink with the row', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
    setTracingEnabled(true);
    const sink = new TestSink();
    const relay = relayFor(sink, 'relay-trace');
    try {
      await inSpan('POST /v1/ingest-keys', { kind: SpanKind.SERVER }, () =>
        db.transaction(async (tx) => {
          const writer = new OutboxWriter(tx, OUTBOX);
          await writer.event('traced.first', { n: 1 });
          await writer.event('traced.second', { n: 2 });
        }),
      );
      await db.transaction((tx) => new OutboxWriter(tx, OUTBOX).event('untraced', { n: 3 }));
      const [request] = exporter.getFinishedSpans();
      const traceparent = `00-${request!.spanContext().traceId}-${request!.spanContext().spanId}-01`;
      expect(await db.query('select subject, headers from workforce.outbox order by id')).toEqual([
        { subject: 'traced.first', headers: { traceparent } },
        { subject: 'traced.second', headers: { traceparent } },
        { subject: 'untraced', headers: {} },
      ]);
      relay.start();
      await expectEventually(() => expect(sink.relayed).toHaveLength(3));
      expect(sink.headers).toEqual([{ traceparent }, { traceparent }, undefined]);
    } finally {
      await relay.stop();
      setTracingEnabled(false);
      await provider.shutdown();
      trace.disable();
      context.disable();
    }
  });
});
