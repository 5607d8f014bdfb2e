export interface BatchAssemblerOptions {
  /** A batch is dispatched as soon as it holds this many items. */
  maxMessages: number;
  /** …or this long after its first item arrived, whichever comes first. */
  maxWaitMs: number;
  /** Batches running at once; further full batches wait (and so does `add`). Default 1. */
  concurrency?: number;
}

/**
 * Groups items into batches: a batch is dispatched when `maxMessages` items are buffered or `maxWaitMs`
 * after its first item arrived. At most `concurrency` batches run at once, dispatched in the order they
 * were assembled. `add` resolves when the caller may add the next item: at once while a batch is being
 * filled, after the batch was admitted when the item completed it (so a pull loop stops pulling while
 * every slot is busy).
 */
export class BatchAssembler<M> {
  private buffer: M[] = [];
  private timer?: NodeJS.Timeout;
  private admission: Promise<void> = Promise.resolve();
  private readonly running = new Set<Promise<void>>();
  private closed = false;
  private readonly concurrency: number;

  constructor(
    private readonly options: BatchAssemblerOptions,
    /** Handles one batch; its rejection is ignored (handle failures inside). */
    private readonly dispatch: (batch: M[]) => Promise<void>,
    /** Receives items that will never be dispatched because the assembler was closed first. */
    private readonly dismiss: (items: M[]) => void,
  ) {
    const { maxMessages, maxWaitMs, concurrency = 1 } = options;
    if (!Number.isInteger(maxMessages) || maxMessages < 1) {
      throw new RangeError(`maxMessages must be a whole number of at least 1, got ${maxMessages}`);
    }
    if (!Number.isFinite(maxWaitMs) || maxWaitMs < 0) {
      throw new RangeError(`maxWaitMs must be a non-negative number, got ${maxWaitMs}`);
    }
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a whole number of at least 1, got ${concurrency}`);
    }
    this.concurrency = concurrency;
  }

  /** Items waiting for their batch to be dispatched (not counting batches waiting for a slot). */
  get buffered(): number {
    return this.buffer.length;
  }

  add(item: M): Promise<void> {
    if (this.closed) {
      this.dismiss([item]);
      return Promise.resolve();
    }
    this.buffer.push(item);
    if (this.buffer.length === 1) {
      this.timer = setTimeout(() => void this.flush(), this.options.maxWaitMs);
    }
    return this.buffer.length >= this.options.maxMessages ? this.flush() : Promise.resolve();
  }

  /** Dispatches what is buffered now; resolves when that batch was admitted to a slot. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length > 0) {
      const batch = this.buffer;
      this.buffer = [];
      this.admission = this.admission.then(() => this.admit(batch));
    }
    return this.admission;
  }

  /**
   * Stops: buffered items and batches still waiting for a slot go to `dismiss`, never to `dispatch`;
   * resolves when every running batch has finished.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const rest = this.buffer;
    this.buffer = [];
    if (rest.length > 0) this.dismiss(rest);
    await this.admission;
    await this.idle();
  }

  /** Resolves when no batch is running. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async admit(batch: M[]): Promise<void> {
    while (this.running.size >= this.concurrency) await Promise.race([...this.running]);
    if (this.closed) {
      this.dismiss(batch);
      return;
    }
    const run: Promise<void> = Promise.resolve()
      .then(() => this.dispatch(batch))
      .catch(() => undefined)
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }
}
