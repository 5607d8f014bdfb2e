import type { RetryPolicyV1 } from '@matrix/contracts';
import type { EndpointAuth } from '../endpoints/endpoint-auth';
import { send, type SendResult } from '../endpoints/http-sender';
import { sign } from '../endpoints/signature';
import type { TargetGuard } from '../endpoints/target-guard';
import type { SubscriptionRow } from '../subscriptions/subscription-row';
import { signingSecrets } from '../subscriptions/subscription-row';
import { batchBody } from './batch-body';
import type { BatchRow, DeliveryRepository, Formed } from './delivery.repository';
import type { OperatorNotices } from './operator-notices';
import { nextStep, parseRetryAfter } from './retry-schedule';

export interface WorkerDeps {
  repository: DeliveryRepository;
  guard: TargetGuard;
  auth: EndpointAuth;
  notices: OperatorNotices;
  owner: string;
  disableAfterMs: number;
  log: { warn(message: string, context?: string): void; error(message: string, context?: string): void };
  observe(outcome: string, seconds: number): void;
}

/** How long an idle worker sleeps when nothing wakes it (a safety net for a missed NOTIFY). */
const IDLE_MS = 5000;
const USER_AGENT = 'Matrix-Event-Router/1';

/** What the lanes of one subscription share: the batches they are working on, and the rate limit's clock. */
export interface LaneShared {
  readonly claims: Set<string>;
  lastSend: number;
}

/**
 * One delivery lane of a subscription: the oldest pending batch no other lane works on is attempted until
 * it is delivered or given up, and only then is the next batch formed from the log. A subscription has
 * `concurrency` lanes (one by default: strictly in order); they run while this replica holds its lease.
 */
export class DeliveryWorker {
  private stopped = false;
  private wakeUp?: () => void;
  /** Set by wake(): the next sleep returns at once (a NOTIFY that came while we were busy is not lost). */
  private woken = false;
  private filling = false;
  private checkPending = true;
  private next: Formed | undefined;
  /**
   * Milliseconds to let the log head fill before forming the next batch (maxWaitMs after being woken
   * from idle by new messages): saves a query that would only answer "wait".
   */
  private fillFor: number | undefined;
  private idle = false;
  /** The batch this lane works on (in `shared.claims` until it is finished or the lane moves on). */
  private mine: string | undefined;
  readonly done: Promise<void>;

  constructor(
    public sub: SubscriptionRow,
    private readonly deps: WorkerDeps,
    private readonly shared: LaneShared,
  ) {
    this.done = this.run();
  }

  /** Takes a batch to work on (releasing the previous one); false when another lane has it already. */
  private claim(seq: string | undefined): boolean {
    if (seq !== undefined && seq !== this.mine && this.shared.claims.has(seq)) return false;
    if (this.mine !== undefined) this.shared.claims.delete(this.mine);
    this.mine = seq;
    if (seq !== undefined) this.shared.claims.add(seq);
    return true;
  }

  /** Batches other lanes work on. */
  private others(): string[] {
    return [...this.shared.claims].filter((seq) => seq !== this.mine);
  }

