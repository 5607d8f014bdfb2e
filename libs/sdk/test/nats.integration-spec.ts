import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, headers as natsHeaders, nanos, type NatsConnection } from '@nats-io/transport-node';
import { expectEventually, testNatsUrl, uniqueNamespace } from '@matrix/testing';
import {
  bindMatrixEvents,
  bindSensorData,
  DurableMismatchError,
  resolveNames,
  TypedConsumer,
  type InvalidDelivered,
  type MatrixEventMessage,
  type SensorDataMessage,
} from '../src/nats';

/*
 * The NATS helper against the real nats-server: the two public streams are created in a namespace of
 * this suite the way the platform's topology declares them (`<NS>_MATRIX_EVENTS` on `<ns>.matrix.>`,
 * `<NS>_SENSOR_DATA` on `<ns>.sensor.data.>`), messages are published in the shapes the services
 * publish (one event per message; arrays of points with `Matrix-Reading-Ids`), and the helper's typed
 * output, acks, naks and terms are checked on the server's consumer state.
 */

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(__dirname, '../../contracts/fixtures', name), 'utf8')) as Record<
    string,
    unknown
  >;
const TASK_COMPLETED = fixture('matrix-event/v1/task-completed.json');
const ZONE_CREATED = fixture('matrix-event/v1/zone-created.json');
const POINT = fixture('normalised-sensor-data-point/v1/people-counter.json');

const ns = uniqueNamespace('sdk_nats');
const NS = ns.toUpperCase();
let nc: NatsConnection;
let jsm: JetStreamManager;
const warnings: string[] = [];
const logger = { warn: (message: string) => void warnings.push(message) };

async function publish(subject: string, body: unknown, headers?: Record<string, string>): Promise<number> {
  const h = natsHeaders();
  for (const [name, value] of Object.entries(headers ?? {})) h.set(name, value);
  const ack = await jetstream(nc).publish(
    `${ns}.${subject}`,
    typeof body === 'string' ? body : JSON.stringify(body),
    {
      headers: h,
    },
  );
  return ack.seq;
}

beforeAll(async () => {
  nc = await connect({ servers: testNatsUrl() });
  jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: `${NS}_MATRIX_EVENTS`, subjects: [`${ns}.matrix.>`] });
  await jsm.streams.add({ name: `${NS}_SENSOR_DATA`, subjects: [`${ns}.sensor.data.>`] });
});

afterAll(async () => {
  await jsm.streams.delete(`${NS}_MATRIX_EVENTS`);
  await jsm.streams.delete(`${NS}_SENSOR_DATA`);
  await nc.drain();
});

