import { KvWatchInclude, type KvWatchEntry } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/transport-node';
import { openKvBucket, type KvBucketSpec, type NatsClient } from '@matrix/messaging';
import type { JsonLogger } from '@matrix/platform';

const FIRST_PAUSE_MS = 500;
const MAX_PAUSE_MS = 15_000;

/** One key of a bucket at a revision: its JSON value, or `undefined` for a delete or purge. */
export interface KvChange {
  readonly key: string;
  readonly revision: number;
  readonly value: unknown;
}

/** Where a bucket's changes go. */
export interface KvTableSink {
  /** Applies changes (idempotent and revision-guarded: the same change twice, or an older one, is a no-op). */
  apply(changes: readonly KvChange[]): Promise<void>;
  /** After a full load at `revision`: `present` are the keys the bucket holds; others are gone. */
  loaded(present: readonly string[], revision: number): Promise<void>;
}

/**
 * Copies a JetStream KV bucket into tables, as the gateway keeps it (the same watch sensor-normaliser's
 * `KvDirectory` reads): the last value of every key is written when the watch starts, then each put and
 * delete as it comes. A failure — the bucket missing, NATS gone, a statement PostgreSQL refuses — ends the
 * watch; it starts again with backoff from a full load (idempotent), so nothing is lost and nothing is
 * applied twice in effect. A NATS reconnect restarts it the same way.
 */
export class KvTableFeed {
  private revision: number | undefined;
  private failure: string | undefined = 'not started';
  private watcher?: QueuedIterator<KvWatchEntry>;
  private stopping = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;

  constructor(
    private readonly nats: NatsClient,
    private readonly log: JsonLogger,
    private readonly bucket: KvBucketSpec,
    private readonly sink: KvTableSink,
  ) {}

  /** The revision the tables are at; undefined until a full load was written. */
  get version(): number | undefined {
    return this.revision;
  }

  get problem(): string | undefined {
    return this.failure;
  }

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
    void this.restartOnReconnect();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    this.watcher?.stop();
    await this.loop;
  }

  private get context(): string {
    return `read models from ${this.bucket.name}`;
  }

  private async run(): Promise<void> {
    let pause = FIRST_PAUSE_MS;
    while (!this.stopping) {
      try {
        await this.watchOnce(() => (pause = FIRST_PAUSE_MS));
        if (this.stopping) break;
        this.failure = 'the watch of the bucket ended';
      } catch (error) {
        if (this.stopping) break;
        this.failure = (error as Error)?.message ?? String(error);
      }
      this.revision = undefined;
      this.log.warn(`${this.failure}; loading the bucket again in ${pause} ms`, this.context);
      await this.pause(pause);
      pause = Math.min(pause * 2, MAX_PAUSE_MS);
    }
  }

  private async watchOnce(onLoaded: () => void): Promise<void> {
    const kv = await openKvBucket(this.nats.nc, this.bucket, this.nats.namespace);
    const status = await kv.status();
    const lastAtStart = status.streamInfo.state.last_seq;
    const watcher = await kv.watch({ include: KvWatchInclude.LastValue });
    this.watcher = watcher;
    if (this.stopping) watcher.stop();
    const initial = new Map<string, KvChange>();
    let loaded = false;
    const finishLoading = async (revision: number) => {
      const changes = [...initial.values()];
      await this.sink.apply(changes);
      await this.sink.loaded(
        changes.filter((change) => change.value !== undefined).map((change) => change.key),
        revision,
      );
      loaded = true;
      this.revision = revision;
      this.failure = undefined;
      onLoaded();
      this.log.log(`loaded ${changes.length} keys at revision ${revision}`, this.context);
    };
    try {
      if (status.values === 0) await finishLoading(lastAtStart);
      for await (const entry of watcher) {
        const change = toChange(entry);
        if (loaded) {
          await this.sink.apply([change]);
          this.revision = change.revision;
          continue;
        }
        initial.set(change.key, change);
        if (entry.delta === 0 || entry.revision >= lastAtStart) await finishLoading(entry.revision);
      }
    } finally {
      watcher.stop();
    }
  }

  private async restartOnReconnect(): Promise<void> {
    for await (const status of this.nats.nc.status()) {
      if (this.stopping) return;
      if (status.type === 'reconnect') this.watcher?.stop();
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      this.wakeUp = () => done();
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

function toChange(entry: KvWatchEntry): KvChange {
  if (entry.operation !== 'PUT') return { key: entry.key, revision: entry.revision, value: undefined };
  let value: unknown;
  try {
    value = entry.json();
  } catch {
    value = null;
  }
  return { key: entry.key, revision: entry.revision, value };
}
