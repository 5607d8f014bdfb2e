import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { parsePrincipalEntry, type PrincipalEntry } from '@matrix/contracts';
import { NatsClient } from '../connection/nats-client';
import { openKvBucket, PRINCIPALS } from '../topology/kv-buckets';
import { KvDirectory } from './kv-directory';
import { JsonLogger } from '@matrix/platform';

/** How long a principal fetched on a miss is remembered: found, and not found. */
const FOUND_MS = 60_000;
const MISSING_MS = 2_000;
const MAX_FETCHED = 10_000;

/**
 * The registry's buildings and properties (PRINCIPALS KV bucket, kept by the gateway's outbox) in memory:
 * which organisation and property a building belongs to. event-router scopes push subscriptions with it (a
 * building created after a subscription is in its organisation's and property's scope at once);
 * incident-service finds the organisation of the building a sensor reading raises an incident in.
 *
 * The gateway relays a new building's entry before any event of that building (one outbox, commit order), but
 * the watch may deliver it a moment after a consumer reads such an event or reading; `prefetch()` therefore reads the
 * bucket directly for principals the map does not hold yet, before a batch is matched. Not found is
 * remembered for `MISSING_MS` (organisation principals are not in the bucket). If the bucket cannot be read,
 * `resolve` answers what the map holds (event-router then applies only the scope stored with a subscription).
 */
@Injectable()
export class PrincipalDirectory
  extends KvDirectory<PrincipalEntry>
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly fetched = new Map<string, { entry: PrincipalEntry | undefined; until: number }>();
  private kv?: Promise<KV>;

  constructor(
    private readonly nats: NatsClient,
    private readonly log: JsonLogger,
  ) {
    super(nats, log, {
      bucket: PRINCIPALS,
      label: 'principal directory',
      noun: 'principals',
      parse: parsePrincipalEntry,
      refusedMeans: 'treated as outside every scope',
    });
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** The principal's entry: from the watched map, else as fetched by `prefetch()`. */
  resolve(key: string): PrincipalEntry | undefined {
    return this.lookup(key) ?? this.fetched.get(key)?.entry;
  }

  /** Reads the entries of the principals the map does not hold (and were not looked up just now). */
  async prefetch(keys: Iterable<string>): Promise<void> {
    const now = Date.now();
    const missing = new Set<string>();
    for (const key of keys) {
      if (this.lookup(key) === undefined && (this.fetched.get(key)?.until ?? 0) <= now) missing.add(key);
    }
    if (missing.size === 0) return;
    if (this.fetched.size > MAX_FETCHED) this.fetched.clear();
    try {
      this.kv ??= openKvBucket(this.nats.nc, PRINCIPALS, this.nats.namespace);
      const kv = await this.kv;
      await Promise.all(
        [...missing].map(async (key) => {
          let entry: PrincipalEntry | undefined;
          try {
            const found = await kv.get(key);
            if (found?.operation === 'PUT') {
              const parsed = parsePrincipalEntry(key, found.json());
              if (parsed.ok) entry = parsed.entry;
            }
          } catch {
            // Not a valid KV key (a subject token no registry id looks like): outside every scope.
          }
          this.fetched.set(key, { entry, until: now + (entry ? FOUND_MS : MISSING_MS) });
        }),
      );
    } catch (error) {
      this.kv = undefined;
      this.log.warn(
        `principal directory: could not read ${PRINCIPALS.name}: ${(error as Error).message}`,
        'PrincipalDirectory',
      );
    }
  }
}