describe('bindMatrixEvents', () => {
  it('creates a durable on the pattern, yields typed events of matching subjects only, acks after the loop body, skips contract-invalid ones and terminates malformed ones with a logged reason', async () => {
    const taskSubject = 'matrix.bldg-7f3a2c.scworkforcemanagement.TASK_COMPLETED.NORMAL';
    await publish('matrix.bldg-7f3a2c.scgrids.ZONE_CREATED.NORMAL', ZONE_CREATED);
    const first = await publish(taskSubject, TASK_COMPLETED);
    const invalid = await publish(taskSubject, { ...TASK_COMPLETED, UnixTime: 'noon' });
    const notJson = await publish(taskSubject, '{"Event":');
    const second = await publish(taskSubject, {
      ...TASK_COMPLETED,
      UnixTimeInt: 1733012900,
      UnixTime: '1733012900',
    });

    const events = await bindMatrixEvents(nc, {
      subject: 'matrix.*.scworkforcemanagement.TASK_COMPLETED.*',
      durable: 'last-clean',
      namespace: ns,
      logger,
    });
    expect({ stream: events.stream, durable: events.durable }).toEqual({
      stream: `${NS}_MATRIX_EVENTS`,
      durable: `${ns}-last-clean`,
    });
    const seen: MatrixEventMessage[] = [];
    const ackFloorDuringBody: number[] = [];
    for await (const message of events) {
      ackFloorDuringBody.push((await jsm.consumers.info(events.stream, events.durable)).ack_floor.stream_seq);
      seen.push(message);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([
      { event: TASK_COMPLETED, subject: taskSubject, seq: first, deliveries: 1 },
      {
        event: expect.objectContaining({ UnixTimeInt: 1733012900 }),
        subject: taskSubject,
        seq: second,
        deliveries: 1,
      },
    ]);
    // While its body runs a message is unacknowledged; the first was acked (the contract-invalid one
    // skipped and acked, the one that is not JSON terminated) before the second's body ran.
    expect(ackFloorDuringBody[0]).toBeLessThan(first);
    expect(ackFloorDuringBody[1]).toBe(notJson);
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(`^skipped invalid item \\[0\\] of ${NS}_MATRIX_EVENTS #${invalid} .*: UnixTime: `),
      ),
      expect.stringMatching(new RegExp(`^terminated ${NS}_MATRIX_EVENTS #${notJson} .*body: not JSON`)),
    ]);
    warnings.length = 0;
    // `break` in the second body: that message was nak'ed and comes back to the next loop, the rest is done.
    const again = await bindMatrixEvents(nc, {
      subject: 'matrix.*.scworkforcemanagement.TASK_COMPLETED.*',
      durable: 'last-clean',
      namespace: ns,
      logger,
    });
    for await (const message of again) {
      expect({ seq: message.seq, deliveries: message.deliveries }).toEqual({ seq: second, deliveries: 2 });
      break;
    }
    await expectEventually(async () => {
      const info = await jsm.consumers.info(events.stream, events.durable);
      expect(info.num_pending).toBe(0);
    });
  });

  it('reuses a durable with the same pattern and refuses one bound to another pattern', async () => {
    const options = { subject: 'matrix.*.scgrids.>', durable: 'grids', namespace: ns, logger };
    await bindMatrixEvents(nc, options);
    await bindMatrixEvents(nc, options);
    expect((await jsm.consumers.info(`${NS}_MATRIX_EVENTS`, `${ns}-grids`)).config.filter_subject).toBe(
      `${ns}.matrix.*.scgrids.>`,
    );
    await expect(bindMatrixEvents(nc, { ...options, subject: 'matrix.>' })).rejects.toThrow(
      /already exists with filter_subject .*scgrids/,
    );
    await expect(bindMatrixEvents(nc, { ...options, subject: 'sensor.data.>' })).rejects.toThrow(
      /not a subject pattern/,
    );
    await expect(bindMatrixEvents(nc, { ...options, namespace: 'nosuchns' })).rejects.toThrow(
      /stream NOSUCHNS_MATRIX_EVENTS does not exist/,
    );
  });

  it('leaves a message unacknowledged for redelivery when the loop body throws', async () => {
    const subject = 'matrix.b-throw.scgrids.ZONE_CREATED.NORMAL';
    const seq = await publish(subject, ZONE_CREATED);
    const events = await bindMatrixEvents(nc, {
      subject: 'matrix.b-throw.>',
      durable: 'throwing',
      namespace: ns,
      logger,
    });
    await expect(
      (async () => {
        for await (const message of events) throw new Error(`cannot handle ${message.seq}`);
      })(),
    ).rejects.toThrow(`cannot handle ${seq}`);
    const retried = await bindMatrixEvents(nc, {
      subject: 'matrix.b-throw.>',
      durable: 'throwing',
      namespace: ns,
      logger,
    });
    for await (const message of retried) {
      expect({ seq: message.seq, deliveries: message.deliveries }).toEqual({ seq, deliveries: 2 });
      break;
    }
  });
});

