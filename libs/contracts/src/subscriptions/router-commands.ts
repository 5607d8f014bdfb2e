import {
  checkSubscriptionInput,
  checkSubscriptionUpdate,
  type Checked,
  type CreatedSubscriptionV1,
  type SubscriptionInputV1,
  type SubscriptionOwnerV1,
  type SubscriptionUpdateV1,
  type SubscriptionViewV1,
} from './subscription.v1';

/*
 * ⚠️ Request/reply subjects of event-router's subscription management (`router.subscription.<verb>.v1`),
 * a contract between the gateway and the router. Every request names the owner; the router answers
 * NOT_FOUND for a subscription of another owner, exactly as for a missing one (ADR-14).
 */

export interface OwnedRequest {
  owner: SubscriptionOwnerV1;
}
export interface SubscriptionRef extends OwnedRequest {
  id: string;
}
export interface CreateSubscriptionRequest extends OwnedRequest {
  input: SubscriptionInputV1;
  /**
   * Principals (building, property, organisation ids) whose events and data the owner may receive, as
   * the gateway resolved them from the registry; null = everything (an operator's subscription).
   */
  scope: string[] | null;
}
export interface UpdateSubscriptionRequest extends SubscriptionRef {
  patch: SubscriptionUpdateV1;
  /** Re-resolved scope (null keeps the stored one). */
  scope: string[] | null;
}
export interface ListRequest extends OwnedRequest {
  limit: number;
  /** Opaque cursor from the previous page. */
  after?: string;
}
export interface ListOfSubscriptionRequest extends SubscriptionRef {
  limit: number;
  after?: string;
  /** Batches only: `pending`, `delivered` or `failed` (given up). */
  status?: string;
}
export interface ResendRequest extends SubscriptionRef {
  /** The batch's `webhook-id`. */
  batchId: string;
}
export interface ReplayRequest extends SubscriptionRef {
  from: string;
  to: string;
}
export interface RotateSecretRequest extends SubscriptionRef {
  /** How long the previous secret keeps signing beside the new one (default 24 h, 0 = retire now). */
  overlapMs?: number;
}

export interface Page<T> {
  items: T[];
  /** Cursor of the next page, absent on the last one. */
  next?: string;
}

export interface AttemptViewV1 {
  id: string;
  batchId: string;
  attempt: number;
  at: string;
  /** `delivered`, `failed`, `gone` (410), `refused` (SSRF guard), `timeout` or `error` (no answer). */
  outcome: string;
  statusCode: number | null;
  latencyMs: number;
  /** The first 1 KiB of the response body, or the error. */
  response: string | null;
}

export interface BatchViewV1 {
  /** The `webhook-id` (stable over retries, resends and replays). */
  id: string;
  status: 'pending' | 'delivered' | 'failed';
  origin: 'live' | 'resend' | 'replay';
  items: number;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  finishedAt: string | null;
  lastError: string | null;
  /** Stream sequences the batch was made of (first..last). */
  stream: string;
  firstSequence: number;
  lastSequence: number;
}

export interface ReplayResultV1 {
  /** Stream messages read in the range. */
  scanned: number;
  /** Messages queued again for this subscription (matching its patterns and scope). */
  enqueued: number;
}

export interface RotatedSecretV1 {
  secret: string;
  subscription: SubscriptionViewV1;
}

type Decoder<T> = (json: unknown, subject: string) => Checked<T>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const ID = /^[0-9a-f-]{36}$/;

function owner(json: Record<string, unknown>, problems: string[]): void {
  const o = json.owner;
  if (!isObject(o) || typeof o.org !== 'string' || o.org.length === 0) {
    problems.push('owner.org: is required');
  } else if (o.property !== undefined && (typeof o.property !== 'string' || o.property.length === 0)) {
    problems.push('owner.property: must be a non-empty string');
  }
}

function request<T>(check: (json: Record<string, unknown>, problems: string[]) => void): Decoder<T> {
  return (json) => {
    if (!isObject(json)) return { ok: false, errors: ['request: must be an object'] };
    const problems: string[] = [];
    owner(json, problems);
    check(json, problems);
    return problems.length ? { ok: false, errors: problems } : { ok: true, value: json as T };
  };
}

const ref = (json: Record<string, unknown>, problems: string[]) => {
  if (typeof json.id !== 'string' || !ID.test(json.id)) problems.push('id: must be a subscription id');
};
const page = (json: Record<string, unknown>, problems: string[]) => {
  if (typeof json.limit !== 'number' || !Number.isInteger(json.limit) || json.limit < 1 || json.limit > 500) {
    problems.push('limit: must be an integer from 1 to 500');
  }
  if (json.after !== undefined && typeof json.after !== 'string') problems.push('after: must be a cursor');
};
const scope = (json: Record<string, unknown>, problems: string[]) => {
  if (json.scope !== null && !(Array.isArray(json.scope) && json.scope.every((s) => typeof s === 'string'))) {
    problems.push('scope: must be null or an array of ids');
  }
};
const time = (value: unknown) => typeof value === 'string' && !Number.isNaN(Date.parse(value));

