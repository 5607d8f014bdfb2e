import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { KvWatchInclude, type KvWatchEntry } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/transport-node';
import { parseIngestKeyEntry, type IngestKeyEntry } from '@matrix/contracts';
import { INGEST_KEYS, NatsClient, openKvBucket } from '@matrix/messaging';
import { HealthRegistry, JsonLogger } from '@matrix/platform';
import { PUSH_INGRESS_CONFIG, type PushIngressConfig } from '../config/push-ingress.config';

const CONTEXT = 'IngestKeyDirectory';
const FIRST_PAUSE_MS = 500;
const MAX_PAUSE_MS = 15_000;

/**
 * The ingest keys in memory: key id → entry (building, provider, SHA-256 of the secret), kept current by
 * watching the `INGEST_KEYS` KV bucket (written by matrix-api-gateway's outbox relay), so authenticating a
 * batch costs a Map lookup and one hash, and no NATS or HTTP call. A key the gateway revokes is deleted
 * from the bucket and leaves the map as soon as the watch delivers the delete.
 *
 * Same life cycle as sensor-normaliser's DeviceSlotDirectory: the watch starts with the last value of every
 * key, then follows puts and deletes. Until those initial values are loaded `loaded` is false and
 * readiness reports it (push-ingress answers 503 meanwhile rather than refusing valid keys); a missing
 * bucket is named with the fix ("run matrix-cli provision") and retried with backoff. After a NATS
 * reconnect the map is rebuilt from a fresh watch (lookups keep answering from the previous map until
 * the new one is complete), so a revocation missed while disconnected is not kept.
 *
 * With `INGEST_AUTH=disabled` the directory does nothing and is not part of readiness.
 */
@Injectable()
export class IngestKeyDirectory implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private entries = new Map<string, IngestKeyEntry>();
  private revision: number | undefined;
  private failure: string | undefined = 'not started';
  private watcher?: QueuedIterator<KvWatchEntry>;
  private stopping = false;
  private rebuildRequested = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private readonly enabled: boolean;

  constructor(
    private readonly client: NatsClient,
    private readonly logger: JsonLogger,
    @Inject(PUSH_INGRESS_CONFIG) config: PushIngressConfig,
    health: HealthRegistry,
  ) {
    this.enabled = config.ingest.auth === 'required';
    if (!this.enabled) return;
    health.register('ingest-key-directory', async () => {
      if (this.revision === undefined) {
        throw new Error(`ingest key directory not loaded: ${this.failure ?? 'loading'}`);
      }
    });
  }

  /** Whether the initial values are loaded, i.e. whether a missing key really is unknown or revoked. */
  get loaded(): boolean {
    return this.revision !== undefined;
  }

  /** Revision (KV stream sequence) of the last change applied; `undefined` until loaded. */
  get version(): number | undefined {
    return this.revision;
  }

  /** Why the directory is not (or no longer) following the bucket, if so. */
  get problem(): string | undefined {
    return this.failure;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The key with this id, if it exists and is not revoked. */
  lookup(id: string): IngestKeyEntry | undefined {
    return this.entries.get(id);
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.loop ??= this.run();
    void this.rebuildOnReconnect();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    this.watcher?.stop();
    await this.loop;
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
      this.logger.warn(`${this.failure}; watching again in ${pause} ms`, CONTEXT);
      await this.pause(pause);
      pause = Math.min(pause * 2, MAX_PAUSE_MS);
    }
  }

  /** Loads the bucket into a fresh map, makes it the directory, then applies changes until stopped. */
  private async watchOnce(): Promise<void> {
    this.rebuildRequested = false;
    const kv = await openKvBucket(this.client.nc, INGEST_KEYS, this.client.namespace);
    // Fails with "KV bucket … does not exist: run matrix-cli provision" when it is not provisioned.
    const status = await kv.status();
    const lastAtStart = status.streamInfo.state.last_seq;
    const watcher = await kv.watch({ include: KvWatchInclude.LastValue });
    this.watcher = watcher;
    // A reconnect or shutdown while the watch was being set up stops it at once.
    if (this.stopping || this.rebuildRequested) watcher.stop();
    const map = new Map<string, IngestKeyEntry>();
    let loaded = false;
    let revision = 0;
    const finishLoading = () => {
      loaded = true;
      this.entries = map;
      this.revision = revision;
      this.failure = undefined;
      this.logger.log(
        `ingest key directory loaded: ${map.size} keys at revision ${revision} of KV bucket ${this.client.namespace.stream(INGEST_KEYS.name)}`,
        CONTEXT,
      );
    };
    if (status.values === 0) finishLoading();
    for await (const change of watcher) {
      this.apply(map, change);
      revision = change.revision;
      if (loaded) this.revision = revision;
      else if (change.delta === 0 || change.revision >= lastAtStart) finishLoading();
    }
  }

  private apply(map: Map<string, IngestKeyEntry>, change: KvWatchEntry): void {
    if (change.operation !== 'PUT') {
      map.delete(change.key);
      return;
    }
    let value: unknown;
    try {
      value = change.json();
    } catch {
      value = undefined;
    }
    const parsed = parseIngestKeyEntry(change.key, value);
    if (parsed.ok) {
      map.set(change.key, parsed.entry);
    } else {
      map.delete(change.key);
      this.logger.warn(
        `ignoring ingest key entry ${change.key} (revision ${change.revision}), treated as unknown: ${parsed.errors.join('; ')}`,
        CONTEXT,
      );
    }
  }

  private async rebuildOnReconnect(): Promise<void> {
    for await (const status of this.client.nc.status()) {
      if (this.stopping) return;
      if (status.type === 'reconnect') {
        this.logger.log('NATS reconnected: rebuilding the ingest key directory', CONTEXT);
        this.rebuildRequested = true;
        this.watcher?.stop();
        this.wakeUp?.();
      }
    }
  }

  private describe(error: unknown): string {
    const bucket = this.client.namespace.stream(INGEST_KEYS.name);
    const message = (error as Error)?.message ?? String(error);
    if (message.startsWith('KV bucket ')) return message;
    if (/stream not found/i.test(message)) {
      return `KV bucket ${bucket} does not exist: run matrix-cli provision`;
    }
    return `KV bucket ${bucket}: ${message}`;
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
