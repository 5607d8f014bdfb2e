import type { NormalisedSensorDataPointV1 } from '@matrix/contracts';
import { RetryableError, type InboundMessage, type PrincipalDirectory } from '@matrix/messaging';
import type { MetricsService } from '@matrix/platform';
import { SensorDataHandler } from './sensor-data.handler';
import type { RowResult, SensorDataRepository } from './sensor-data.repository';

const point = (unixT: number) =>
  ({
    t: '20220601135945',
    v: { count: 2 },
    unixT,
    DEVID: 'd1',
    Region: 'Asia/Singapore',
    time: '2022-06-01T13:59:45+0800',
    DevType: 'SMARTCLEAN#PPLCTR',
    PID: 'b1',
    InsID: 'z1',
    dow: '3',
    month: '06',
    hour: '13',
    dom: '01',
    minute: '59',
  }) as NormalisedSensorDataPointV1;

/** A one-point message without `Matrix-Reading-Ids`: its row is keyed by its `Nats-Msg-Id`. */
const message = (msgId: string | undefined, seq: number, unixT = 1654063185904) =>
  ({ msgId, streamSequence: seq, storedAt: new Date(), headers: {}, data: [point(unixT)] }) as InboundMessage<
    NormalisedSensorDataPointV1[]
  >;

/** A message of several points with their reading ids in `Matrix-Reading-Ids`. */
const batch = (ids: string[], seq: number, unixTs: number[]) =>
  ({
    msgId: `data:b${seq}`,
    streamSequence: seq,
    storedAt: new Date(),
    headers: { 'Matrix-Reading-Ids': ids.join(',') },
    data: unixTs.map(point),
  }) as unknown as InboundMessage<NormalisedSensorDataPointV1[]>;

/** The PRINCIPALS directory, as the projector sees it. */
function directory(entries: Record<string, { type: string; org: string; property?: string }>, loaded = true) {
  return {
    loaded,
    problem: loaded ? undefined : 'KV bucket not readable',
    prefetch: async () => undefined,
    resolve: (key: string) => entries[key],
  } as unknown as PrincipalDirectory;
}

function handlerWith(results: RowResult[], principals = directory({})) {
  const written: unknown[][][] = [];
  const repository = {
    write: async (rows: unknown[][]) => (written.push(rows), results),
  } as unknown as SensorDataRepository;
  const counted: Record<string, number> = {};
  const metrics = {
    counter: () => ({
      inc: ({ outcome }: { outcome: string }, n = 1) => (counted[outcome] = (counted[outcome] ?? 0) + n),
    }),
    histogram: () => ({ labels: () => ({ observe: () => undefined }) }),
  } as unknown as MetricsService;
  return { handler: new SensorDataHandler(repository, principals, metrics), written, counted };
}

describe('SensorDataHandler', () => {
  it('settles each message by what became of its row, in order', async () => {
    const { handler, written, counted } = handlerWith([
      { kind: 'inserted' },
      { kind: 'duplicate' },
      { kind: 'refused', reason: 'PostgreSQL refused the row: no (SQLSTATE 22021)' },
    ]);
    const outcomes = await handler.handle([
      message('data:a', 1),
      message('data:b', 2),
      message(undefined, 3),
    ]);

    expect(outcomes).toEqual([
      { kind: 'done' },
      { kind: 'skipped', reason: '1 point(s) already projected' },
      { kind: 'rejected', reason: 'PostgreSQL refused the row: no (SQLSTATE 22021)' },
    ]);
    expect(written[0]!.map((row) => row[0])).toEqual(['data:a', 'data:b', 'seq:3']);
    expect(counted).toEqual({ inserted: 1, duplicate: 1, refused: 1 });
  });

  it('refuses a point that cannot become a row without holding back the rest of the batch', async () => {
    const { handler, written } = handlerWith([{ kind: 'inserted' }, { kind: 'inserted' }]);
    const outcomes = await handler.handle([
      message('data:a', 1),
      message('data:huge', 2, 1e20),
      message('data:c', 3),
    ]);

    expect(outcomes).toEqual([
      { kind: 'done' },
      {
        kind: 'rejected',
        reason: expect.stringMatching(/^point 0: cannot be a sensor_data row: .*time value/),
      },
      { kind: 'done' },
    ]);
    expect(written[0]!.map((row) => row[0])).toEqual(['data:a', 'data:c']);
  });

  it('keys each point of a batch message data:<reading id> and settles the message by all its rows', async () => {
    const { handler, written } = handlerWith([
      { kind: 'inserted' },
      { kind: 'duplicate' },
      { kind: 'duplicate' },
      { kind: 'duplicate' },
      { kind: 'inserted' },
      { kind: 'refused', reason: 'bad' },
    ]);
    const outcomes = await handler.handle([
      batch(['r1', 'r2'], 7, [1654063185904, 1654063185905]),
      batch(['r3', 'r4'], 8, [1654063185906, 1654063185907]),
      batch(['r5', 'r6'], 9, [1654063185908, 1654063185909]),
    ]);

    expect(written[0]!.map((row) => row[0])).toEqual([
      'data:r1',
      'data:r2',
      'data:r3',
      'data:r4',
      'data:r5',
      'data:r6',
    ]);
    expect(outcomes).toEqual([
      { kind: 'done' },
      { kind: 'skipped', reason: '2 point(s) already projected' },
      { kind: 'rejected', reason: 'row data:r6: bad' },
    ]);
  });

  it("writes the building's property as the registry has it, not the PropId a point carries", async () => {
    const forged = { ...message('m1', 1), data: [{ ...point(1654063185904), PropId: 'other-property' }] };
    const known = handlerWith(
      [{ kind: 'inserted' }],
      directory({ b1: { type: 'building', org: 'o', property: 'p1' } }),
    );
    await known.handler.handle([forged as InboundMessage<NormalisedSensorDataPointV1[]>]);
    expect(known.written[0]![0]![9]).toBe('p1');
    // A building the directory does not hold keeps the point's own PropId.
    const unknown = handlerWith([{ kind: 'inserted' }]);
    await unknown.handler.handle([forged as InboundMessage<NormalisedSensorDataPointV1[]>]);
    expect(unknown.written[0]![0]![9]).toBe('other-property');
  });

  it('retries the batch while the principal directory cannot be read, writing nothing', async () => {
    const { handler, written } = handlerWith([{ kind: 'inserted' }], directory({}, false));
    await expect(handler.handle([message('m1', 1)])).rejects.toThrow(RetryableError);
    expect(written).toEqual([]);
  });
});