/** Replies are produced by our own router: checked for shape only. */
const reply =
  <T>(): Decoder<T> =>
  (json) =>
    isObject(json) ? { ok: true, value: json as T } : { ok: false, errors: ['reply: must be an object'] };

export interface RouterCommand<Req, Res> {
  readonly subject: string;
  readonly decodeRequest: Decoder<Req>;
  readonly decodeReply: Decoder<Res>;
  readonly timeoutMs?: number;
}

/** The router's management commands (structurally `CommandSpec`s of @matrix/messaging). */
export const ROUTER_COMMANDS = {
  create: {
    subject: 'router.subscription.create.v1',
    timeoutMs: 15_000,
    decodeRequest: request<CreateSubscriptionRequest>((json, problems) => {
      scope(json, problems);
      const input = checkSubscriptionInput(json.input);
      if (!input.ok) problems.push(...input.errors);
    }),
    decodeReply: reply<CreatedSubscriptionV1>(),
  } satisfies RouterCommand<CreateSubscriptionRequest, CreatedSubscriptionV1>,
  list: {
    subject: 'router.subscription.list.v1',
    decodeRequest: request<ListRequest>(page),
    decodeReply: reply<Page<SubscriptionViewV1>>(),
  } satisfies RouterCommand<ListRequest, Page<SubscriptionViewV1>>,
  get: {
    subject: 'router.subscription.get.v1',
    decodeRequest: request<SubscriptionRef>(ref),
    decodeReply: reply<SubscriptionViewV1>(),
  } satisfies RouterCommand<SubscriptionRef, SubscriptionViewV1>,
  update: {
    subject: 'router.subscription.update.v1',
    timeoutMs: 15_000,
    decodeRequest: request<UpdateSubscriptionRequest>((json, problems) => {
      ref(json, problems);
      scope(json, problems);
      const patch = checkSubscriptionUpdate(json.patch);
      if (!patch.ok) problems.push(...patch.errors);
    }),
    decodeReply: reply<SubscriptionViewV1>(),
  } satisfies RouterCommand<UpdateSubscriptionRequest, SubscriptionViewV1>,
  delete: {
    subject: 'router.subscription.delete.v1',
    decodeRequest: request<SubscriptionRef>(ref),
    decodeReply: reply<{ deleted: true }>(),
  } satisfies RouterCommand<SubscriptionRef, { deleted: true }>,
  rotateSecret: {
    subject: 'router.subscription.rotate-secret.v1',
    decodeRequest: request<RotateSecretRequest>((json, problems) => {
      ref(json, problems);
      const overlap = json.overlapMs;
      if (
        overlap !== undefined &&
        (typeof overlap !== 'number' || !Number.isInteger(overlap) || overlap < 0 || overlap > 7 * 86_400_000)
      ) {
        problems.push('overlapMs: must be an integer from 0 to 604800000');
      }
    }),
    decodeReply: reply<RotatedSecretV1>(),
  } satisfies RouterCommand<RotateSecretRequest, RotatedSecretV1>,
  attempts: {
    subject: 'router.subscription.attempts.v1',
    decodeRequest: request<ListOfSubscriptionRequest>((json, problems) => {
      ref(json, problems);
      page(json, problems);
    }),
    decodeReply: reply<Page<AttemptViewV1>>(),
  } satisfies RouterCommand<ListOfSubscriptionRequest, Page<AttemptViewV1>>,
  batches: {
    subject: 'router.subscription.batches.v1',
    decodeRequest: request<ListOfSubscriptionRequest>((json, problems) => {
      ref(json, problems);
      page(json, problems);
      if (json.status !== undefined && !['pending', 'delivered', 'failed'].includes(json.status as string)) {
        problems.push('status: must be pending, delivered or failed');
      }
    }),
    decodeReply: reply<Page<BatchViewV1>>(),
  } satisfies RouterCommand<ListOfSubscriptionRequest, Page<BatchViewV1>>,
  resend: {
    subject: 'router.subscription.resend.v1',
    decodeRequest: request<ResendRequest>((json, problems) => {
      ref(json, problems);
      if (typeof json.batchId !== 'string' || !/^msg_[A-Za-z0-9]{1,64}$/.test(json.batchId)) {
        problems.push('batchId: must be a webhook-id msg_…');
      }
    }),
    decodeReply: reply<BatchViewV1>(),
  } satisfies RouterCommand<ResendRequest, BatchViewV1>,
  replay: {
    subject: 'router.subscription.replay.v1',
    timeoutMs: 60_000,
    decodeRequest: request<ReplayRequest>((json, problems) => {
      ref(json, problems);
      if (!time(json.from)) problems.push('from: must be an ISO 8601 time');
      if (!time(json.to)) problems.push('to: must be an ISO 8601 time');
      if (
        time(json.from) &&
        time(json.to) &&
        Date.parse(json.from as string) >= Date.parse(json.to as string)
      ) {
        problems.push('to: must be after from');
      }
    }),
    decodeReply: reply<ReplayResultV1>(),
  } satisfies RouterCommand<ReplayRequest, ReplayResultV1>,
} as const;
