import { patternProblem, PATTERN_LIMITS } from './subscription-pattern';

/*
 * Push subscriptions (issue #5): a customer's HTTPS endpoint that receives batches of Matrix events
 * (reference §2.5) or sensor data points (§3.1), matched by routing-key patterns. Managed through the
 * gateway's REST `/v1/subscriptions`, which forwards to event-router over NATS request/reply.
 */

export const SUBSCRIPTION_KINDS = ['matrix-events', 'sensor-data'] as const;
export type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number];

/** `objects`: the documented JSON array of points; `json-strings`: each point serialised again (§3.1 quirk). */
export const SENSOR_DATA_ENCODINGS = ['objects', 'json-strings'] as const;
export type SensorDataEncoding = (typeof SENSOR_DATA_ENCODINGS)[number];

export const SUBSCRIPTION_STATUSES = ['active', 'disabled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** How the router authenticates towards the customer's endpoint. */
export type EndpointAuthV1 =
  | { type: 'none' }
  | { type: 'basic'; username: string; password: string }
  | {
      type: 'oauth2';
      /** Client-credentials grant: the token is cached until shortly before it expires. */
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
      audience?: string;
    }
  | { type: 'header'; name: string; value: string };

/** The auth as shown back: credentials are never returned. */
export type EndpointAuthViewV1 =
  | { type: 'none' }
  | { type: 'basic'; username: string }
  | { type: 'oauth2'; tokenUrl: string; clientId: string; scope?: string; audience?: string }
  | { type: 'header'; name: string };

export interface BatchPolicyV1 {
  /** A batch is sent when it holds this many events / points (a stream message is never split)… */
  maxSize: number;
  /** …or this long after its first item was queued. */
  maxWaitMs: number;
}

export interface RetryPolicyV1 {
  /** Delay after the first failure; doubled after each further failure, with ±20 % jitter… */
  initialDelayMs: number;
  /** …up to this. */
  maxDelayMs: number;
  /** A batch still failing this long after it was first attempted is given up (dead-lettered). */
  giveUpAfterMs: number;
  /** An attempt without a 2xx answer within this is a failure. */
  timeoutMs: number;
}

export const DEFAULT_BATCH: BatchPolicyV1 = { maxSize: 100, maxWaitMs: 100 };
export const DEFAULT_RETRY: RetryPolicyV1 = {
  initialDelayMs: 5_000,
  maxDelayMs: 4 * 3_600_000,
  giveUpAfterMs: 24 * 3_600_000,
  timeoutMs: 15_000,
};
export const POLICY_LIMITS = {
  maxSize: [1, 1000],
  maxWaitMs: [0, 60_000],
  initialDelayMs: [100, 3_600_000],
  maxDelayMs: [100, 24 * 3_600_000],
  giveUpAfterMs: [0, 7 * 24 * 3_600_000],
  timeoutMs: [1000, 60_000],
  rateLimitPerSecond: [1, 10_000],
  concurrency: [1, 16],
} as const;

/** What a client gives to create (all of it) or update (any of it) a subscription. */
export interface SubscriptionInputV1 {
  url: string;
  kind: SubscriptionKind;
  patterns: string[];
  /** Only these buildings (principal / PID tokens); absent = every building the owner may see. */
  buildings?: string[];
  auth?: EndpointAuthV1;
  batch?: BatchPolicyV1;
  retry?: RetryPolicyV1;
  /** Sensor data only. Default `objects`. */
  encoding?: SensorDataEncoding;
  /** Batches per second at most (per subscription). Absent = as fast as the endpoint answers. */
  rateLimitPerSecond?: number;
  /**
   * Batches in flight at most (1–16). 1 (the default) delivers in order: a batch is not sent before the
   * previous one was delivered or given up. Above 1 batches are formed in order but sent side by side, each
   * retried on its own, so they can arrive out of order.
   */
  concurrency?: number;
  description?: string;
}

export interface SubscriptionUpdateV1 extends Partial<Omit<SubscriptionInputV1, 'kind'>> {
  /** `active` re-enables a disabled subscription (clearing its failure clock). */
  status?: SubscriptionStatus;
}

/** Who owns a subscription: the organisation, and the property for a property-scoped credential. */
export interface SubscriptionOwnerV1 {
  org: string;
  property?: string;
}

export interface SubscriptionViewV1 {
  id: string;
  url: string;
  kind: SubscriptionKind;
  patterns: string[];
  buildings: string[] | null;
  auth: EndpointAuthViewV1;
  batch: BatchPolicyV1;
  retry: RetryPolicyV1;
  encoding: SensorDataEncoding;
  rateLimitPerSecond: number | null;
  concurrency: number;
  description: string | null;
  status: SubscriptionStatus;
  statusReason: string | null;
  /** Since when every attempt failed (null when the last one succeeded). */
  failingSince: string | null;
  owner: SubscriptionOwnerV1;
  /** Signing secrets in use (`whsec_…` masked to their last 4 characters), newest first. */
  secrets: { hint: string; expiresAt: string | null }[];
  createdAt: string;
  updatedAt: string;
}

/** Create answers the view and the signing secret, shown this once. */
export interface CreatedSubscriptionV1 extends SubscriptionViewV1 {
  secret: string;
}

type Problems = string[];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function intIn(
  problems: Problems,
  path: string,
  value: unknown,
  [min, max]: readonly [number, number],
): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.push(`${path}: must be an integer from ${min} to ${max}`);
  }
}