  wake(): void {
    // While the head of the log waits for its batch's maxWaitMs, more messages change nothing.
    if (this.filling) return;
    if (this.idle) this.fillFor = this.sub.batch_max_wait_ms;
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.done;
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      // A wake during the statement that recorded the last delivery makes its "empty"/"wait" stale.
      if (this.woken && this.next?.kind !== 'batch') this.next = undefined;
      this.woken = false;
      try {
        // A pending batch is looked for only when one can exist: at the start, after an attempt that did
        // not deliver, after an error, after an idle spell (a resend wakes the worker), and after a delivery
        // whose record saw another pending batch. Waiting for the next batch to fill needs no look.
        let batch = this.checkPending
          ? await this.deps.repository.pendingBatch(this.sub.id, this.others())
          : undefined;
        this.checkPending = batch !== undefined;
        if (batch && !this.claim(batch.seq)) continue; // another lane took it meanwhile
        // What forming gave in the statement that recorded the last delivery (stale once a pending batch
        // is there: a batch it formed is pending too and comes in its turn).
        const next = this.next;
        this.next = undefined;
        if (!batch && this.fillFor !== undefined && this.fillFor > 0) {
          const ms = this.fillFor;
          this.fillFor = undefined;
          this.filling = true;
          await this.sleep(ms).finally(() => (this.filling = false));
          continue;
        }
        this.fillFor = undefined;
        if (!batch) {
          const formed = next ?? (await this.deps.repository.formBatch(this.sub, this.deps.owner));
          if (formed.kind === 'wait') {
            this.filling = true;
            await this.sleep(formed.ms).finally(() => (this.filling = false));
            continue;
          }
          if (formed.kind === 'empty') {
            this.idle = true;
            await this.sleep(IDLE_MS).finally(() => (this.idle = false));
            this.checkPending = true;
            continue;
          }
          batch = formed.batch;
          // Another lane may have found it pending before this one got the answer: it sends it then.
          if (!this.claim(batch.seq)) {
            this.checkPending = true;
            continue;
          }
        }
        if (batch.due_in_ms > 0) {
          await this.sleep(Math.min(batch.due_in_ms, IDLE_MS * 12));
          continue;
        }
        const rate = this.sub.rate_limit_per_second;
        if (rate) {
          const wait = this.shared.lastSend + 1000 / rate - Date.now();
          if (wait > 0) {
            await this.sleep(wait);
            // Look again: the batch may have been finished or re-planned meanwhile.
            this.checkPending = true;
            continue;
          }
        }
        this.shared.lastSend = Date.now();
        await this.attempt(batch);
      } catch (error) {
        this.deps.log.error(`subscription ${this.sub.id}: ${(error as Error).stack}`, 'DeliveryWorker');
        this.checkPending = true;
        await this.sleep(1000);
      }
    }
  }

  private async attempt(batch: BatchRow): Promise<void> {
    // Unless it is delivered, the batch is still pending (or the next one is): look first next time.
    this.checkPending = true;
    const sub = this.sub;
    const retry: RetryPolicyV1 = sub.retry;
    const bodies = batch.bodies === null ? [] : batch.bodies.split('\n');
    if (bodies.length !== batch.seq_count) {
      const reason = `${batch.seq_count - bodies.length} of its messages are no longer stored (routed more than 2 days ago); replay the time range instead`;
      await this.deps.repository.recordAttempt(
        batch,
        { outcome: 'error', statusCode: null, latencyMs: 0, response: reason },
        { kind: 'give-up', reason },
      );
      return;
    }
    const body = batchBody(sub.kind, sub.encoding, bodies);
    let result: SendResult;
    try {
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = {
        ...(await this.deps.auth.headers(sub.auth, retry.timeoutMs)),
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'webhook-id': batch.webhook_id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': sign(signingSecrets(sub), batch.webhook_id, timestamp, body),
      };
      result = await send(this.deps.guard, sub.url, body, headers, retry.timeoutMs);
    } catch (error) {
      result = { outcome: 'error', statusCode: null, latencyMs: 0, response: (error as Error).message };
    }
    this.deps.observe(result.outcome, result.latencyMs / 1000);
    if (result.statusCode === 401) this.deps.auth.invalidate(sub.auth);
    if (result.outcome === 'delivered') {
      // The record and the forming of the next batch share one statement (one round trip per POST).
      this.woken = false;
      const { morePending, next } = await this.deps.repository.recordDeliveredAndForm(
        batch,
        result,
        sub,
        this.deps.owner,
      );
      this.checkPending = morePending;
      if (!morePending) this.next = next;
      return;
    }
    if (result.outcome === 'gone') {
      // 410: the endpoint is gone for good. The batch stays pending for a re-enable.
      await this.deps.repository.recordAttempt(batch, result, { kind: 'hold' });
      await this.disable('the endpoint answered 410 Gone');
      return;
    }
    const step = nextStep(
      retry,
      batch.attempts + 1,
      batch.since_first_ms,
      parseRetryAfter(result.retryAfter),
    );
    const { failingForMs } = await this.deps.repository.recordAttempt(batch, result, step);
    if (step.kind === 'give-up') {
      this.deps.log.warn(
        `subscription ${sub.id}: batch ${batch.webhook_id} given up (${step.reason})`,
        'DeliveryWorker',
      );
      await this.deps.notices
        .batchGivenUp(sub, batch, body, step.reason)
        .catch((error: Error) =>
          this.deps.log.error(
            `dead letter of ${batch.webhook_id} not published: ${error.message}`,
            'DeliveryWorker',
          ),
        );
    }
    if (failingForMs !== null && failingForMs >= this.deps.disableAfterMs) {
      await this.disable(
        `every attempt failed for ${Math.round(failingForMs / 3_600_000)} h (last: ${result.outcome} ${result.statusCode ?? ''})`.trim(),
      );
    }
  }

  private async disable(reason: string): Promise<void> {
    this.stopped = true;
    if (await this.deps.repository.disable(this.sub.id, reason)) {
      this.deps.log.warn(`subscription ${this.sub.id} disabled: ${reason}`, 'DeliveryWorker');
      await this.deps.notices
        .subscriptionDisabled(this.sub, reason)
        .catch((error: Error) =>
          this.deps.log.error(
            `SUBSCRIPTION_DISABLED for ${this.sub.id} not published: ${error.message}`,
            'DeliveryWorker',
          ),
        );
    }
  }
}
