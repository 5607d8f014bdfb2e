import { Coalescer } from './coalescer';

/** A read whose answers the test releases one by one. */
function controlledRead() {
  const pending: { key: string; resolve: (value: number) => void; reject: (error: Error) => void }[] = [];
  let reads = 0;
  const read = jest.fn(
    (key: string) =>
      new Promise<number>((resolve, reject) => {
        reads += 1;
        pending.push({ key, resolve, reject });
      }),
  );
  return { read, pending, reads: () => reads };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Coalescer', () => {
  it('reads at once when nothing is in flight', async () => {
    const { read, pending } = controlledRead();
    const coalescer = new Coalescer(read);
    const answer = coalescer.get('a');
    expect(read).toHaveBeenCalledTimes(1);
    pending[0]!.resolve(1);
    await expect(answer).resolves.toBe(1);
  });

  it('never answers a call with a read that started before it; later callers share one new read', async () => {
    const { read, pending } = controlledRead();
    const coalescer = new Coalescer(read);
    const first = coalescer.get('a');
    const second = coalescer.get('a');
    const third = coalescer.get('a');
    expect(read).toHaveBeenCalledTimes(1); // the 2nd and 3rd wait for the 1st read to end
    pending[0]!.resolve(1);
    await expect(first).resolves.toBe(1);
    await tick();
    expect(read).toHaveBeenCalledTimes(2);
    const fourth = coalescer.get('a'); // arrives while the shared read is in flight: waits for a third one
    pending[1]!.resolve(2);
    await expect(second).resolves.toBe(2);
    await expect(third).resolves.toBe(2);
    await tick();
    expect(read).toHaveBeenCalledTimes(3);
    pending[2]!.resolve(3);
    await expect(fourth).resolves.toBe(3);
    await tick();
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('keeps keys apart', async () => {
    const { read, pending } = controlledRead();
    const coalescer = new Coalescer(read);
    const a = coalescer.get('a');
    const b = coalescer.get('b');
    expect(read).toHaveBeenCalledTimes(2);
    pending[0]!.resolve(1);
    pending[1]!.resolve(2);
    await expect(a).resolves.toBe(1);
    await expect(b).resolves.toBe(2);
  });

  it('hands a failed read to its callers only, and reads again for the waiting ones', async () => {
    const { read, pending } = controlledRead();
    const coalescer = new Coalescer(read);
    const first = coalescer.get('a');
    const second = coalescer.get('a');
    pending[0]!.reject(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await tick();
    pending[1]!.resolve(7);
    await expect(second).resolves.toBe(7);
  });
});
