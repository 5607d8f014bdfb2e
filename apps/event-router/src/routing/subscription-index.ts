import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  decodeSubjectToken,
  principalOwnedBy,
  type PrincipalEntry,
  type SubscriptionKind,
} from '@matrix/contracts';
import { JsonLogger } from '@matrix/platform';
import { Database } from '@matrix/persistence';

import { RouterNotifications } from '../notifications/router-notifications';
import { PatternIndex } from './pattern-index';
import { PrincipalDirectory } from '@matrix/messaging';

/** What the index keeps of an active subscription. */
export interface IndexedSubscription {
  readonly id: string;
  readonly kind: SubscriptionKind;
  /** The buildings (principals) chosen for it; null = all its owner may see. */
  readonly buildings: ReadonlySet<string> | null;
  /** The principals its owner could see when it was created or last changed; null = any principal. */
  readonly scope: ReadonlySet<string> | null;
  /** Its owner: a principal the registry puts under the owner is in scope too (see PrincipalDirectory). */
  readonly owner: { readonly org: string; readonly property: string | null };
}

/** Where a principal sits in the registry, if it is known there. */
export type ResolvePrincipal = (principal: string) => PrincipalEntry | undefined;

interface IndexRow {
  id: string;
  kind: SubscriptionKind;
  org: string;
  property: string | null;
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

/**
 * Whether a subscription may receive a message of this principal: one of its chosen buildings (if it chose
 * any) and in its owner's scope — the scope stored with it, or a building or property the registry now
 * puts under its owner.
 */
export function inScope(
  s: IndexedSubscription,
  principal: string | undefined,
  resolve: ResolvePrincipal,
): boolean {
  if (s.buildings === null && s.scope === null) return true;
  if (principal === undefined) return false;
  if (s.buildings !== null && !s.buildings.has(principal)) return false;
  return s.scope === null || s.scope.has(principal) || principalOwnedBy(resolve(principal), s.owner);
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
      buildings: row.buildings === null ? null : new Set(row.buildings),
      scope: row.scope === null ? null : new Set(row.scope),
      owner: { org: row.org, property: row.property },
    };
    for (const pattern of row.patterns) indexes[row.kind].add(pattern, entry);
  }
  return indexes;
}

const UNKNOWN: ResolvePrincipal = () => undefined;

/**
 * The principal of a subject when matching it needs the registry and the registry copy does not know the
 * principal: some subscription whose patterns match is left out only because the principal is not in
 * its stored scope. Undefined otherwise (the common case: no registry read on the routing path).
 */
export function unresolvedPrincipal(
  index: PatternIndex<IndexedSubscription>,
  kind: SubscriptionKind,
  subject: string,
  resolve: ResolvePrincipal,
): string | undefined {
  const principal = principalOf(kind, subject);
  if (principal === undefined || resolve(principal) !== undefined) return undefined;
  for (const s of index.match(subject)) {
    if (s.scope === null || s.scope.has(principal)) continue;
    if (s.buildings === null || s.buildings.has(principal)) return principal;
  }
  return undefined;
}

/** Matching subscriptions of one subject, scope and buildings applied. */
export function matchSubject(
  index: PatternIndex<IndexedSubscription>,
  kind: SubscriptionKind,
  subject: string,
  resolve: ResolvePrincipal = UNKNOWN,
): IndexedSubscription[] {
  const principal = principalOf(kind, subject);
  return [...index.match(subject)].filter((s) => inScope(s, principal, resolve));
}

const REFRESH_MS = 30_000;

/**
 * Every active subscription's patterns in memory, one trie per kind, so a message is matched in about
 * the depth of its subject however many subscriptions there are. Reloaded when subscriptions changed
 * (RouterNotifications: a command on this replica, the NOTIFY of the writing transaction on every replica,
 * a LISTEN reconnect) and every `REFRESH_MS` as a safety net.
 */
@Injectable()
export class SubscriptionIndex implements OnModuleInit, OnApplicationShutdown {
  private indexes = buildIndexes([]);
  private loaded?: Promise<void>;
  private reloading?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;

  private readonly resolve: ResolvePrincipal;

  constructor(
    private readonly db: Database,
    private readonly logger: JsonLogger,
    private readonly notifications: RouterNotifications,
    principals: PrincipalDirectory,
  ) {
    this.resolve = (principal) => principals.resolve(principal);
  }

  async onModuleInit(): Promise<void> {
    this.notifications.onSubscriptionsChanged(() => this.reload());
    // No message is routed before the subscriptions were read once: the boot fails instead.
    this.loaded = this.load();
    await this.loaded;
    this.timer = setInterval(() => void this.reload(), REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async ready(): Promise<void> {
    await this.loaded;
  }

  match(kind: SubscriptionKind, subject: string): IndexedSubscription[] {
    return matchSubject(this.indexes[kind], kind, subject, this.resolve);
  }

  /** See `unresolvedPrincipal`. */
  unresolved(kind: SubscriptionKind, subject: string): string | undefined {
    return unresolvedPrincipal(this.indexes[kind], kind, subject, this.resolve);
  }

  private async load(): Promise<void> {
    const { rows } = await this.db.pool.query<IndexRow>(
      `select id, kind, org, property, patterns, buildings, scope from router.subscriptions where status = 'active'`,
    );
    this.indexes = buildIndexes(rows);
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
