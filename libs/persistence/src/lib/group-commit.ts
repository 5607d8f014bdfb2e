/**
 * Group commit: jobs submitted while a batch is being committed wait for it and then go together, as
 * one batch (at most `maxBatch`), so many concurrent writers share one transaction — one BEGIN, one
 * COMMIT (one WAL flush) and one hold of an outbox's ordering lock — instead of queueing on that lock
 * one commit at a time. A job submitted while nothing is in flight starts at once, alone: no added
 * latency when the load is light, bigger batches as it grows.
 *
 * `commit(jobs)` must do all its jobs in one transaction and return their results in order. When it
 * throws, nothing of the batch was committed, and each of its jobs is run again alone (one batch each),
 * so one job that cannot be done fails only its own caller. A batch of one that throws rejects its job.
 *
 * Own code rather than a library: DataLoader (the usual batching library) batches the calls of one tick
 * behind a keyed cache; this batches whatever arrives while a commit is in flight, and retries a failed
 * batch job by job — the two properties a transactional write path needs.
 */
export class GroupCommit<J, R> {
  private readonly queue: { job: J; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly commit: (jobs: readonly J[]) => Promise<readonly R[]>,
    private readonly maxBatch = 64,
  ) {
    if (!Number.isInteger(maxBatch) || maxBatch < 1) {
      throw new RangeError('maxBatch must be a positive integer');
    }
  }

  submit(job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.run(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async run(batch: GroupCommit<J, R>['queue']): Promise<void> {
    let results: readonly R[];
    try {
      results = await this.commit(batch.map((entry) => entry.job));
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else for (const entry of batch) await this.run([entry]);
      return;
    }
    if (results.length !== batch.length) {
      // Committed, but not answerable: a programming error, never retried (that would do the jobs twice).
      const error = new Error(`group commit: ${results.length} results for ${batch.length} jobs`);
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, i) => entry.resolve(results[i] as R));
  }
}
