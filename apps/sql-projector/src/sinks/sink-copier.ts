import type { SinkProgress, SinksRepository } from './sinks.repository';
import type { SinkStream } from './sink-schema';
import { sinkBackoffMs } from './sink-status';
import { SinkTarget, type SinkPositions } from './sink-target';

/** What a copier needs of a sink (SinkTarget). */
export type SinkConnection = Pick<SinkTarget, 'prepare' | 'write' | 'close'>;

const openSinkTarget = (connectionString: string, propId: string): SinkConnection =>
  new SinkTarget(connectionString, propId, () => undefined);

export interface SinkCopierOptions {
  readonly propId: string;
  readonly generation: number;
  readonly connectionString: string;
  /** When the sink last held everything projected (its row's `caught_up_at`); null before it ever did. */
  readonly caughtUpAt: Date | null;
  /** When the sink was set: the lag counts from here until it first catches up. */
  readonly setAt: Date;
  readonly pollMs: number;
  readonly maxBackoffMs: number;
  readonly rowsPerCopy: number;
}

export interface SinkCopierDeps {
  readonly repository: SinksRepository;
  /** The projector's ack floors (ProjectedHorizon). */
  readonly horizon: () => Promise<SinkPositions>;
  /** Runs a read of the dedicated database (a window), so that a few at a time use the service's pool. */
  readonly read: <T>(work: () => Promise<T>) => Promise<T>;
  readonly onRows: (stream: SinkStream, inserted: number) => void;
  readonly onLag: (seconds: number) => void;
  readonly onFailure: (error: Error, failures: number, waitMs: number) => void;
  readonly onStreamReset: (stream: SinkStream, cursor: number, horizon: number) => void;
  readonly random?: () => number;
  /** Opens the sink (default: a SinkTarget on the connection string); a test passes its own. */
  readonly open?: (connectionString: string, propId: string) => SinkConnection;
}

/** Progress is recorded in `matrix.sql_sinks` after a step that copied rows, and at least this often. */
const RECORD_EVERY_MS = 10_000;

const STREAMS: readonly SinkStream[] = ['sensor_data', 'events'];

/**
 * Copies one property's rows into its sink, on its own: its own connection and loop, so a sink that is
 * down or slow delays nobody else's copy, and nothing of the projection (the copier only reads the
 * dedicated database, after the projector committed). Each step reads, per table, the property's rows with
 * a `stream_seq` after the sink's cursor and up to the projector's ack floor (at most `rowsPerCopy`), and
 * writes them with the cursor in one transaction of the sink. A failure (the sink down, refusing, slow past
 * the statement timeout) is retried with back-off (1 s doubling to `maxBackoffMs`, jittered); the rows stay
 * in the dedicated database meanwhile, so the copy resumes where the sink's own cursor says, exactly once
 * in effect (rows are keyed, the rollup adds only rows inserted).
 */
export class SinkCopier {
  private active = true;
  private wake?: () => void;
  private timer?: NodeJS.Timeout;
  private target?: SinkConnection;
  private readonly done: Promise<void>;
  private caughtUpAt: Date | null;
  private lastRecord = 0;

  constructor(
    private readonly options: SinkCopierOptions,
    private readonly deps: SinkCopierDeps,
  ) {
    this.caughtUpAt = options.caughtUpAt;
    this.done = this.run();
  }

  get generation(): number {
    return this.options.generation;
  }

  /** Stops after the step in progress and closes the connection. */
  async stop(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    this.wake?.();
    await this.done;
  }

  private async run(): Promise<void> {
    let failures = 0;
    let cursors: SinkPositions | undefined;
    while (this.active) {
      try {
        this.target ??= (this.deps.open ?? openSinkTarget)(
          this.options.connectionString,
          this.options.propId,
        );
        cursors ??= await inSink(this.target.prepare());
        const caughtUp = await this.step(this.target, cursors);
        failures = 0;
        if (caughtUp) await this.pause(this.options.pollMs);
      } catch (error) {
        failures += 1;
        // Start again from the sink's own cursors, on a new connection.
        cursors = undefined;
        await this.closeTarget();
        const waitMs = sinkBackoffMs(
          failures,
          this.options.maxBackoffMs,
          (this.deps.random ?? Math.random)(),
        );
        // The customer's database, or ours / NATS (then the sink is not to blame, and no detail is shown).
        const reason =
          error instanceof SinkError
            ? redactUrls(error.message)
            : 'Matrix could not read the rows to copy (its database or NATS); retried';
        this.deps.onFailure(error as Error, failures, waitMs);
        await this.deps.repository
          .recordFailure(this.options.propId, this.options.generation, reason, new Date(Date.now() + waitMs))
          .catch(() => undefined);
        this.deps.onLag(this.lagSeconds(false));
        await this.pause(waitMs);
      }
    }
    await this.closeTarget();
  }

