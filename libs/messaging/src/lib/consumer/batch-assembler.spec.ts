import { BatchAssembler } from './batch-assembler';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Records dispatched and dismissed batches; dispatch can be held open with `gate`. */
function recorder(hold = false) {
  const dispatched: string[][] = [];
  const dismissed: string[][] = [];
  const finished: string[][] = [];
  const gates: (() => void)[] = [];
  const dispatch = (batch: string[]) => {
    dispatched.push(batch);
    if (!hold) return Promise.resolve(void finished.push(batch));
    return new Promise<void>((resolve) => gates.push(() => (finished.push(batch), resolve())));
  };
  const dismiss = (items: string[]) => void dismissed.push(items);
  return { dispatched, dismissed, finished, gates, dispatch, dismiss };
}

describe('BatchAssembler', () => {
  afterEach(() => jest.useRealTimers());

  it('dispatches a batch as soon as maxMessages items are buffered', async () => {
    const r = recorder();
    const assembler = new BatchAssembler({ maxMessages: 3, maxWaitMs: 60_000 }, r.dispatch, r.dismiss);
    for (const item of ['a', 'b', 'c', 'd', 'e']) await assembler.add(item);
    await tick();

    expect(r.dispatched).toEqual([['a', 'b', 'c']]);
    expect(assembler.buffered).toBe(2);
    await assembler.close();
    expect(r.dismissed).toEqual([['d', 'e']]);
  });

  it('dispatches a partial batch maxWaitMs after its first item arrived', async () => {
    jest.useFakeTimers();
    const r = recorder();
    const assembler = new BatchAssembler({ maxMessages: 100, maxWaitMs: 100 }, r.dispatch, r.dismiss);
    await assembler.add('a');
    jest.advanceTimersByTime(60);
    await assembler.add('b');
    jest.advanceTimersByTime(39);
    await Promise.resolve();
    expect(r.dispatched).toEqual([]);

    jest.advanceTimersByTime(1);
    await assembler.flush(); // settles the admission chain; nothing new was buffered
    expect(r.dispatched).toEqual([['a', 'b']]);

    // The next batch's clock starts with its own first item.
    await assembler.add('c');
    jest.advanceTimersByTime(99);
    expect(r.dispatched).toHaveLength(1);
    jest.advanceTimersByTime(1);
    await assembler.flush();
    expect(r.dispatched).toEqual([['a', 'b'], ['c']]);
  });

  it('runs no more than `concurrency` batches and holds the producer back until a slot frees', async () => {
    const r = recorder(true);
    const assembler = new BatchAssembler(
      { maxMessages: 2, maxWaitMs: 60_000, concurrency: 1 },
      r.dispatch,
      r.dismiss,
    );
    await assembler.add('a');
    await assembler.add('b'); // completes batch 1, admitted at once
    await assembler.add('c');
    let admitted = false;
    const second = assembler.add('d').then(() => (admitted = true));
    await tick();
    expect(r.dispatched).toEqual([['a', 'b']]);
    expect(admitted).toBe(false);

    r.gates[0]!();
    await second;
    expect(r.dispatched).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(r.finished).toEqual([['a', 'b']]);
    r.gates[1]!();
    await assembler.idle();
    expect(r.finished).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('runs batches side by side up to `concurrency`, dispatched in assembly order', async () => {
    const r = recorder(true);
    const assembler = new BatchAssembler(
      { maxMessages: 1, maxWaitMs: 60_000, concurrency: 2 },
      r.dispatch,
      r.dismiss,
    );
    await assembler.add('a');
    await assembler.add('b');
    const third = assembler.add('c');
    await tick();
    expect(r.dispatched).toEqual([['a'], ['b']]);

    r.gates[1]!(); // the second finishes first: its slot goes to the third
    await third;
    expect(r.dispatched).toEqual([['a'], ['b'], ['c']]);
    r.gates[0]!();
    r.gates[2]!();
    await assembler.idle();
  });

  it('on close, waits for running batches and dismisses buffered and waiting ones without dispatching them', async () => {
    const r = recorder(true);
    const assembler = new BatchAssembler({ maxMessages: 2, maxWaitMs: 60_000 }, r.dispatch, r.dismiss);
    await assembler.add('a');
    await assembler.add('b'); // running
    await assembler.add('c');
    void assembler.add('d'); // complete, waiting for the slot
    await assembler.add('e'); // still being assembled
    let closed = false;
    const closing = assembler.close().then(() => (closed = true));
    await tick();
    expect(closed).toBe(false);
    expect(r.dismissed).toEqual([['e']]);

    r.gates[0]!();
    await closing;
    expect(r.dispatched).toEqual([['a', 'b']]);
    expect(r.finished).toEqual([['a', 'b']]);
    expect(r.dismissed).toEqual([['e'], ['c', 'd']]);

    await assembler.add('late');
    expect(r.dismissed).toEqual([['e'], ['c', 'd'], ['late']]);
  });

  it('keeps dispatching after a batch fails', async () => {
    const seen: string[][] = [];
    const assembler = new BatchAssembler(
      { maxMessages: 1, maxWaitMs: 0 },
      async (batch: string[]) => {
        seen.push(batch);
        if (batch[0] === 'bad') throw new Error('boom');
      },
      () => undefined,
    );
    await assembler.add('bad');
    await assembler.add('good');
    await assembler.idle();
    expect(seen).toEqual([['bad'], ['good']]);
  });

  it('refuses nonsensical options', () => {
    const noop = () => Promise.resolve();
    expect(() => new BatchAssembler({ maxMessages: 0, maxWaitMs: 10 }, noop, noop)).toThrow(/maxMessages/);
    expect(() => new BatchAssembler({ maxMessages: 1.5, maxWaitMs: 10 }, noop, noop)).toThrow(/maxMessages/);
    expect(() => new BatchAssembler({ maxMessages: 5, maxWaitMs: -1 }, noop, noop)).toThrow(/maxWaitMs/);
    expect(() => new BatchAssembler({ maxMessages: 5, maxWaitMs: 1, concurrency: 0 }, noop, noop)).toThrow(
      /concurrency/,
    );
  });
});