describe('bindSensorData', () => {
  it('yields each point of a message with its reading id, skips contract-invalid points and acks the message after the last point', async () => {
    const subject = 'sensor.data.bldg-7f3a2c.SMARTCLEAN.PPLCTR';
    const later = { ...POINT, unixT: 1700000060000, v: { count: 4, out_count: 1 } };
    const seq = await publish(subject, [POINT, later], { 'Matrix-Reading-Ids': 'r-1,r-2' });
    const bad = await publish(subject, [POINT, { ...POINT, DevType: 'PPLCTR' }]);
    const single = await publish(subject, POINT);
    const unlisted = await publish(subject, [later]);

    const points = await bindSensorData(nc, {
      subject: 'sensor.data.bldg-7f3a2c.>',
      durable: 'counters',
      namespace: ns,
      logger,
    });
    const seen: SensorDataMessage[] = [];
    const ackFloor: number[] = [];
    for await (const message of points) {
      ackFloor.push((await jsm.consumers.info(points.stream, points.durable)).ack_floor.stream_seq);
      seen.push(message);
      if (seen.length === 4) points.close();
    }
    expect(seen).toEqual([
      { point: POINT, readingId: 'r-1', subject, seq, deliveries: 1 },
      { point: later, readingId: 'r-2', subject, seq, deliveries: 1 },
      // The valid point of a message with an invalid one is not lost with it.
      { point: POINT, readingId: `${NS}_SENSOR_DATA:${bad}#0`, subject, seq: bad, deliveries: 1 },
      { point: later, readingId: `${NS}_SENSOR_DATA:${unlisted}`, subject, seq: unlisted, deliveries: 1 },
    ]);
    // Both points of the first message are worked on before it is acked.
    expect(ackFloor).toEqual([seq - 1, seq - 1, seq, single]);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^skipped invalid item \\[1\\] of ${NS}_SENSOR_DATA #${bad} .*: DevType`),
        ),
        expect.stringMatching(new RegExp(`^terminated ${NS}_SENSOR_DATA #${single} .*one point object`)),
      ]),
    );
    await expectEventually(async () => {
      const info = await jsm.consumers.info(points.stream, points.durable);
      expect({ pending: info.num_pending, unacked: info.num_ack_pending }).toEqual({
        pending: 0,
        unacked: 0,
      });
    });
  });

  it("hands contract-invalid points to an onInvalid callback, or terminates their message with onInvalid: 'term'", async () => {
    const subject = 'sensor.data.b-invalid.SMARTCLEAN.PPLCTR';
    const odd = { ...POINT, PID: 'b-invalid', dow: '9' };
    const good = { ...POINT, PID: 'b-invalid' };
    const seq = await publish(subject, [odd, good], { 'Matrix-Reading-Ids': 'i-1,i-2' });

    const handed: InvalidDelivered[] = [];
    const viaCallback = await bindSensorData(nc, {
      subject: 'sensor.data.b-invalid.>',
      durable: 'invalid-callback',
      namespace: ns,
      logger,
      onInvalid: (item) => void handed.push(item),
    });
    for await (const message of viaCallback) {
      expect(message).toMatchObject({ point: good, readingId: 'i-2', seq });
      viaCallback.close();
    }
    expect(handed).toEqual([
      { index: 0, value: odd, reason: expect.stringMatching(/^dow: /), subject, seq, deliveries: 1 },
    ]);

    const terminating = await bindSensorData(nc, {
      subject: 'sensor.data.b-invalid.>',
      durable: 'invalid-term',
      namespace: ns,
      logger,
      onInvalid: 'term',
    });
    const loop = (async () => {
      for await (const message of terminating) throw new Error(`yielded ${message.seq}`);
    })();
    await expectEventually(() =>
      expect(warnings).toContainEqual(
        expect.stringMatching(
          new RegExp(`^terminated ${NS}_SENSOR_DATA #${seq} .*invalid-term.*\\[0\\] dow: `),
        ),
      ),
    );
    terminating.close();
    await loop;
    const info = await jsm.consumers.info(terminating.stream, terminating.durable);
    expect({
      pending: info.num_pending,
      unacked: info.num_ack_pending,
      floor: info.ack_floor.stream_seq,
    }).toEqual({
      pending: 0,
      unacked: 0,
      floor: seq,
    });
  });
});

describe('onInvalid', () => {
  it('naks the message when the onInvalid callback throws, so it comes back', async () => {
    const subject = 'matrix.b-callback.scgrids.ZONE_CREATED.NORMAL';
    const seq = await publish(subject, { ...ZONE_CREATED, Status: 'LOUD' });
    const options = { subject: 'matrix.b-callback.>', durable: 'callback-throws', namespace: ns, logger };
    const failing = await bindMatrixEvents(nc, {
      ...options,
      onInvalid: (item) => {
        throw new Error(`cannot store ${item.seq}`);
      },
    });
    await expect(
      (async () => {
        for await (const message of failing) throw new Error(`yielded ${message.seq}`);
      })(),
    ).rejects.toThrow(`cannot store ${seq}`);
    const handed: InvalidDelivered[] = [];
    const again = await bindMatrixEvents(nc, { ...options, onInvalid: (item) => void handed.push(item) });
    const loop = (async () => {
      for await (const message of again) throw new Error(`yielded ${message.seq}`);
    })();
    await expectEventually(() => expect(handed).toMatchObject([{ seq, deliveries: 2, index: 0 }]));
    again.close();
    await loop;
  });
});

