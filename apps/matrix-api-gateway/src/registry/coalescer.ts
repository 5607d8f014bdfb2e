/**
 * Shares reads of the same key among concurrent callers without ever answering a caller with a read that
 * started before it asked: a call while no read of its key is in flight starts one; calls that arrive
 * while one is in flight wait for it to end and then share one new read (at most one in flight and one
 * waiting per key). So under load one database round trip answers many requests, and every answer is at
 * least as fresh as a read of its own would have been.
 */
export class Coalescer<K, V> {
  private readonly running = new Map<K, { done: Promise<unknown>; next?: Promise<V> }>();

  constructor(private readonly read: (key: K) => Promise<V>) {}

  get(key: K): Promise<V> {
    const current = this.running.get(key);
    if (!current) return this.start(key);
    current.next ??= current.done.then(() => this.start(key));
    return current.next;
  }

  private start(key: K): Promise<V> {
    const result = this.read(key);
    const entry: { done: Promise<unknown>; next?: Promise<V> } = {
      done: result.then(
        () => undefined,
        () => undefined,
      ),
    };
    this.running.set(key, entry);
    void entry.done.then(() => {
      if (this.running.get(key) === entry) this.running.delete(key);
    });
    return result;
  }
}