  /** Copies one window of each table; answers whether the sink holds everything projected. */
  private async step(target: SinkConnection, cursors: SinkPositions): Promise<boolean> {
    const horizon = await this.deps.horizon();
    let copied = false;
    for (const stream of STREAMS) {
      if (!this.active) return false;
      const cursor = cursors[stream];
      const projected = horizon[stream];
      const sameEpoch = cursor.epoch === null || cursor.epoch === projected.epoch;
      if (!sameEpoch || projected.through < cursor.through) {
        // The projector's consumer (or its stream) was made anew and counts from the start again: copy
        // from there (rows already in the sink are skipped, so nothing is doubled).
        this.deps.onStreamReset(stream, cursor.through, projected.through);
        cursors[stream] = { through: 0, epoch: projected.epoch };
      }
      if (projected.through === cursors[stream].through && cursors[stream].epoch === projected.epoch) {
        continue;
      }
      const through = await this.copyWindow(target, stream, cursors[stream].through, projected);
      cursors[stream] = { through, epoch: projected.epoch };
      copied = true;
    }
    const caughtUp = STREAMS.every((stream) => cursors[stream].through >= horizon[stream].through);
    const now = new Date();
    if (caughtUp) this.caughtUpAt = now;
    this.deps.onLag(this.lagSeconds(caughtUp));
    if (copied || Date.now() - this.lastRecord >= RECORD_EVERY_MS) {
      const progress: SinkProgress = {
        sensorCopied: cursors.sensor_data.through,
        sensorProjected: horizon.sensor_data.through,
        eventsCopied: cursors.events.through,
        eventsProjected: horizon.events.through,
        caughtUpAt: this.caughtUpAt,
        lastCopyAt: now,
      };
      await this.deps.repository.recordProgress(this.options.propId, this.options.generation, progress);
      this.lastRecord = Date.now();
    }
    return caughtUp;
  }

  /**
   * Copies the property's rows after `after` up to the projector's position — at most `rowsPerCopy` rows
   * from a span of at most `rowsPerCopy` sequences (a window reads the rows of every property in its span:
   * bounding it keeps each read small however far behind the sink is) — and answers the sequence the sink
   * now holds everything through. When the row limit cut the window, the last sequence read may have rows
   * not read yet: the cursor stops before it and the next window reads it again (its rows written now are
   * skipped then). A single sequence with more rows than the limit (one message of many points) is read whole.
   */
  private async copyWindow(
    target: SinkConnection,
    stream: SinkStream,
    after: number,
    projected: { through: number; epoch: string | null },
  ): Promise<number> {
    const { propId, rowsPerCopy } = this.options;
    const { repository, read } = this.deps;
    let through = Math.min(projected.through, after + rowsPerCopy);
    let window = await read(() => repository.window(stream, propId, after, through, rowsPerCopy));
    if (window.rows >= rowsPerCopy) {
      through = window.lastSeq - 1;
      if (through <= after) {
        through = window.lastSeq;
        window = await read(() => repository.window(stream, propId, after, through, Number.MAX_SAFE_INTEGER));
      }
    }
    const inserted = await inSink(
      target.write(stream, window.rows > 0 ? window.json : undefined, { through, epoch: projected.epoch }),
    );
    if (inserted > 0) this.deps.onRows(stream, inserted);
    return through;
  }

  private lagSeconds(caughtUp: boolean): number {
    const since = this.caughtUpAt ?? this.options.setAt;
    return caughtUp ? 0 : Math.max(0, (Date.now() - since.getTime()) / 1000);
  }

  private pause(ms: number): Promise<void> {
    if (!this.active) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  private async closeTarget(): Promise<void> {
    const target = this.target;
    this.target = undefined;
    await target?.close().catch(() => undefined);
  }
}

/** A failure of the customer's database (as against ours or NATS), told apart in `lastError`. */
export class SinkError extends Error {
  override readonly name = 'SinkError';
}

/** Marks a failure of an operation on the sink as the sink's. */
async function inSink<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw new SinkError(`the sink: ${(error as Error).message}`, { cause: error });
  }
}

/** A failure's text without the password of any connection string in it. */
export function redactUrls(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:@/\s]*):[^@/\s]*@/gi, '$1@');
}
