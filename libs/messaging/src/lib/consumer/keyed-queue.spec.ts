import { KeyedQueue } from './keyed-queue';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedQueue', () => {
  it('runs tasks of one key in order and tasks of different keys side by side', async () => {
    const queue = new KeyedQueue(4);
    const log: string[] = [];
    const gates: Record<string, () => void> = {};
    const task = (name: string) => () =>
      new Promise<void>((resolve) => {
        log.push(`start ${name}`);
        gates[name] = () => (log.push(`end ${name}`), resolve());
      });

    await queue.push('a', task('a1'));
    await queue.push('a', task('a2'));
    await queue.push('b', task('b1'));
    await tick();
    expect(log).toEqual(['start a1', 'start b1']);

    gates['a1']!();
    await tick();
    await tick();
    expect(log).toContain('start a2');
    gates['a2']!();
    gates['b1']!();
    await queue.idle();
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
  });

  it('admits no more than its capacity until a task finishes', async () => {
    const queue = new KeyedQueue(2);
    const release: (() => void)[] = [];
    const blocked = () => new Promise<void>((resolve) => release.push(resolve));
    await queue.push('x', blocked);
    await queue.push('y', blocked);
    let thirdAdmitted = false;
    const third = queue.push('z', blocked).then(() => (thirdAdmitted = true));
    await tick();
    expect(thirdAdmitted).toBe(false);

    release[0]!();
    await third;
    expect(thirdAdmitted).toBe(true);
    release.forEach((r) => r());
    await tick();
    release.forEach((r) => r());
    await queue.idle();
  });

  it('keeps going after a task fails', async () => {
    const queue = new KeyedQueue(1);
    const ran: string[] = [];
    await queue.push('k', async () => {
      throw new Error('boom');
    });
    await queue.push('k', async () => void ran.push('next'));
    await queue.idle();
    expect(ran).toEqual(['next']);
  });
});
