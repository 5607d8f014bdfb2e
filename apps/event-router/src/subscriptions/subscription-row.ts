import type {
  BatchPolicyV1,
  EndpointAuthV1,
  EndpointAuthViewV1,
  RetryPolicyV1,
  SensorDataEncoding,
  SubscriptionKind,
  SubscriptionStatus,
  SubscriptionViewV1,
} from '@matrix/contracts';
import { secretHint } from '../endpoints/signature';

export interface StoredSecret {
  secret: string;
  createdAt: string;
  /** When a rotated-out secret stops signing; null for the current one. */
  expiresAt: string | null;
}

/** A row of `router.subscriptions`. */
export interface SubscriptionRow {
  id: string;
  org: string;
  property: string | null;
  kind: SubscriptionKind;
  url: string;
  patterns: string[];
  buildings: string[] | null;
  scope: string[] | null;
  auth: EndpointAuthV1;
  batch_max_size: number;
  batch_max_wait_ms: number;
  retry: RetryPolicyV1;
  encoding: SensorDataEncoding;
  rate_limit_per_second: number | null;
  concurrency: number;
  description: string | null;
  secrets: StoredSecret[];
  status: SubscriptionStatus;
  status_reason: string | null;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function batchPolicy(row: SubscriptionRow): BatchPolicyV1 {
  return { maxSize: row.batch_max_size, maxWaitMs: row.batch_max_wait_ms };
}

/** Secrets that still sign (the current one and rotated-out ones not yet expired), newest first. */
export function signingSecrets(row: Pick<SubscriptionRow, 'secrets'>, now = Date.now()): string[] {
  return row.secrets
    .filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now)
    .map((s) => s.secret);
}

function authView(auth: EndpointAuthV1): EndpointAuthViewV1 {
  switch (auth.type) {
    case 'none':
      return { type: 'none' };
    case 'basic':
      return { type: 'basic', username: auth.username };
    case 'oauth2': {
      const view: EndpointAuthViewV1 = { type: 'oauth2', tokenUrl: auth.tokenUrl, clientId: auth.clientId };
      if (auth.scope) view.scope = auth.scope;
      if (auth.audience) view.audience = auth.audience;
      return view;
    }
    case 'header':
      return { type: 'header', name: auth.name };
  }
}

export function subscriptionView(row: SubscriptionRow, now = Date.now()): SubscriptionViewV1 {
  return {
    id: row.id,
    url: row.url,
    kind: row.kind,
    patterns: row.patterns,
    buildings: row.buildings,
    auth: authView(row.auth),
    batch: batchPolicy(row),
    retry: row.retry,
    encoding: row.encoding,
    rateLimitPerSecond: row.rate_limit_per_second,
    concurrency: row.concurrency,
    description: row.description,
    status: row.status,
    statusReason: row.status_reason,
    failingSince: row.failing_since?.toISOString() ?? null,
    owner: row.property ? { org: row.org, property: row.property } : { org: row.org },
    secrets: row.secrets
      .filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now)
      .map((s) => ({ hint: secretHint(s.secret), expiresAt: s.expiresAt })),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
