import { KvWatchInclude, type KV, type KvEntry, type KvWatchEntry } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/transport-node';
import type { NatsClient } from '../connection/nats-client';
import type { ConsumerLogger } from '../consumer/message-settlement';
import { openKvBucket, type KvBucketSpec } from '../topology/kv-buckets';

const FIRST_PAUSE_MS = 500;
const MAX_PAUSE_MS = 15_000;

/** What a directory holds and how it talks about it. */
export interface KvDirectoryOptions<T> {
  readonly bucket: KvBucketSpec;
  /** Its name in logs and readiness, e.g. `device-slot directory`. */
  readonly label: string;
  /** What its entries are called when it reports its size, e.g. `slots`. */
  readonly noun: string;
  /** Reads one KV value; an entry it refuses is left out (and logged) as if the key did not exist. */
  parse(key: string, value: unknown): { ok: true; entry: T } | { ok: false; errors: string[] };
  /** What leaving a refused entry out means, for the log, e.g. `treated as not in the registry`. */
  readonly refusedMeans: string;
}

/**
 * A JetStream KV bucket held in memory (key → parsed entry) and kept current by a watch, so a lookup is a
 * Map read and no NATS call — the device-slot directory of sensor-normaliser, the ingest keys of
 * push-ingress.
 *
 * The watch starts with the last value of every key, then follows puts and deletes. Until those initial
 * values are loaded `version` is undefined (a missing key proves nothing yet) and `problem` says why; a
 * missing bucket is named with the fix ("run matrix-cli provision") and retried with backoff. After a
 * NATS reconnect the map is rebuilt from a fresh watch (lookups keep answering from the previous map
 * until the new one is complete), so nothing missed while disconnected survives, deletes included.
 */
export class KvDirectory<T> {
  private entries = new Map<string, T>();
  private revision: number | undefined;
  private completedAt: Date | undefined;
  private failure: string | undefined = 'not started';
  private watcher?: QueuedIterator<KvWatchEntry>;
  private stopping = false;
  private rebuildRequested = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private loadedWaiters: (() => void)[] = [];
  /** The bucket the watch opened (for {@link fetch}); undefined until the first watch started. */
  private watchedBucket?: KV;
  private fetching = 0;
  private fetchSecond = 0;
  private fetchesThisSecond = 0;

  constructor(
    private readonly client: NatsClient,
    private readonly logger: ConsumerLogger,
    private readonly options: KvDirectoryOptions<T>,
  ) {}

  /**
   * Revision (KV stream sequence) of the last change applied; `undefined` until the initial values are
   * loaded, i.e. while a missing key does not yet mean there is no such entry.
   */
  get version(): number | undefined {
    return this.revision;
  }

  /** Whether the initial values are loaded. */
  get loaded(): boolean {
    return this.revision !== undefined;
  }

  /** Why the directory is not (or no longer) following the bucket, if so. */
  get problem(): string | undefined {
    return this.failure;
  }

  /** When the map in use was completely loaded (the first load, or the last rebuild). */
  get loadedAt(): Date | undefined {
    return this.completedAt;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The entry of `key`, if the bucket has a valid one. */
  lookup(key: string): T | undefined {
    return this.entries.get(key);
  }

  /**
   * The entry of `key` read from the bucket itself, for a key the map does not hold (yet): a put the
   * watch has not delivered is found, and kept in the map so the next lookup finds it. The map stays
   * authoritative for what the watch has applied: a value at or below the directory's revision is not
   * taken (a delete the watch applied meanwhile wins). Undefined when the key has no valid entry, before
   * the watch has opened the bucket, when NATS does not answer, or beyond `maxInFlight` reads at a time or
   * `perSecond` a second (a flood of unknown keys costs NATS at most that; a new key is then found once
   * the watch delivers it). Reads go to the stream's leader (openKvBucket).
   */
  async fetch(
    key: string,
    limits: { maxInFlight?: number; perSecond?: number } = {},
  ): Promise<T | undefined> {
    const kv = this.watchedBucket;
    if (!kv || this.revision === undefined || !this.mayFetch(limits)) return this.lookup(key);
    this.fetching++;
    try {
      const found = await kv.get(key);
      if (!found || found.operation !== 'PUT') return this.lookup(key);
      // (`revision`, once loaded, is never unset.)
      if (found.revision <= this.revision) return this.lookup(key);
      const parsed = this.parseEntry(found);
      if (!parsed.ok) return this.lookup(key);
      this.entries.set(key, parsed.entry);
      return parsed.entry;
    } catch {
      return this.lookup(key);
    } finally {
      this.fetching--;
    }
  }

  /** At most `maxInFlight` (16) reads at a time and `perSecond` (100) a second, counted per whole second. */
  private mayFetch({
    maxInFlight = 16,
    perSecond = 100,
  }: {
    maxInFlight?: number;
    perSecond?: number;
  }): boolean {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.fetchSecond) {
      this.fetchSecond = second;
      this.fetchesThisSecond = 0;
    }
    if (this.fetching >= maxInFlight || this.fetchesThisSecond >= perSecond) return false;
    this.fetchesThisSecond++;
    return true;
  }

