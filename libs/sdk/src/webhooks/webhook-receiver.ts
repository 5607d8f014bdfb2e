import { timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  parseBatch,
  type BatchKind,
  type InvalidBatchItem,
  type MatrixEvent,
  type SensorDataEncoding,
  type SensorDataPoint,
} from './parse-batch';
import { WebhookError } from './webhook-error';

/** The headers of a POST: node's `req.headers`, a plain record, or a fetch `Headers`. */
export type WebhookHeaders =
  Readonly<Record<string, string | readonly string[] | undefined>> | { get(name: string): string | null };

interface Delivery {
  /** `webhook-id`: the same for every retry, resend and replay of the batch — the idempotency key. */
  webhookId: string;
  /** `webhook-timestamp`: when this attempt was signed. */
  timestamp: Date;
  /** The batch's objects that fail this SDK's contract check, with the reason (left out of the typed items). */
  invalid: InvalidBatchItem[];
}

/** A verified POST of a `matrix-events` subscription. */
export interface MatrixEventsBatch extends Delivery {
  kind: 'matrix-events';
  events: MatrixEvent[];
}

/** A verified POST of a `sensor-data` subscription, in either encoding. */
export interface SensorDataBatch extends Delivery {
  kind: 'sensor-data';
  encoding: SensorDataEncoding;
  points: SensorDataPoint[];
}

export type WebhookBatch = MatrixEventsBatch | SensorDataBatch;
export type BatchOf<K extends BatchKind> = Extract<WebhookBatch, { kind: K }>;

export type WebhookResult<K extends BatchKind = BatchKind> =
  { ok: true; batch: BatchOf<K> } | { ok: false; error: WebhookError };

export interface WebhookReceiverOptions<K extends BatchKind = BatchKind> {
  /**
   * The subscription's signing secret (`whsec_…`, shown once at creation or rotation). During a
   * rotation's overlap pass both, old and new: a POST signed with either is accepted.
   */
  secret: string | readonly string[];
  /** The subscription's kind; a batch of the other kind is refused. Without it, either is accepted. */
  kind?: K;
  /** How far `webhook-timestamp` may be from now, in seconds (default 300, the Standard Webhooks default). */
  toleranceSeconds?: number;
  /** The clock, in epoch milliseconds (default `Date.now`). */
  now?: () => number;
}

const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(' ') : (value as string | undefined);
}

const textOf = (body: string | Uint8Array): string =>
  typeof body === 'string'
    ? body
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');

/**
 * Verifies and parses the POSTs of a Matrix push subscription (docs/delivery.md): the Standard Webhooks
 * signature (`webhook-id`, `webhook-timestamp`, `webhook-signature`; `v1,` HMAC-SHA256 keyed with the
 * `whsec_` secret), the timestamp within the tolerance, then the body — a batch of Matrix events or of
 * sensor data points in either encoding — validated with the Matrix contracts into typed values.
 *
 * The HMAC and the secret's format are the `standardwebhooks` package's (`Webhook.sign`). Its `verify`
 * is not used as it is because it fixes the tolerance at five minutes of the system clock; this class
 * checks the timestamp with its own tolerance and clock, then compares each `v1,` signature in constant
 * time, as `verify` does.
 */
export class WebhookReceiver<K extends BatchKind = BatchKind> {
  private readonly signers: Webhook[];
  private readonly toleranceSeconds: number;
  private readonly now: () => number;

  constructor(private readonly options: WebhookReceiverOptions<K>) {
    const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
    if (secrets.length === 0) throw new Error('WebhookReceiver needs at least one secret');
    this.signers = secrets.map((secret) => {
      if (!secret.startsWith('whsec_')) throw new Error('a subscription secret starts with whsec_');
      return new Webhook(secret);
    });
    this.toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
    this.now = options.now ?? Date.now;
  }

  /** Verifies one POST: its raw body (exactly the bytes received) and its headers. Never throws. */
  verify(rawBody: string | Uint8Array, headers: WebhookHeaders): WebhookResult<K> {
    try {
      return { ok: true, batch: this.verifyOrThrow(rawBody, headers) };
    } catch (error) {
      if (error instanceof WebhookError) return { ok: false, error };
      throw error;
    }
  }

  /** {@link verify}, throwing the {@link WebhookError} instead of answering it. */
  verifyOrThrow(rawBody: string | Uint8Array, headers: WebhookHeaders): BatchOf<K> {
    const webhookId = header(headers, 'webhook-id');
    const stamp = header(headers, 'webhook-timestamp');
    const signatures = header(headers, 'webhook-signature');
    if (!webhookId || !stamp || !signatures) {
      throw new WebhookError(
        'missing_headers',
        'webhook-id, webhook-timestamp and webhook-signature are required',
      );
    }
    if (!/^\d+$/.test(stamp)) {
      throw new WebhookError('invalid_timestamp', 'webhook-timestamp is not epoch seconds');
    }
    const seconds = Number(stamp);
    const skew = seconds - Math.floor(this.now() / 1000);
    if (Math.abs(skew) > this.toleranceSeconds) {
      throw new WebhookError(
        'timestamp_out_of_tolerance',
        `webhook-timestamp is ${Math.abs(skew)} s ${skew < 0 ? 'old' : 'in the future'} (tolerance ${this.toleranceSeconds} s)`,
      );
    }
    const timestamp = new Date(seconds * 1000);
    const body = textOf(rawBody);
    if (!this.signedByUs(webhookId, timestamp, body, signatures)) {
      throw new WebhookError('invalid_signature', 'no signature matches the secret');
    }
    const items = parseBatch(body, this.options.kind);
    return { webhookId, timestamp, ...items } as BatchOf<K>;
  }

  private signedByUs(id: string, timestamp: Date, body: string, header: string): boolean {
    const passed = header
      .split(' ')
      .filter((entry) => entry.startsWith('v1,'))
      .map((entry) => Buffer.from(entry.slice(3)));
    return this.signers.some((signer) => {
      const expected = Buffer.from(signer.sign(id, timestamp, body).slice(3));
      return passed.some(
        (candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected),
      );
    });
  }
}