describe('TypedConsumer', () => {
  it('keeps at most one listener on its stop signal however many messages it reads', async () => {
    const subject = 'matrix.b-many.scgrids.ZONE_CREATED.NORMAL';
    const count = 2000;
    for (let from = 0; from < count; from += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, count - from) }, () => publish(subject, ZONE_CREATED)),
      );
    }
    const events = await bindMatrixEvents(nc, {
      subject: 'matrix.b-many.>',
      durable: 'many',
      namespace: ns,
      logger,
    });
    let read = 0;
    let mostListeners = 0;
    for await (const _message of events) {
      mostListeners = Math.max(mostListeners, events.stopListeners);
      read += 1;
      if (read === count) events.close();
    }
    expect(read).toBe(count);
    // A listener is added for each pull and removed when it is over: none is left while a body runs.
    expect(mostListeners).toBe(0);
    expect(events.stopListeners).toBe(0);
  });

  it("keeps a message alive from the existing durable's own ack wait, not the caller's", async () => {
    const subject = 'matrix.b-slow.scgrids.ZONE_CREATED.NORMAL';
    const stream = `${NS}_MATRIX_EVENTS`;
    const durable = `${ns}-slow`;
    await jsm.consumers.add(stream, {
      durable_name: durable,
      filter_subject: `${ns}.matrix.b-slow.>`,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(1000),
    });
    const seq = await publish(subject, ZONE_CREATED);
    const events = await bindMatrixEvents(nc, {
      subject: 'matrix.b-slow.>',
      durable: 'slow',
      namespace: ns,
      logger,
      ackWaitMs: 30_000,
    });
    for await (const message of events) {
      expect(events.ackWaitMs).toBe(1000);
      // A competing pull on the durable, open for three ack waits while this body works on the message:
      // were the message not kept alive, the server would hand it over again.
      const competitor = await jetstream(nc).consumers.get(stream, durable);
      const stolen = await competitor.next({ expires: 3000 });
      expect({ seq: message.seq, stolen: stolen?.seq }).toEqual({ seq, stolen: undefined });
      events.close();
    }
    const info = await jsm.consumers.info(stream, durable);
    expect({ unacked: info.num_ack_pending, floor: info.ack_floor.stream_seq }).toEqual({
      unacked: 0,
      floor: seq,
    });
  });

  it('creates a durable with the default ack wait when ackWaitMs is passed as undefined, and refuses a durable without explicit acks', async () => {
    const events = await bindMatrixEvents(nc, {
      subject: 'matrix.b-undefined.>',
      durable: 'undefined-wait',
      namespace: ns,
      logger,
      ackWaitMs: undefined,
      maxDeliver: undefined,
    });
    const info = await jsm.consumers.info(events.stream, events.durable);
    expect({ ackWait: info.config.ack_wait, maxDeliver: info.config.max_deliver }).toEqual({
      ackWait: nanos(30_000),
      maxDeliver: 5,
    });

    await jsm.consumers.add(`${NS}_MATRIX_EVENTS`, {
      durable_name: `${ns}-no-acks`,
      filter_subject: `${ns}.matrix.b-none.>`,
      ack_policy: AckPolicy.None,
    });
    const refused = bindMatrixEvents(nc, {
      subject: 'matrix.b-none.>',
      durable: 'no-acks',
      namespace: ns,
      logger,
    });
    await expect(refused).rejects.toBeInstanceOf(DurableMismatchError);
    await expect(refused).rejects.toMatchObject({
      field: 'ack_policy',
      expected: 'explicit',
      actual: 'none',
    });
  });

  it('terminates and logs a message its decoder throws on, and goes on', async () => {
    const subject = 'matrix.b-decoder.scgrids.ZONE_CREATED.NORMAL';
    const seq = await publish(subject, ZONE_CREATED);
    const names = resolveNames('matrix-events', 'matrix.b-decoder.>', 'decoder', ns);
    await bindMatrixEvents(nc, { subject: 'matrix.b-decoder.>', durable: 'decoder', namespace: ns, logger });
    const failing = new TypedConsumer<never>(
      nc,
      names,
      () => {
        throw new Error('decoder bug');
      },
      { logger, onInvalid: 'skip' },
    );
    const loop = (async () => {
      for await (const _item of failing) throw new Error('nothing is yielded');
    })();
    await expectEventually(() =>
      expect(warnings).toContainEqual(
        expect.stringMatching(
          new RegExp(`^terminated ${NS}_MATRIX_EVENTS #${seq} .*the decoder failed: decoder bug`),
        ),
      ),
    );
    failing.close();
    await loop;
    const info = await jsm.consumers.info(names.stream, names.durable);
    expect({ unacked: info.num_ack_pending, floor: info.ack_floor.stream_seq }).toEqual({
      unacked: 0,
      floor: seq,
    });
  });
});
