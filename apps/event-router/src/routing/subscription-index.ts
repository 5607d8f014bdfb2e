import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { SubscriptionKind } from '@matrix/contracts';
import { decodeSubjectToken } from '@matrix/contracts';
import { JsonLogger } from '@matrix/platform';
import { DataSource } from 'typeorm';
import { ROUTER_CONFIG } from '../config/router-config.token';
import type { EventRouterConfig } from '../config/event-router.config';
import { CHANNEL, poolOf } from '../db';
import { PatternIndex } from './pattern-index';
import { PgListener } from './pg-listener';

/** What the index keeps of an active subscription. */
export interface IndexedSubscription {
  readonly id: string;
  readonly kind: SubscriptionKind;
  /** Allowed principals (owner's scope ∩ chosen buildings); null = any. */
  readonly principals: ReadonlySet<string> | null;
}

interface IndexRow {
  id: string;
  kind: SubscriptionKind;
  patterns: string[];
  buildings: string[] | null;
  scope: string[] | null;
}

/** The principal of a message: token 2 of `matrix.<principal>.…`, token 3 of `sensor.data.<pid>.…`. */
export function principalOf(kind: SubscriptionKind, subject: string): string | undefined {
  const token = subject.split('.')[kind === 'matrix-events' ? 1 : 2];
  if (token === undefined) return undefined;
  try {
    return decodeSubjectToken(token);
  } catch {
    return token;
  }
}

export function allowedPrincipals(buildings: string[] | null, scope: string[] | null): Set<string> | null {
  if (buildings === null && scope === null) return null;
  if (buildings === null) return new Set(scope);
  if (scope === null) return new Set(buildings);
  const inScope = new Set(scope);
  return new Set(buildings.filter((b) => inScope.has(b)));
}

/** Builds the per-kind tries from subscription rows. */
export function buildIndexes(
  rows: readonly IndexRow[],
): Record<SubscriptionKind, PatternIndex<IndexedSubscription>> {
  const indexes = {
    'matrix-events': new PatternIndex<IndexedSubscription>(),
    'sensor-data': new PatternIndex<IndexedSubscription>(),
  };
  for (const row of rows) {
    const entry: IndexedSubscription = {
      id: row.id,
      kind: row.kind,
      principals: allowedPrincipals(row.buildings, row.scope),
    };
    for (const pattern of row.patterns) indexes[row.kind].add(pattern, entry);
  }
  return indexes;
}

/** Matching subscriptions of one subject, scope and buildings applied. */
export function matchSubject(
  index: PatternIndex<IndexedSubscription>,
  kind: SubscriptionKind,
  subject: string,
): IndexedSubscription[] {
  const principal = principalOf(kind, subject);
  return [...index.match(subject)].filter(
    (s) => s.principals === null || (principal !== undefined && s.principals.has(principal)),
  );
}

const REFRESH_MS = 30_000;

/**
 * Every active subscription's patterns in memory, one trie per kind, so a message is matched in about
 * the depth of its subject however many subscriptions there are. Reloaded when a subscription changes
 * (NOTIFY from the writing transaction, on every replica), after the LISTEN connection reconnects, and
 * every 30 s as a safety net.
 */
@Injectable()
export class SubscriptionIndex implements OnModuleInit, OnApplicationShutdown {
  private indexes = buildIndexes([]);
  private loaded?: Promise<void>;
  private reloading?: Promise<void>;
  private again = false;
  private listener?: PgListener;
  private timer?: NodeJS.Timeout;
  private readonly queueListeners = new Set<(payload: string) => void>();
  private readonly changeListeners = new Set<() => void>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ROUTER_CONFIG) private readonly config: EventRouterConfig,
    private readonly logger: JsonLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    this.listener = new PgListener(
      this.config.db.url,
      [CHANNEL.subscriptions, CHANNEL.queue],
      (channel, payload) => {
        if (channel === CHANNEL.subscriptions) void this.reload();
        else for (const listener of this.queueListeners) listener(payload);
      },
      () => {
        void this.reload();
        for (const listener of this.queueListeners) listener('*');
      },
      this.logger,
    );
    await this.listener.start();
    // No message is routed before the subscriptions were read once: the boot fails instead.
    this.loaded = this.load();
    await this.loaded;
    this.timer = setInterval(() => void this.reload(), REFRESH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.listener?.stop();
  }

  /** Called with the NOTIFY payload (subscription ids, or `*`) when items were queued. */
  onQueued(listener: (payload: string) => void): void {
    this.queueListeners.add(listener);
  }

  /** Called after the index was reloaded (a subscription changed). */
  onChange(listener: () => void): void {
    this.changeListeners.add(listener);
  }

  async ready(): Promise<void> {
    await this.loaded;
  }

  match(kind: SubscriptionKind, subject: string): IndexedSubscription[] {
    return matchSubject(this.indexes[kind], kind, subject);
  }

  private async load(): Promise<void> {
    const { rows } = await poolOf(this.dataSource).query<IndexRow>(
      `select id, kind, patterns, buildings, scope from router.subscriptions where status = 'active'`,
    );
    this.indexes = buildIndexes(rows);
    for (const listener of this.changeListeners) listener();
  }

  /** Reloads; concurrent calls coalesce into at most one more load after the current one. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      do {
        this.again = false;
        try {
          await this.load();
        } catch (error) {
          this.logger.warn(
            `could not reload subscriptions: ${(error as Error).message}`,
            'SubscriptionIndex',
          );
        }
      } while (this.again);
    })().finally(() => (this.reloading = undefined));
    return this.reloading;
  }
}
