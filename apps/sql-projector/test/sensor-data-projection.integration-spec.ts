import { HEADER, readingIdsHeader, SINGLE_POINT_MESSAGE } from '@matrix/contracts';
import {
  JetStreamPublisher,
  MATRIX_TOPOLOGY,
  NatsClient,
  RetryableError,
  SENSOR_DATA,
  SQL_PROJECTOR_SENSOR_DATA,
  type Topology,
} from '@matrix/messaging';
import type { Database } from '@matrix/persistence';
import { MetricsService } from '@matrix/platform';
import { expectEventually } from '@matrix/testing';
import { SensorDataRepository, type RowResult } from '../src/sensor-data/sensor-data.repository';
import { hhmm, pointMessages, rollups, seededPoint, type SeededPoint } from './projector-fixtures';
import { ProjectorHarness } from './projector-harness';

/*
 * sql-projector in-process on a real PostgreSQL and nats-server (own database, own NATS namespace):
 * points published to SENSOR_DATA land as rows exactly once through redeliveries and replays, the
 * 15-minute rollup equals a GROUP BY over the rows, and both documented dedicated-database queries
 * (reference §5) answer a seeded day correctly.
 */

/** SENSOR_DATA forgets message ids after 300 ms here, so a test can store a replay of a point. */
const DUPLICATE_WINDOW_MS = 300;
const TOPOLOGY: Topology = {
  streams: MATRIX_TOPOLOGY.streams.map((stream) =>
    stream.name === SENSOR_DATA.name ? { ...stream, duplicateWindowMs: DUPLICATE_WINDOW_MS } : stream,
  ),
  consumers: MATRIX_TOPOLOGY.consumers,
};

let nats: NatsClient;
let publisher: JetStreamPublisher;
let sql: Database;
let repository: SensorDataRepository;
/** The repository's own write, not recorded. */
let realWrite: SensorDataRepository['write'];
/** Every repository.write the projector made: the message ids and what became of them. */
const writes: { ids: string[]; results: RowResult[] }[] = [];

// The PRINCIPALS directory the projector reads a row's property from is empty here: no building known.
const harness = new ProjectorHarness('projector', {
  topology: TOPOLOGY,
  beforeInit: (created) => {
    repository = created.get(SensorDataRepository);
    realWrite = repository.write.bind(repository);
    jest.spyOn(repository, 'write').mockImplementation(async (rows) => {
      const results = await realWrite(rows);
      writes.push({ ids: rows.map((row) => row[0] as string), results });
      return results;
    });
  },
});

/** One message per point: a one-point array with its reading id, as the normaliser publishes a lone point. */
const publish = (points: SeededPoint[]) =>
  publisher.publishAll(
    points.map(({ subject, point, msgId }) => ({
      subject,
      payload: [point],
      msgId,
      headers: readingIdsHeader([msgId.replace(/^data:/, '')]),
    })),
  );
/** As sensor-normaliser publishes: per subject, JSON arrays of up to `size` points with their reading ids. */
const publishBatched = (points: SeededPoint[], size = 100) =>
  publisher.publishAll(pointMessages(points, size));
const count = async (pid: string) =>
  (
    await sql.query(
      `select count(*)::int as n, count(distinct msg_id)::int as ids from matrix.sensor_data where pid = $1`,
      [pid],
    )
  )[0] as {
    n: number;
    ids: number;
  };
const settled = async () => {
  const info = await nats.jsm.consumers.info(
    nats.namespace.stream(SENSOR_DATA.name),
    nats.namespace.durable(SQL_PROJECTOR_SENSOR_DATA.durable),
  );
  expect(info.num_pending + info.num_ack_pending).toBe(0);
};

beforeAll(async () => {
  ({ nats, sql } = await harness.start());
  publisher = new JetStreamPublisher(nats);
});

afterAll(() => harness.stop());

