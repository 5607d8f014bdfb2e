import type { INestApplication } from '@nestjs/common';
import { buildMatrixEvent, HEADER, type MatrixEventV1 } from '@matrix/contracts';
import {
  JetStreamPublisher,
  MATRIX_EVENTS,
  MATRIX_TOPOLOGY,
  NatsClient,
  openKvBucket,
  PRINCIPALS,
  RetryableError,
  SQL_PROJECTOR_MATRIX_EVENTS,
  type Topology,
} from '@matrix/messaging';
import type { Database } from '@matrix/persistence';
import { expectEventually } from '@matrix/testing';
import { MatrixEventsRepository } from '../src/matrix-events/matrix-events.repository';
import { ProjectorHarness } from './projector-harness';

/*
 * sql-projector's MATRIX_EVENTS consumer in-process on a real PostgreSQL and nats-server (own database, own
 * NATS namespace): events of two modules land in `matrix.events` once each with their columns; a
 * republished, redelivered or replayed event adds nothing; an event that is not a MatrixEventV1 is
 * dead-lettered with its reason.
 */

/** MATRIX_EVENTS forgets message ids after 300 ms here, so a test can store a republished event. */
const DUPLICATE_WINDOW_MS = 300;
const TOPOLOGY: Topology = {
  streams: MATRIX_TOPOLOGY.streams.map((stream) =>
    stream.name === MATRIX_EVENTS.name ? { ...stream, duplicateWindowMs: DUPLICATE_WINDOW_MS } : stream,
  ),
  consumers: MATRIX_TOPOLOGY.consumers,
};

const harness = new ProjectorHarness('projector_events', {
  topology: TOPOLOGY,
  beforeApp: async ({ nats }) => {
    const kv = await openKvBucket(nats.nc, PRINCIPALS, nats.namespace);
    await kv.put('b-dir', JSON.stringify({ type: 'building', org: 'org-1', property: 'prop-dir' }));
  },
});
let nats: NatsClient;
let publisher: JetStreamPublisher;
let app: INestApplication;
let sql: Database;
let repository: MatrixEventsRepository;

const at = (iso: string) => new Date(iso);

const gridEvent = (pid: string, insId: string, when: string): MatrixEventV1 => {
  const event = buildMatrixEvent({
    principal: pid,
    principalType: 'building',
    entity: 'prop-a',
    entityType: 'property',
    module: 'scgrids',
    eventId: 'ZONE_CREATED',
    priority: 'NORMAL',
    description: `Zone ${insId} was created.`,
    occurredAt: at(when),
    meta: { InsID: insId, Name: `Zone ${insId}` },
  });
  event.ATTR = `ZONE_CREATED#prop-a#${pid}#${insId}`;
  return event;
};

/** A workforce event that names neither its principal's type nor its property: the directory tells. */
const incidentEvent = (pid: string, taskId: string, when: string): MatrixEventV1 =>
  buildMatrixEvent({
    principal: pid,
    module: 'scworkforcemanagement',
    eventId: 'INCIDENT_CREATED',
    priority: 'HIGH',
    description: `Incident ${taskId} was created.`,
    occurredAt: at(when),
    meta: { TaskId: taskId, Zone: 'zone-1', Type: 'INCIDENT' },
  });

/** Publishes an event on its routing key (or `subject`); without `msgId`, with no Nats-Msg-Id at all. */
const publishEvent = (event: unknown, msgId?: string, subject?: string) => {
  const to = subject ?? (event as MatrixEventV1).RoutingKey;
  return msgId === undefined
    ? nats.js.publish(nats.namespace.subject(to), JSON.stringify(event))
    : publisher.publish({ subject: to, payload: event, msgId });
};

const rowsOf = async (principal: string) =>
  sql.query(
    `select msg_id, principal, pid, prop_id, module, event_id, priority, routing_key,
            extract(epoch from time)::bigint::text as unix, description, meta, payload, stream_seq::int
       from matrix.events where principal = $1 order by time, msg_id`,
    [principal],
  );

const settled = async () => {
  const info = await nats.jsm.consumers.info(
    nats.namespace.stream(MATRIX_EVENTS.name),
    nats.namespace.durable(SQL_PROJECTOR_MATRIX_EVENTS.durable),
  );
  expect(info.num_pending + info.num_ack_pending).toBe(0);
};

const deadLetter = (subject: string) =>
  expectEventually(async () => {
    const found = await nats.jsm.streams.getMessage(nats.namespace.stream('DLQ'), {
      last_by_subj: nats.namespace.subject(`dlq.${subject}`),
    });
    if (!found) throw new Error(`no dead letter for ${subject} yet`);
    return found;
  });

beforeAll(async () => {
  ({ nats, app, sql } = await harness.start());
  publisher = new JetStreamPublisher(nats);
  repository = app.get(MatrixEventsRepository);
});

afterAll(() => harness.stop());

