import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { KvWatchInclude, type KvWatchEntry } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/transport-node';
import { DEVICE_SLOTS, NatsClient, openKvBucket } from '@matrix/messaging';
import { HealthRegistry, JsonLogger } from '@matrix/platform';
import { parseDeviceSlotEntry, type DeviceSlotEntry } from './device-slot-entry';

const CONTEXT = 'DeviceSlotDirectory';
const FIRST_PAUSE_MS = 500;
const MAX_PAUSE_MS = 15_000;

/**
 * The device-slot directory in memory: alias → slot, kept current by watching the `DEVICE_SLOTS` KV bucket
 * (written by matrix-api-gateway's outbox relay), so enriching a reading costs a Map lookup and no NATS or
 * HTTP call.
 *
 * The watch starts with the last value of every key, then follows puts and deletes. Until those initial
 * values are loaded the directory has no `version` and readiness reports it; a missing bucket is named
 * with the fix ("run matrix-cli provision") and retried with backoff. After a NATS reconnect the
 * directory is rebuilt from a fresh watch (lookups keep answering from the previous map until the new
 * one is complete), so nothing missed while disconnected survives, deletes included.
 */
@Injectable()
export class DeviceSlotDirectory implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private entries = new Map<string, DeviceSlotEntry>();
  private revision: number | undefined;
  private completedAt: Date | undefined;
  private failure: string | undefined = 'not started';
  private watcher?: QueuedIterator<KvWatchEntry>;
  private stopping = false;
  private rebuildRequested = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private loadedWaiters: (() => void)[] = [];

  constructor(
    private readonly client: NatsClient,
    private readonly logger: JsonLogger,
    health: HealthRegistry,
  ) {
    health.register('device-slot-directory', async () => {
      if (this.revision === undefined) {
        throw new Error(`device-slot directory not loaded: ${this.failure ?? 'loading'}`);
      }
    });
  }

  /**
   * Revision (KV stream sequence) of the last directory change applied; `undefined` until the initial
   * values are loaded, i.e. while a missing entry does not yet mean the device is not in the registry.
   */
  get version(): number | undefined {
    return this.revision;
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

  /** The slot whose alias is `alias` (a reading's `DEVID`), if the registry has one. */
  lookup(alias: string): DeviceSlotEntry | undefined {
    return this.entries.get(alias);
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

  onApplicationBootstrap(): void {
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
    const kv = await openKvBucket(this.client.nc, DEVICE_SLOTS, this.client.namespace);
    // Fails with "KV bucket … does not exist: run matrix-cli provision" when it is not provisioned.
    const status = await kv.status();
    const lastAtStart = status.streamInfo.state.last_seq;
    const watcher = await kv.watch({ include: KvWatchInclude.LastValue });
    this.watcher = watcher;
    // A reconnect or shutdown while the watch was being set up stops it at once.
    if (this.stopping || this.rebuildRequested) watcher.stop();
    const map = new Map<string, DeviceSlotEntry>();
    let loaded = false;
    let revision = 0;
    const finishLoading = () => {
      loaded = true;
      this.entries = map;
      this.revision = revision;
      this.completedAt = new Date();
      this.failure = undefined;
      this.logger.log(
        `device-slot directory loaded: ${map.size} slots at revision ${revision} of KV bucket ${this.client.namespace.stream(DEVICE_SLOTS.name)}`,
        CONTEXT,
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

  private apply(map: Map<string, DeviceSlotEntry>, change: KvWatchEntry): void {
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
    const parsed = parseDeviceSlotEntry(change.key, value);
    if (parsed.ok) {
      map.set(change.key, parsed.entry);
    } else {
      map.delete(change.key);
      this.logger.warn(
        `ignoring directory entry ${change.key} (revision ${change.revision}), treated as not in the registry: ${parsed.errors.join('; ')}`,
        CONTEXT,
      );
    }
  }

  private async rebuildOnReconnect(): Promise<void> {
    for await (const status of this.client.nc.status()) {
      if (this.stopping) return;
      if (status.type === 'reconnect') {
        this.logger.log('NATS reconnected: rebuilding the device-slot directory', CONTEXT);
        this.rebuildRequested = true;
        this.watcher?.stop();
        this.wakeUp?.();
      }
    }
  }

  private describe(error: unknown): string {
    const bucket = this.client.namespace.stream(DEVICE_SLOTS.name);
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
      const wakeUp = () => done();
      this.wakeUp = wakeUp;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}