function text(problems: Problems, path: string, value: unknown, max = 1024): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || /[\r\n\0]/.test(value)) {
    problems.push(`${path}: must be a non-empty single-line string of at most ${max} characters`);
  }
}

function checkUnknownKeys(
  problems: Problems,
  path: string,
  value: Record<string, unknown>,
  keys: string[],
): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) problems.push(`${path}${key}: is not a known field`);
  }
}

function checkAuth(problems: Problems, auth: unknown): void {
  if (!isObject(auth)) {
    problems.push('auth: must be an object with a type');
    return;
  }
  switch (auth.type) {
    case 'none':
      checkUnknownKeys(problems, 'auth.', auth, ['type']);
      return;
    case 'basic':
      checkUnknownKeys(problems, 'auth.', auth, ['type', 'username', 'password']);
      text(problems, 'auth.username', auth.username, 256);
      if (typeof auth.username === 'string' && auth.username.includes(':')) {
        problems.push('auth.username: may not contain ":"');
      }
      text(problems, 'auth.password', auth.password, 1024);
      return;
    case 'oauth2':
      checkUnknownKeys(problems, 'auth.', auth, [
        'type',
        'tokenUrl',
        'clientId',
        'clientSecret',
        'scope',
        'audience',
      ]);
      text(problems, 'auth.tokenUrl', auth.tokenUrl, 2048);
      text(problems, 'auth.clientId', auth.clientId, 512);
      text(problems, 'auth.clientSecret', auth.clientSecret, 2048);
      if (auth.scope !== undefined) text(problems, 'auth.scope', auth.scope, 1024);
      if (auth.audience !== undefined) text(problems, 'auth.audience', auth.audience, 1024);
      return;
    case 'header':
      checkUnknownKeys(problems, 'auth.', auth, ['type', 'name', 'value']);
      if (typeof auth.name !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(auth.name)) {
        problems.push('auth.name: must be an HTTP header name ([A-Za-z0-9-], at most 64)');
      } else if (/^(webhook-|content-|host$|user-agent$|transfer-encoding$|connection$)/i.test(auth.name)) {
        problems.push(`auth.name: ${auth.name} is set by the router`);
      }
      text(problems, 'auth.value', auth.value, 4096);
      return;
    default:
      problems.push('auth.type: must be one of none, basic, oauth2, header');
  }
}

const INPUT_KEYS = [
  'url',
  'kind',
  'patterns',
  'buildings',
  'auth',
  'batch',
  'retry',
  'encoding',
  'rateLimitPerSecond',
  'concurrency',
  'description',
];

