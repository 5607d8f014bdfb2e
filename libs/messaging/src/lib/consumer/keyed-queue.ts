/**
 * Runs tasks with bounded concurrency while keeping tasks of the same key in submission order.
 * `push` resolves once the task is admitted (so the caller stops pulling when the queue is full).
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();
  private readonly waiters: (() => void)[] = [];

  constructor(readonly capacity: number) {
    if (capacity < 1) throw new Error('capacity must be at least 1');
  }

  async push(key: string, task: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.capacity) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(task).catch(() => undefined);
    const tracked = run.finally(() => {
      this.running.delete(tracked);
      if (this.tails.get(key) === tracked) this.tails.delete(key);
      this.waiters.shift()?.();
    });
    this.running.add(tracked);
    this.tails.set(key, tracked);
  }

  /** Resolves when every admitted task has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