describe('sql-projector on PostgreSQL and NATS', () => {
  it('lands a batch as rows once when it is redelivered after its rows were committed', async () => {
    const points = Array.from({ length: 1200 }, (_, i) =>
      seededPoint({
        pid: 'b-redeliver',
        zone: `zone-${i % 4}`,
        type: ['PPLCTR', 'UM', 'FD'][i % 3]!,
        at: `2022-06-02T${hhmm(i)}+08:00`,
        v: i % 3 === 2 ? { rating: 1 + (i % 5) } : { count: 1 + (i % 3), out_count: i % 2 },
      }),
    );
    // The first batch commits, then the process "loses" the acknowledgements: JetStream delivers it again.
    const writesBefore = writes.length;
    let firstBatch: string[] = [];
    jest.spyOn(repository, 'write').mockImplementationOnce(async (rows) => {
      await realWrite(rows); // committed, not recorded in `writes`
      firstBatch = rows.map((row) => row[0] as string);
      throw new RetryableError('connection lost before the acknowledgements went out', 0);
    });

    await publish(points);

    await expectEventually(async () => {
      expect(await count('b-redeliver')).toEqual({ n: 1200, ids: 1200 });
      await settled();
    });
    expect(firstBatch.length).toBeGreaterThan(0);
    // The redelivered messages came back and were found already written.
    // (A batch handled beside the first one holds other ids, so it is filtered out.)
    const again = writes
      .slice(writesBefore)
      .flatMap(({ ids, results }) => ids.map((id, i) => [id, results[i]!.kind] as const))
      .filter(([id]) => firstBatch.includes(id));
    expect(new Set(again.map(([id]) => id)).size).toBe(firstBatch.length);
    expect(again.every(([, kind]) => kind === 'duplicate')).toBe(true);
    const { expected, actual } = await rollups(sql);
    expect(actual).toEqual(expected);
  });

  it('measures the lag of each message it writes, from the time JetStream stored it', async () => {
    const lagCount = async () => {
      const metric = harness.app.get(MetricsService).registry.getSingleMetric('matrix_projector_lag_seconds');
      const values = (await metric?.get())?.values ?? [];
      return (
        values.find(
          (v) =>
            (v as { metricName?: string }).metricName === 'matrix_projector_lag_seconds_count' &&
            v.labels['projection'] === 'sensor_data',
        )?.value ?? 0
      );
    };
    const before = await lagCount();
    const points = Array.from({ length: 5 }, (_, i) =>
      seededPoint({
        pid: 'b-lag',
        zone: 'zone-0',
        type: 'PPLCTR',
        at: `2022-06-04T${hhmm(i)}+08:00`,
        v: { count: 1 },
      }),
    );
    await publish(points);
    await expectEventually(async () => {
      expect((await count('b-lag')).n).toBe(5);
      await settled();
    });
    expect(await lagCount()).toBe(before + 5);
  });

  it('stores a replayed point once and does not count it again in the rollup', async () => {
    const points = Array.from({ length: 60 }, (_, i) =>
      seededPoint({
        pid: 'b-replay',
        zone: `zone-${i % 2}`,
        type: 'PPLCTR',
        at: `2022-06-03T${hhmm(i)}+08:00`,
        v: { count: 2 },
      }),
    );
    await publish(points);
    await expectEventually(async () => expect((await count('b-replay')).n).toBe(60));
    const people = async () =>
      (
        await sql.query(`select sum(count_sum)::int as n from matrix.sensor_data_15m where pid = 'b-replay'`)
      )[0].n;
    expect(await people()).toBe(120);
    const writesBefore = writes.length;

    // The same points stored again in SENSOR_DATA once its duplicate window has passed (a replay).
    const notStoredAgain = new Set(points.map((point) => point.msgId));
    await expectEventually(async () => {
      const remaining = points.filter((point) => notStoredAgain.has(point.msgId));
      (await publish(remaining)).forEach((ack, i) => {
        if (!ack.duplicate) notStoredAgain.delete(remaining[i]!.msgId);
      });
      expect(notStoredAgain.size).toBe(0);
    });
    const replayIds = new Set(points.map((point) => point.msgId));
    await expectEventually(async () => {
      const replayed = writes
        .slice(writesBefore)
        .flatMap(({ ids, results }) => ids.map((id, i) => [id, results[i]!.kind] as const))
        .filter(([id]) => replayIds.has(id));
      expect(new Set(replayed.map(([id]) => id)).size).toBe(60);
      expect(replayed.every(([, kind]) => kind === 'duplicate')).toBe(true);
      await settled();
    });
    expect(await count('b-replay')).toEqual({ n: 60, ids: 60 });
    expect(await people()).toBe(120);
    const { expected, actual } = await rollups(sql);
    expect(actual).toEqual(expected);
  });

  it('writes the points of batch messages keyed by reading id, once, also when the messages are replayed', async () => {
    const points = Array.from({ length: 900 }, (_, i) =>
      seededPoint({
        pid: 'b-batched',
        zone: `zone-${i % 3}`,
        type: ['PPLCTR', 'FD'][i % 2]!,
        at: `2022-06-05T${hhmm(i)}+08:00`,
        v: i % 2 === 0 ? { count: 1 } : { rating: 3 },
      }),
    );
    const acks = await publishBatched(points);
    expect(acks).toHaveLength(10); // 450 per subject, in messages of 100
    await expectEventually(async () => {
      expect(await count('b-batched')).toEqual({ n: 900, ids: 900 });
      await settled();
    });
    const ids = await sql.query(`select msg_id from matrix.sensor_data where pid = 'b-batched'`);
    expect(new Set(ids.map((row: { msg_id: string }) => row.msg_id))).toEqual(
      new Set(points.map((point) => point.msgId)),
    );
    // Replayed in other groupings (another message id each): still one row per reading.
    const replay = await publishBatched(points, 77);
    expect(replay.every((ack) => !ack.duplicate)).toBe(true);
    await expectEventually(async () => {
      await settled();
      expect(await count('b-batched')).toEqual({ n: 900, ids: 900 });
    });
    const { expected, actual } = await rollups(sql);
    expect(actual).toEqual(expected);
  });

  it('dead-letters a point PostgreSQL refuses, with the reason, and writes the rest of its batch', async () => {
    const good = Array.from({ length: 20 }, (_, i) =>
      seededPoint({
        pid: 'b-poison',
        zone: 'zone-p',
        type: 'PPLCTR',
        at: `2022-06-04T${hhmm(i)}+08:00`,
        v: { count: 1 },
      }),
    );
    const nul = seededPoint({
      pid: 'b-poison',
      zone: 'zone-p',
      type: 'UM',
      at: '2022-06-04T10:00+08:00',
      v: { count: 1 },
      display: 'bad \u0000 name',
    });
    const fractional = seededPoint({
      pid: 'b-poison',
      zone: 'zone-p',
      type: 'FD',
      at: '2022-06-04T10:00+08:00',
      v: { rating: 2.5 },
    });
    await publish([...good.slice(0, 10), nul, fractional, ...good.slice(10)]);

    const deadLetter = (subject: string) =>
      expectEventually(async () => {
        const letter = await nats.jsm.streams.getMessage(nats.namespace.stream('DLQ'), {
          last_by_subj: nats.namespace.subject(`dlq.${subject}`),
        });
        if (!letter) throw new Error(`no dead letter for ${subject} yet`);
        return letter;
      });
    const nulLetter = await deadLetter(nul.subject);
    expect(nulLetter.header.get(HEADER.dlqReason)).toBe(
      'PostgreSQL refused the row: unsupported Unicode escape sequence (SQLSTATE 22P05)',
    );
    expect(nulLetter.json()).toEqual([nul.point]);
    const ratingLetter = await deadLetter(fractional.subject);
    expect(ratingLetter.header.get(HEADER.dlqReason)).toBe(
      'PostgreSQL refused the row: invalid input syntax for type integer: "2.5" (SQLSTATE 22P02)',
    );

    await expectEventually(async () => {
      expect(await count('b-poison')).toEqual({ n: 20, ids: 20 });
      await settled();
    });
  });

  it('dead-letters a message that is one point object (the shape from before batching), naming the shape, and writes nothing', async () => {
    const single = seededPoint({
      pid: 'b-single',
      zone: 'zone-s',
      type: 'PPLCTR',
      at: '2022-06-04T11:00+08:00',
      v: { count: 1 },
    });
    await publisher.publish({ subject: single.subject, payload: single.point, msgId: single.msgId });

    const letter = await expectEventually(async () => {
      const found = await nats.jsm.streams.getMessage(nats.namespace.stream('DLQ'), {
        last_by_subj: nats.namespace.subject(`dlq.${single.subject}`),
      });
      if (!found) throw new Error('not dead-lettered yet');
      return found;
    });
    expect(letter.header.get(HEADER.dlqReason)).toBe(`invalid message: ${SINGLE_POINT_MESSAGE}`);
    expect(letter.json()).toEqual(single.point);
    await expectEventually(settled);
    expect(await count('b-single')).toEqual({ n: 0, ids: 0 });
  });

  it('answers both documented dedicated-database queries (reference §5) on a seeded day, as the rollup does', async () => {
    const day = (
      zone: string,
      type: string,
      minute: number,
      v: Record<string, unknown>,
      date = '2022-06-01',
    ) => seededPoint({ pid: 'b-day', zone, type, at: `${date}T${hhmm(minute)}+08:00`, v });
    const points = [
      // zone-a: a people counter every 10 minutes, counts 1, 2, 3, 4, 1, … → 36 × 10 = 360
      ...Array.from({ length: 144 }, (_, i) =>
        day('zone-a', 'PPLCTR', i * 10, { count: (i % 4) + 1, out_count: 1 }),
      ),
      // zone-b: every 15 minutes, count 2 → 192
      ...Array.from({ length: 96 }, (_, i) =>
        day('zone-b', 'PPLCTR', i * 15 + 7, { count: 2, out_count: 0 }),
      ),
      // Not counted by the first query: another slot type, the days before and after, another building.
      ...Array.from({ length: 20 }, (_, i) => day('zone-a', 'UM', i * 30, { count: 50 })),
      day('zone-a', 'PPLCTR', 23 * 60 + 55, { count: 100 }, '2022-05-31'),
      day('zone-b', 'PPLCTR', 0, { count: 100 }, '2022-06-02'),
      seededPoint({
        pid: 'b-other',
        zone: 'zone-a',
        type: 'PPLCTR',
        at: '2022-06-01T12:00+08:00',
        v: { count: 1000 },
      }),
      // Feedback: zone-a ratings 1, 2, 3, 4, 5, 2 → 17 / 6; zone-b 5, 5, 4 → 14 / 3
      ...[1, 2, 3, 4, 5, 2].map((rating, i) => day('zone-a', 'FD', 60 + i * 97, { rating, n: 0, nm: 'x' })),
      ...[5, 5, 4].map((rating, i) => day('zone-b', 'FD', 600 + i * 45, { rating, n: 1 })),
      day('zone-b', 'FD', 30, { rating: 1 }, '2022-06-02'),
      // Temperature-humidity: stored, not rolled up.
      ...Array.from({ length: 10 }, (_, i) => day('zone-a', 'TH', i * 60, { t: 24.5, h: 60 })),
    ];
    await publishBatched(points);
    await expectEventually(async () => {
      expect((await count('b-day')).n).toBe(points.length - 1);
      await settled();
    });

    // The documented queries, verbatim but for <db.table> and the placeholders.
    const totalPeople = await sql.query(`
      select insid as Zone, sum(cast(v->>'count' as integer)) TotalPeople from matrix.sensor_data
      where pid = 'b-day' and month = '06' and dom = '01' and devtype = 'SMARTCLEAN#PPLCTR'
      and time >= '2022-06-01T00:00:00+08:00' and time <= '2022-06-01T23:59:59+08:00' group by insid;`);
    const averageRating = await sql.query(`
      select insid as Zone, avg(cast(v->>'rating' as integer)) AverageRating from matrix.sensor_data
      where pid = 'b-day' and month = '06' and dom = '01' and devtype = 'SMARTCLEAN#FD'
      and time >= '2022-06-01T00:00:00+08:00' and time <= '2022-06-01T23:59:59+08:00' group by insid;`);

    const byZone = (rows: Record<string, string>[], column: string) =>
      Object.fromEntries(rows.map((row) => [row['zone'], Number(row[column])]));
    expect(byZone(totalPeople, 'totalpeople')).toEqual({ 'zone-a': 360, 'zone-b': 192 });
    const ratings = byZone(averageRating, 'averagerating');
    expect(Object.keys(ratings).sort()).toEqual(['zone-a', 'zone-b']);
    expect(ratings['zone-a']).toBeCloseTo(17 / 6, 12);
    expect(ratings['zone-b']).toBeCloseTo(14 / 3, 12);

    // The same day from the rollup: the local day in Asia/Singapore is 96 whole 15-minute buckets.
    const fromRollup = await sql.query(`
      select insid as zone,
             sum(count_sum) filter (where devtype = 'SMARTCLEAN#PPLCTR') as total_people,
             sum(rating_sum) filter (where devtype = 'SMARTCLEAN#FD')::numeric
               / nullif(sum(rating_count) filter (where devtype = 'SMARTCLEAN#FD'), 0) as average_rating
        from matrix.sensor_data_15m
       where pid = 'b-day'
         and bucket >= (date '2022-06-01')::timestamp at time zone 'Asia/Singapore'
         and bucket <  (date '2022-06-01' + 1)::timestamp at time zone 'Asia/Singapore'
       group by insid order by insid`);
    expect(
      fromRollup.map((row: Record<string, string>) => [row['zone'], Number(row['total_people'])]),
    ).toEqual([
      ['zone-a', 360],
      ['zone-b', 192],
    ]);
    expect(Number(fromRollup[0].average_rating)).toBeCloseTo(ratings['zone-a']!, 12);
    expect(Number(fromRollup[1].average_rating)).toBeCloseTo(ratings['zone-b']!, 12);

    const { expected, actual } = await rollups(sql);
    expect(actual).toEqual(expected);
  });
});