function checkFields(problems: Problems, input: Record<string, unknown>, partial: boolean): void {
  const has = (key: string) => input[key] !== undefined;
  if (!partial || has('url')) {
    if (typeof input.url !== 'string' || input.url.length > 2048) {
      problems.push('url: must be an absolute https URL of at most 2048 characters');
    } else {
      try {
        const url = new URL(input.url);
        if (!['http:', 'https:'].includes(url.protocol)) problems.push('url: must be an https URL');
        if (url.username || url.password) problems.push('url: may not carry credentials (use auth)');
      } catch {
        problems.push('url: must be an absolute https URL');
      }
    }
  }
  if (!partial || has('patterns')) {
    const patterns = input.patterns;
    if (!Array.isArray(patterns) || patterns.length === 0 || patterns.length > PATTERN_LIMITS.patterns) {
      problems.push(`patterns: must be an array of 1 to ${PATTERN_LIMITS.patterns} routing-key patterns`);
    } else {
      patterns.forEach((pattern, i) => {
        const problem = patternProblem(pattern);
        if (problem) problems.push(`patterns[${i}]: ${problem}`);
      });
    }
  }
  if (has('buildings')) {
    const buildings = input.buildings;
    if (!Array.isArray(buildings) || buildings.length > 1000) {
      problems.push('buildings: must be an array of at most 1000 building ids');
    } else buildings.forEach((b, i) => text(problems, `buildings[${i}]`, b, 256));
  }
  if (has('auth')) checkAuth(problems, input.auth);
  if (has('batch')) {
    if (!isObject(input.batch)) problems.push('batch: must be an object { maxSize, maxWaitMs }');
    else {
      checkUnknownKeys(problems, 'batch.', input.batch, ['maxSize', 'maxWaitMs']);
      intIn(problems, 'batch.maxSize', input.batch.maxSize, POLICY_LIMITS.maxSize);
      intIn(problems, 'batch.maxWaitMs', input.batch.maxWaitMs, POLICY_LIMITS.maxWaitMs);
    }
  }
  if (has('retry')) {
    if (!isObject(input.retry)) problems.push('retry: must be an object');
    else {
      const keys = ['initialDelayMs', 'maxDelayMs', 'giveUpAfterMs', 'timeoutMs'] as const;
      checkUnknownKeys(problems, 'retry.', input.retry, [...keys]);
      for (const key of keys) intIn(problems, `retry.${key}`, input.retry[key], POLICY_LIMITS[key]);
    }
  }
  if (has('encoding') && !(SENSOR_DATA_ENCODINGS as readonly unknown[]).includes(input.encoding)) {
    problems.push(`encoding: must be one of ${SENSOR_DATA_ENCODINGS.join(', ')}`);
  }
  if (has('rateLimitPerSecond')) {
    intIn(problems, 'rateLimitPerSecond', input.rateLimitPerSecond, POLICY_LIMITS.rateLimitPerSecond);
  }
  if (has('concurrency')) intIn(problems, 'concurrency', input.concurrency, POLICY_LIMITS.concurrency);
  if (has('description')) text(problems, 'description', input.description, 512);
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Checks a create body: every problem at once, with its path. */
export function checkSubscriptionInput(input: unknown): Checked<SubscriptionInputV1> {
  if (!isObject(input)) return { ok: false, errors: ['body: must be a JSON object'] };
  const problems: Problems = [];
  checkUnknownKeys(problems, '', input, INPUT_KEYS);
  if (!(SUBSCRIPTION_KINDS as readonly unknown[]).includes(input.kind)) {
    problems.push(`kind: must be one of ${SUBSCRIPTION_KINDS.join(', ')}`);
  }
  checkFields(problems, input, false);
  if (input.kind === 'matrix-events' && input.encoding !== undefined) {
    problems.push('encoding: applies to sensor-data subscriptions only');
  }
  return problems.length
    ? { ok: false, errors: problems }
    : { ok: true, value: input as unknown as SubscriptionInputV1 };
}

/** Checks an update body (any subset of the create fields but `kind`, plus `status`). */
export function checkSubscriptionUpdate(input: unknown): Checked<SubscriptionUpdateV1> {
  if (!isObject(input)) return { ok: false, errors: ['body: must be a JSON object'] };
  const problems: Problems = [];
  checkUnknownKeys(problems, '', input, [...INPUT_KEYS.filter((k) => k !== 'kind'), 'status']);
  if (input.kind !== undefined) problems.push('kind: cannot be changed (create another subscription)');
  checkFields(problems, input, true);
  if (input.status !== undefined && !(SUBSCRIPTION_STATUSES as readonly unknown[]).includes(input.status)) {
    problems.push(`status: must be one of ${SUBSCRIPTION_STATUSES.join(', ')}`);
  }
  return problems.length
    ? { ok: false, errors: problems }
    : { ok: true, value: input as SubscriptionUpdateV1 };
}