describe('sql-projector: MATRIX_EVENTS into matrix.events', () => {
  it('lands events of two modules once each with their columns', async () => {
    const grid = gridEvent('b-grid', 'zone-9', '2025-11-03T10:00:00Z');
    const incident = incidentEvent('b-dir', 'task-1', '2025-12-01T08:30:05Z');
    await publishEvent(grid, 'outbox:matrix_api_gateway.outbox:1');
    await publishEvent(incident, 'outbox:incident_service.outbox:7');

    await expectEventually(async () => {
      expect(await rowsOf('b-grid')).toHaveLength(1);
      expect(await rowsOf('b-dir')).toHaveLength(1);
      await settled();
    });
    const [gridRow] = await rowsOf('b-grid');
    expect(gridRow).toEqual({
      msg_id: 'outbox:matrix_api_gateway.outbox:1',
      principal: 'b-grid',
      pid: 'b-grid',
      prop_id: 'prop-a',
      module: 'scgrids',
      event_id: 'ZONE_CREATED',
      priority: 'NORMAL',
      routing_key: 'matrix.b-grid.scgrids.ZONE_CREATED.NORMAL',
      unix: String(Date.parse('2025-11-03T10:00:00Z') / 1000),
      description: 'Zone zone-9 was created.',
      meta: { InsID: 'zone-9', Name: 'Zone zone-9' },
      payload: grid,
      stream_seq: expect.any(Number),
    });
    const [incidentRow] = await rowsOf('b-dir');
    expect(incidentRow).toMatchObject({
      msg_id: 'outbox:incident_service.outbox:7',
      pid: 'b-dir',
      prop_id: 'prop-dir',
      module: 'scworkforcemanagement',
      event_id: 'INCIDENT_CREATED',
      priority: 'HIGH',
      unix: String(Date.parse('2025-12-01T08:30:05Z') / 1000),
      meta: { TaskId: 'task-1', Zone: 'zone-1', Type: 'INCIDENT' },
      payload: incident,
    });
  });

  it('adds nothing for the same event published again after the duplicate window, with or without a message id', async () => {
    const event = incidentEvent('b-again', 'task-2', '2025-12-02T09:00:00Z');
    const bare = incidentEvent('b-again', 'task-3', '2025-12-02T09:01:00Z');
    await publishEvent(event, 'outbox:incident_service.outbox:8');
    await publishEvent(bare);
    await expectEventually(async () => expect(await rowsOf('b-again')).toHaveLength(2));
    await expectEventually(settled);

    // Republished until the stream stores them again (past its duplicate window: a replay, a relay republishing).
    let lastSeq = 0;
    const stored = new Set<string>();
    await expectEventually(async () => {
      for (const [name, message, msgId] of [
        ['id', event, 'outbox:incident_service.outbox:8'],
        ['bare', bare, undefined],
      ] as const) {
        if (stored.has(name)) continue;
        const ack = await publishEvent(message, msgId);
        if (ack.duplicate) continue;
        stored.add(name);
        lastSeq = Math.max(lastSeq, ack.seq);
      }
      expect(stored.size).toBe(2);
    });
    await expectEventually(async () => {
      const info = await nats.jsm.consumers.info(
        nats.namespace.stream(MATRIX_EVENTS.name),
        nats.namespace.durable(SQL_PROJECTOR_MATRIX_EVENTS.durable),
      );
      expect(info.delivered.stream_seq).toBeGreaterThanOrEqual(lastSeq);
      await settled();
    });
    const rows = await rowsOf('b-again');
    expect(rows.map((row) => row.msg_id)).toEqual([
      'outbox:incident_service.outbox:8',
      expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    ]);
  });

  it('adds nothing when a batch is redelivered after its rows were committed', async () => {
    const event = gridEvent('b-redeliver', 'zone-r', '2025-12-03T07:00:00Z');
    const realWrite = repository.write.bind(repository);
    const kinds: string[] = [];
    const spy = jest.spyOn(repository, 'write');
    spy.mockImplementation(async (rows) => {
      const results = await realWrite(rows);
      rows.forEach((row, i) => {
        if (row.principal === 'b-redeliver') kinds.push(results[i]!.kind);
      });
      return results;
    });
    spy.mockImplementationOnce(async (rows) => {
      const results = await realWrite(rows);
      rows.forEach((row, i) => {
        if (row.principal === 'b-redeliver') kinds.push(results[i]!.kind);
      });
      throw new RetryableError('connection lost before the acknowledgements went out', 0);
    });
    await publishEvent(event, 'outbox:matrix_api_gateway.outbox:50');
    await expectEventually(async () => {
      expect(kinds).toEqual(['inserted', 'duplicate']);
      await settled();
    });
    spy.mockRestore();
    expect(await rowsOf('b-redeliver')).toHaveLength(1);
  });

  it('dead-letters an event that is not a valid MatrixEventV1 with the reason, writing nothing', async () => {
    const { Module: _dropped, ...noModule } = incidentEvent('b-bad', 'task-4', '2025-12-04T09:00:00Z');
    await publishEvent(noModule, 'outbox:x:1', 'matrix.b-bad.scworkforcemanagement.INCIDENT_CREATED.HIGH');
    const letter = await deadLetter('matrix.b-bad.scworkforcemanagement.INCIDENT_CREATED.HIGH');
    expect(letter.header.get(HEADER.dlqReason)).toMatch(/^invalid message: .*Module/);

    const mismatched = { ...incidentEvent('b-bad2', 'task-5', '2025-12-04T09:00:00Z'), Status: 'NORMAL' };
    await publishEvent(mismatched, 'outbox:x:2');
    const second = await deadLetter(mismatched.RoutingKey);
    expect(second.header.get(HEADER.dlqReason)).toBe(
      `invalid message: Status: "NORMAL" differs from the routing key's "HIGH"`,
    );
    await expectEventually(settled);
    expect(await rowsOf('b-bad')).toHaveLength(0);
    expect(await rowsOf('b-bad2')).toHaveLength(0);
  });
});