  /** For a readiness check: throws, saying why, until the initial values are loaded. */
  assertLoaded(): void {
    if (this.revision === undefined) {
      throw new Error(`${this.options.label} not loaded: ${this.failure ?? 'loading'}`);
    }
  }

  /** Resolves true once the initial values are loaded, or false after `timeoutMs`. */
  whenLoaded(timeoutMs: number): Promise<boolean> {
    if (this.revision !== undefined) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.loadedWaiters = this.loadedWaiters.filter((waiter) => waiter !== done);
        resolve(false);
      }, timeoutMs);
      this.loadedWaiters.push(done);
    });
  }

  /** Starts watching (idempotent); returns at once. */
  start(): void {
    if (this.loop) return;
    this.loop = this.run();
    void this.rebuildOnReconnect();
  }

  /** Stops the watch and waits for it to end. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    this.watcher?.stop();
    await this.loop;
  }

  private get bucketName(): string {
    return this.client.namespace.stream(this.options.bucket.name);
  }

  private async run(): Promise<void> {
    let pause = FIRST_PAUSE_MS;
    while (!this.stopping) {
      try {
        await this.watchOnce();
        if (this.rebuildRequested) {
          pause = FIRST_PAUSE_MS;
          continue;
        }
        if (this.stopping) break;
        this.failure = 'the watch of the bucket ended';
      } catch (error) {
        if (this.stopping) break;
        this.failure = this.describe(error);
      }
      this.logger.warn(`${this.failure}; watching again in ${pause} ms`, this.options.label);
      await this.pause(pause);
      pause = Math.min(pause * 2, MAX_PAUSE_MS);
    }
  }

  /** Loads the bucket into a fresh map, makes it the directory, then applies changes until stopped. */
  private async watchOnce(): Promise<void> {
    this.rebuildRequested = false;
    // Fails with "KV bucket … does not exist: run matrix-cli provision" when it is not provisioned.
    const kv = await openKvBucket(this.client.nc, this.options.bucket, this.client.namespace);
    this.watchedBucket = kv;
    const status = await kv.status();
    const lastAtStart = status.streamInfo.state.last_seq;
    const watcher = await kv.watch({ include: KvWatchInclude.LastValue });
    this.watcher = watcher;
    // A reconnect or shutdown while the watch was being set up stops it at once.
    if (this.stopping || this.rebuildRequested) watcher.stop();
    const map = new Map<string, T>();
    let loaded = false;
    let revision = 0;
    const finishLoading = () => {
      loaded = true;
      this.entries = map;
      this.revision = revision;
      this.completedAt = new Date();
      this.failure = undefined;
      this.logger.log(
        `${this.options.label} loaded: ${map.size} ${this.options.noun} at revision ${revision} of KV bucket ${this.bucketName}`,
        this.options.label,
      );
      const waiters = this.loadedWaiters;
      this.loadedWaiters = [];
      for (const waiter of waiters) waiter();
    };
    if (status.values === 0) finishLoading();
    for await (const change of watcher) {
      this.apply(map, change);
      revision = change.revision;
      if (loaded) this.revision = revision;
      else if (change.delta === 0 || change.revision >= lastAtStart) finishLoading();
    }
  }

  private apply(map: Map<string, T>, change: KvWatchEntry): void {
    if (change.operation !== 'PUT') {
      map.delete(change.key);
      return;
    }
    const parsed = this.parseEntry(change);
    if (parsed.ok) {
      map.set(change.key, parsed.entry);
    } else {
      map.delete(change.key);
      this.logger.warn(
        `ignoring entry ${change.key} (revision ${change.revision}) of KV bucket ${this.bucketName}, ${this.options.refusedMeans}: ${parsed.errors.join('; ')}`,
        this.options.label,
      );
    }
  }

  /** A PUT's value through the directory's parser (a value that is not JSON is parsed as undefined). */
  private parseEntry(change: KvEntry): ReturnType<KvDirectoryOptions<T>['parse']> {
    let value: unknown;
    try {
      value = change.json();
    } catch {
      value = undefined;
    }
    return this.options.parse(change.key, value);
  }

  private async rebuildOnReconnect(): Promise<void> {
    for await (const status of this.client.nc.status()) {
      if (this.stopping) return;
      if (status.type === 'reconnect') {
        this.logger.log(`NATS reconnected: rebuilding the ${this.options.label}`, this.options.label);
        this.rebuildRequested = true;
        this.watcher?.stop();
        this.wakeUp?.();
      }
    }
  }

  private describe(error: unknown): string {
    const message = (error as Error)?.message ?? String(error);
    if (message.startsWith('KV bucket ')) return message;
    if (/stream not found/i.test(message)) {
      return `KV bucket ${this.bucketName} does not exist: run matrix-cli provision`;
    }
    return `KV bucket ${this.bucketName}: ${message}`;
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
