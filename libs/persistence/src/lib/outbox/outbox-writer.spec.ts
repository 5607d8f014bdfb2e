import type { Sql } from '../database';
import { defineOutbox } from './outbox-definition';
import { dropOutboxDdl, outboxDdl } from './outbox-schema';
import { MAX_OUTBOX_PAYLOAD_BYTES, OutboxPayloadTooLargeError, OutboxWriter } from './outbox-writer';

function recordingSql() {
  const queries: { sql: string; params: readonly unknown[] }[] = [];
  const sql: Sql = {
    query: <R>(text: string, params: readonly unknown[] = []) => {
      queries.push({ sql: text, params });
      return Promise.resolve([] as R[]);
    },
  };
  return { sql, queries };
}

describe('defineOutbox', () => {
  it('derives the names the registry outbox has always used', () => {
    expect(defineOutbox({ schema: 'registry' })).toEqual({
      schema: 'registry',
      table: 'outbox',
      qualified: 'registry.outbox',
      orderLock: 'registry.outbox',
      channel: 'registry_outbox',
      relayLock: 'registry.outbox-relay',
      appendFunction: 'registry.outbox_append',
      defaultBucket: undefined,
    });
  });

  it('refuses names that are not plain identifiers (they are written into SQL)', () => {
    expect(() => defineOutbox({ schema: 'Workforce' })).toThrow(TypeError);
    expect(() => defineOutbox({ schema: 'workforce', table: "outbox'; drop" })).toThrow(TypeError);
  });
});

describe('outboxDdl', () => {
  it('creates the table, its pending index and the append function in the given schema', () => {
    const ddl = outboxDdl(defineOutbox({ schema: 'workforce' }));
    expect(ddl).toHaveLength(3);
    expect(ddl[0]).toMatch(/^create table workforce\.outbox \(/);
    expect(ddl[1]).toBe('create index outbox_pending on workforce.outbox (id) where published_on is null');
    expect(ddl[2]).toContain('create function workforce.outbox_append(');
    expect(ddl[2]).toContain("pg_advisory_xact_lock(hashtext('workforce.outbox'))");
    expect(ddl[2]).toContain("pg_notify('workforce_outbox', '')");
    expect(dropOutboxDdl(defineOutbox({ schema: 'workforce' }))).toEqual([
      'drop function workforce.outbox_append(text, text, jsonb, text)',
      'drop table workforce.outbox',
    ]);
  });
});

describe('OutboxWriter', () => {
  const FIRST =
    'insert into workforce.outbox (kind, subject, payload, bucket) select $1::text, $2::text, $3::jsonb, $4::text ' +
    "from (select pg_advisory_xact_lock(hashtext('workforce.outbox')), pg_notify('workforce_outbox', '')) as ordered";

  it('takes the ordering lock and notifies in the statement of the first row, and writes events and KV changes', async () => {
    const { sql, queries } = recordingSql();
    const writer = new OutboxWriter(sql, defineOutbox({ schema: 'workforce', defaultBucket: 'SEATS' }));
    await writer.event('matrix.p1.scworkforcemanagement.INCIDENT_CREATED', { Id: 'i1' });
    await writer.kv({ kind: 'kv-put', key: 'seat-1', value: { on: true } });
    await writer.kv({ kind: 'kv-delete', bucket: 'OTHER', key: 'k' });

    expect(queries.map((q) => q.sql)).toEqual([
      FIRST,
      'insert into workforce.outbox (kind, subject, payload, bucket) values ($1, $2, $3::jsonb, $4)',
      'insert into workforce.outbox (kind, subject, payload, bucket) values ($1, $2, $3::jsonb, $4)',
    ]);
    expect(queries.map((q) => q.params)).toEqual([
      ['event', 'matrix.p1.scworkforcemanagement.INCIDENT_CREATED', '{"Id":"i1"}', null],
      ['kv-put', 'seat-1', '{"on":true}', 'SEATS'],
      ['kv-delete', 'k', 'null', 'OTHER'],
    ]);
  });

  it('sends a statement alongside a row in the same round trip, its parameters first', async () => {
    const { sql, queries } = recordingSql();
    const writer = new OutboxWriter(sql, defineOutbox({ schema: 'workforce' }));
    const log = (note: string) => ({
      sql: 'insert into workforce.log (a, b) values ($1, $2)',
      values: [note, 2],
    });
    await writer.event('subject.one', { n: 1 }, log('x'));
    await writer.event('subject.two', { n: 2 }, log('y'));

    expect(queries.map((q) => q.sql)).toEqual([
      `with alongside as (insert into workforce.log (a, b) values ($1, $2)) ${FIRST.replace(/\$(\d)/g, (_, n: string) => `$${Number(n) + 2}`)}`,
      'with alongside as (insert into workforce.log (a, b) values ($1, $2)) ' +
        'insert into workforce.outbox (kind, subject, payload, bucket) values ($3, $4, $5::jsonb, $6)',
    ]);
    expect(queries.map((q) => q.params)).toEqual([
      ['x', 2, 'event', 'subject.one', '{"n":1}', null],
      ['y', 2, 'event', 'subject.two', '{"n":2}', null],
    ]);
  });

  it('refuses a payload over MAX_OUTBOX_PAYLOAD_BYTES before writing anything, and takes one at the limit', async () => {
    const { sql, queries } = recordingSql();
    const writer = new OutboxWriter(sql, defineOutbox({ schema: 'workforce' }));
    // A JSON string of n characters is n + 2 bytes.
    const atLimit = 'x'.repeat(MAX_OUTBOX_PAYLOAD_BYTES - 2);
    await expect(writer.event('matrix.b1.m.E.NORMAL', `${atLimit}y`)).rejects.toThrow(
      OutboxPayloadTooLargeError,
    );
    await expect(writer.event('matrix.b1.m.E.NORMAL', `${atLimit}y`)).rejects.toThrow(
      `the event for matrix.b1.m.E.NORMAL would be ${MAX_OUTBOX_PAYLOAD_BYTES + 1} bytes, over the ${MAX_OUTBOX_PAYLOAD_BYTES} a message may carry`,
    );
    expect(queries).toHaveLength(0);
    await writer.event('matrix.b1.m.E.NORMAL', atLimit);
    expect(queries).toHaveLength(1);
    // Multi-byte characters count as their UTF-8 bytes.
    await expect(
      writer.event('matrix.b1.m.E.NORMAL', 'é'.repeat(MAX_OUTBOX_PAYLOAD_BYTES / 2)),
    ).rejects.toThrow(OutboxPayloadTooLargeError);
  });

  it('refuses a KV change without a bucket when the outbox has no default', async () => {
    const { sql, queries } = recordingSql();
    const writer = new OutboxWriter(sql, defineOutbox({ schema: 'workforce' }));
    await expect(writer.kv({ kind: 'kv-put', key: 'k', value: 1 })).rejects.toThrow(/names no bucket/);
    expect(queries).toEqual([]);
  });
});
