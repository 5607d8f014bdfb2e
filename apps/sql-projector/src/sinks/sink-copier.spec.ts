import { expectEventually } from '@matrix/testing';
import { SinkCopier, type SinkConnection, type SinkCopierDeps } from './sink-copier';
import type { SinkStream } from './sink-schema';
import type { SinkPositions } from './sink-target';
import type { SinksRepository, SinkWindow } from './sinks.repository';

/** A row of the dedicated database: its stream sequence and key. */
interface Row {
  seq: number;
  id: string;
}

/** `n` sequences of `perSeq` rows each (a message of several points is several rows of one sequence). */
const rows = (n: number, perSeq: number): Row[] =>
  Array.from({ length: n * perSeq }, (_, i) => ({ seq: Math.floor(i / perSeq) + 1, id: `r${i}` }));

function world(source: Record<SinkStream, Row[]>, start: SinkPositions, horizon: SinkPositions) {
  const written: Record<SinkStream, string[]> = { sensor_data: [], events: [] };
  const cursors: SinkPositions = structuredClone(start);
  const windows: { stream: SinkStream; after: number }[] = [];
  const resets: SinkStream[] = [];
  const failures: string[] = [];
  let failWrites = 0;
  const repository = {
    async window(stream: SinkStream, _propId: string, after: number, through: number, limit: number) {
      windows.push({ stream, after });
      const found = source[stream].filter((r) => r.seq > after && r.seq <= through).slice(0, limit);
      return {
        json: JSON.stringify(found),
        rows: found.length,
        lastSeq: found.at(-1)?.seq ?? 0,
      } as SinkWindow;
    },
    recordProgress: async () => undefined,
    recordFailure: async (_p: string, _g: number, error: string) => void failures.push(error),
  } as unknown as SinksRepository;
  const target: SinkConnection = {
    prepare: async () => structuredClone(cursors),
    async write(stream, json, position) {
      if (failWrites > 0) {
        failWrites -= 1;
        throw new Error('connection refused');
      }
      const batch = json === undefined ? [] : (JSON.parse(json) as Row[]);
      const before = new Set(written[stream]);
      for (const row of batch) if (!before.has(row.id)) written[stream].push(row.id);
      cursors[stream] = { ...position };
      return batch.length;
    },
    close: async () => undefined,
  };
  const deps: SinkCopierDeps = {
    repository,
    horizon: async () => horizon,
    read: (work) => work(),
    onRows: () => undefined,
    onLag: () => undefined,
    onFailure: (error) => void failures.push(error.message),
    onStreamReset: (stream) => void resets.push(stream),
    random: () => 0,
    open: () => target,
  };
  const copier = (rowsPerCopy: number) =>
    new SinkCopier(
      {
        propId: 'p1',
        generation: 1,
        connectionString: 'postgres://sink/db',
        caughtUpAt: null,
        setAt: new Date(),
        pollMs: 5,
        maxBackoffMs: 10,
        rowsPerCopy,
      },
      deps,
    );
  return {
    written,
    cursors,
    windows,
    resets,
    failures,
    copier,
    failNextWrites: (n: number) => (failWrites = n),
  };
}

const at = (through: number, epoch: string | null = 'E1') => ({ through, epoch });

describe('SinkCopier', () => {
  it('copies every row once up to the projector’s position, in windows cut by the row limit', async () => {
    const source = { sensor_data: rows(10, 3), events: rows(4, 1) };
    const w = world(
      source,
      { sensor_data: at(0, null), events: at(0, null) },
      { sensor_data: at(10), events: at(4) },
    );
    const copier = w.copier(4);
    await expectEventually(() => {
      expect(w.cursors).toEqual({ sensor_data: at(10), events: at(4) });
    });
    await copier.stop();
    expect([...w.written.sensor_data].sort()).toEqual(source.sensor_data.map((r) => r.id).sort());
    expect(w.written.events).toEqual(source.events.map((r) => r.id));
    // A window never reaches past a sequence it could not read whole: each starts where the last stopped.
    expect(w.windows.filter((x) => x.stream === 'sensor_data').length).toBeGreaterThan(3);
    expect(w.resets).toEqual([]);
  });

  it('reads a sequence with more rows than the limit whole', async () => {
    const source = { sensor_data: rows(2, 7), events: [] };
    const w = world(source, { sensor_data: at(0), events: at(0) }, { sensor_data: at(2), events: at(0) });
    const copier = w.copier(3);
    await expectEventually(() => expect(w.cursors.sensor_data).toEqual(at(2)));
    await copier.stop();
    expect(w.written.sensor_data).toHaveLength(14);
  });

  it('starts over from the first sequence when the projector’s consumer was made anew (another epoch)', async () => {
    const source = { sensor_data: rows(6, 1), events: [] };
    // The sink holds everything through 4 of the old consumer; the new one has acked through 6 already:
    // counting on from 4 would skip the new consumer's 1–4.
    const w = world(
      source,
      { sensor_data: at(4, 'E0'), events: at(0) },
      { sensor_data: at(6, 'E1'), events: at(0) },
    );
    const copier = w.copier(100);
    await expectEventually(() => expect(w.cursors.sensor_data).toEqual(at(6, 'E1')));
    await copier.stop();
    expect(w.resets).toEqual(['sensor_data']);
    expect(w.windows.find((x) => x.stream === 'sensor_data')?.after).toBe(0);
    expect(w.written.sensor_data).toHaveLength(6);
  });

  it('retries a sink that fails, from the sink’s own cursor, telling the failure as the sink’s', async () => {
    const source = { sensor_data: rows(3, 1), events: [] };
    const w = world(source, { sensor_data: at(0), events: at(0) }, { sensor_data: at(3), events: at(0) });
    w.failNextWrites(2);
    const copier = w.copier(100);
    await expectEventually(() => expect(w.cursors.sensor_data).toEqual(at(3)));
    await copier.stop();
    expect(w.failures).toEqual(expect.arrayContaining(['the sink: connection refused']));
    expect(w.written.sensor_data).toEqual(['r0', 'r1', 'r2']);
  });
});
