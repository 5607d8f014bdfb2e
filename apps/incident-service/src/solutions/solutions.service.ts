import { createHash } from 'node:crypto';
import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { PrincipalDirectory, RetryableError } from '@matrix/messaging';
import { JsonLogger, MetricsService } from '@matrix/platform';
import type { Counter, Histogram } from 'prom-client';
import { EscalationPoliciesRepository } from '../incidents/escalation-policies.repository';
import { incidentTimeoutSeconds, TIMEOUT_SETTING } from '../incidents/incident-settings';
import { IncidentsRepository, type CreateJob } from '../incidents/incidents.repository';
import {
  deviceScope,
  evaluate,
  noCounts,
  recordKey,
  zoneScope,
  type EngineOutput,
  type SolutionRaise,
  type SolutionReading,
} from './solution-engine';
import { effectiveParams, RULES_OF_SLOT_TYPE, type SolutionParams } from './solution-params';
import { RecordCache, type RecordSnapshot } from './solution-records';
import { SolutionsLeadership } from './solutions-leadership';
import { SolutionsRepository, type RecordWrite } from './solutions.repository';

/**
 * Longest a write's statement or lock wait may take: a write that hangs (a database the replica can no
 * longer reach, a lock held elsewhere) fails instead, and its batches are delivered again.
 */
const WRITE_TIMEOUT_MS = 30_000;
/** How soon a batch is retried when the records it was applied to were forgotten (not its own failure). */
const RETRY_AFTER_FORGET_MS = 500;

/** `Meta.By` of a sensor-raised incident: the documented source type of the Optimus solutions. */
export const SENSOR_SOURCE = 'Sensor';
/** Who created a sensor-raised incident (`created_by`, the timeline's `by`). */
export const SOLUTIONS_ACTOR = 'matrix-solutions';

/** Longest incident name and work item a solution writes (reason names make them vary). */
const MAX_TEXT = 200;
const cut = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

/** What the incidents of one batch share: the policy chosen per building and name, the zones' names. */
interface BatchMemo {
  policies: Map<string, ReturnType<EscalationPoliciesRepository['forNewIncident']>>;
  zoneNames: Map<string, Promise<string>>;
}

/** What applying a batch did. */
export interface AppliedBatch {
  readonly counts: EngineOutput['counts'] & { unknownBuilding: number };
  /** The incidents raised (created, or found created by an earlier delivery of the same reading). */
  readonly incidents: AppliedIncident[];
}

export interface AppliedIncident {
  taskId: string;
  created: boolean;
  rule: string;
  readingId: string;
}

/**
 * How often every changed record is written back (a checkpoint; ADR-23): a record changed by several
 * batches meanwhile is written once, and a batch's messages are acked after the checkpoint that holds its
 * effect commits — so it is also about how long a reading's message waits for its ack.
 */
export const CHECKPOINT_MS = 1000;
/**
 * How soon after a batch raises incidents they are written, with the records of their devices and zones
 * (a raise; ADR-23), without waiting for the checkpoint: what bounds the delay from a crossing to its
 * incident's event.
 */
export const RAISE_DELAY_MS = 10;
/**
 * Records a checkpoint writes per transaction: a raise waits for one part at most, not for the whole
 * checkpoint (thousands of records under load).
 */
export const CHECKPOINT_PART = 500;
/** Records held in memory at most (about 1 kB each); past it, those least recently used are let go. */
export const MAX_RECORDS = 200_000;

/** A batch applied in memory, waiting for the checkpoint that writes its effect. */
class Ticket {
  readonly done: Promise<AppliedIncident[]>;
  resolve!: (incidents: AppliedIncident[]) => void;
  reject!: (error: Error) => void;
  /** Its incidents once written (created, or found created before). */
  incidents?: AppliedIncident[];

  constructor(
    readonly raises: readonly SolutionRaise[],
    /** Its incidents' jobs (their reads run side by side while the batch waits). */
    readonly jobs: Promise<CreateJob[]>,
    /** The records of the devices and zones that raised them. */
    readonly raisedKeys: readonly string[],
    /** How many readings it applied or found (for `SolutionsService.waiting`). */
    readonly readings: number,
    readonly now: Date,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Rejected when a write fails, which the consumer may not be awaiting yet.
    this.done.catch(() => undefined);
  }
}

/**
 * Which write comes next: raises go first, but when a checkpoint is in progress (or due) they take turns
 * with its parts — raises raised without a pause (every batch of a busy building) must not hold a
 * checkpoint off, for its batches are acked only after its last part (they were delivered again, and
 * dead-lettered, when raises kept it waiting past the in-progress reports' minute).
 */
export function nextWrite(state: {
  raisesWaiting: boolean;
  checkpointInProgress: boolean;
  checkpointDue: boolean;
  lastWrite: 'raise' | 'checkpoint' | undefined;
}): 'raise' | 'checkpoint' | undefined {
  const checkpointWork = state.checkpointInProgress || state.checkpointDue;
  if (state.raisesWaiting && (!checkpointWork || state.lastWrite !== 'raise')) return 'raise';
  if (checkpointWork) return 'checkpoint';
  return undefined;
}

/** A write found a record written by another replica since it was read: the state held is stale. */
class StaleStateError extends Error {}

/**
 * Applies readings to the solutions (docs/solutions.md) and raises their incidents, on the replica that
 * leads them (SolutionsLeadership), with the rule state in memory (ADR-23). Batches are applied one after
 * another: the records of a batch's devices and zones are read on first use (RecordCache), the engine
 * applies the readings to them, and the incidents decided get their jobs. Two kinds of write, one at a
 * time, each one transaction that writes records only at the version they were read (another writer's
 * change makes it fail):
 *
 * - a **raise**, `RAISE_DELAY_MS` after a batch raised incidents: creates them (IncidentsRepository.createIn,
 *   idempotent by request key = building + rule + reading id) with the records of the devices and zones that
 *   raised them, as they are now. A record remembers the readings it holds (its device's reading ids), so
 *   writing it alone, ahead of the others, is consistent: a reading redelivered later is a duplicate of it.
 * - a **checkpoint**, every `CHECKPOINT_MS`: every record changed since, as it was then, in parts of
 *   `CHECKPOINT_PART` records (a raise goes between two parts, and takes its records out of the rest);
 *   after the last part the batches applied before it resolve, and only then are their messages acked.
 *   Each part is consistent on its own for the same reason as a raise.
 *
 * If a write fails, every batch not resolved yet is retried (redelivered) and the records held are
 * forgotten, so they are applied again to the state as committed: a crash or a failure anywhere leaves
 * each reading's effect exactly once.
 */
@Injectable()
export class SolutionsService implements BeforeApplicationShutdown {
  private readonly records = new RecordCache(MAX_RECORDS);
  /** The batches' in-memory application, one after another. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Batches applied since the last checkpoint was taken. */
  private pending: Ticket[] = [];
  /** Batches whose incidents are not written yet. */
  private unraised: Ticket[] = [];
  private running?: Promise<void>;
  /** The checkpoint in progress: its batches, and the records it has still to write. */
  private checkpoint?: {
    tickets: Ticket[];
    rest: Map<string, { write: RecordWrite; entry: RecordSnapshot['entries'][number] }>;
    started: bigint;
  };
  /** The kind of the last write begun (raises and checkpoint parts take turns: nextWrite). */
  private lastWrite?: 'raise' | 'checkpoint';
  /** The generation when the write in flight began. */
  private writeGeneration = 0;
  private timer?: NodeJS.Timeout;
  private lastCheckpointAt = Date.now();
  /** Bumped when the records held are forgotten: a batch that read them before is retried. */
  private generation = 0;
  /** The leadership term the records held were read in. */
  private term = 0;
  private readonly writes: Counter<'kind' | 'outcome'>;
  private readonly writeSeconds: Histogram<'kind'>;
  private readonly checkpointSeconds: Histogram;

  constructor(
    private readonly repository: SolutionsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly policies: EscalationPoliciesRepository,
    private readonly principals: PrincipalDirectory,
    private readonly leadership: SolutionsLeadership,
    private readonly logger: JsonLogger,
    metrics: MetricsService,
  ) {
    this.writes = metrics.counter({
      name: 'matrix_solution_writes_total',
      help: 'Writes of the solutions (one transaction each), by kind (raise: incidents and the records that raised them; checkpoint: a part of the changed records) and outcome (committed, failed)',
      labelNames: ['kind', 'outcome'],
    });
    this.writeSeconds = metrics.histogram({
      name: 'matrix_solution_write_seconds',
      help: 'How long a committed write of the solutions took, by kind (raise, checkpoint)',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
    this.checkpointSeconds = metrics.histogram({
      name: 'matrix_solution_checkpoint_seconds',
      help: 'How long a checkpoint of the solutions took, from its start to its last part committed (its batches are acked then)',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
  }

  /** The readings applied in memory whose batches wait for a checkpoint not begun yet. */
  get waiting(): { batches: number; readings: number } {
    return {
      batches: this.pending.length,
      readings: this.pending.reduce((n, t) => n + t.readings, 0),
    };
  }

  /**
   * Applies a batch of readings; resolves when its effect is committed (then its messages may be acked),
   * rejects with a RetryableError when it must be delivered again.
   */
  async apply(all: readonly SolutionReading[], now: Date): Promise<AppliedBatch> {
    const applied = this.queue.then(() => this.applyInMemory(all, now));
    this.queue = applied.catch(() => undefined);
    const { counts, ticket } = await applied;
    return { counts, incidents: ticket ? await ticket.done : [] };
  }

  /** Waits for the last checkpoint of what was applied (the consumers have stopped by now). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.queue;
    while (this.pending.length > 0 || this.checkpoint || this.unraised.length > 0 || this.running) {
      if (!this.running) this.writeNow(true);
      await this.running;
    }
  }

  private async applyInMemory(
    all: readonly SolutionReading[],
    now: Date,
  ): Promise<{ counts: AppliedBatch['counts']; ticket?: Ticket }> {
    await this.principals.prefetch(new Set(all.map((r) => r.pid)));
    const readings = all.filter((r) => this.principals.resolve(r.pid) !== undefined);
    const unknownBuilding = all.length - readings.length;
    if (unknownBuilding > 0 && !this.principals.loaded) {
      // Unknown only because the directory cannot be read (yet): tried again with the consumer's backoff.
      throw new RetryableError(
        `the principal directory is not loaded: ${this.principals.problem ?? 'starting'}`,
      );
    }
    // A building the directory does not hold (deleted, or never registered) raises nothing: skipped.
    if (readings.length === 0) return { counts: { ...noCounts(), unknownBuilding } };
    if (this.leadership.term !== this.term) {
      // Another replica may have led since these records were read.
      if (this.records.size > 0) {
        this.forget('a new term of leading the solutions began', RETRY_AFTER_FORGET_MS);
      }
      this.term = this.leadership.term;
    }
    const generation = this.generation;
    const keys = new Set<string>();
    const usageZones = new Map<string, { pid: string; zoneId: string }>();
    for (const r of readings) {
      keys.add(recordKey(r.pid, deviceScope(r.devId)));
      const zoneKey = recordKey(r.pid, zoneScope(r.zoneId));
      keys.add(zoneKey);
      if (RULES_OF_SLOT_TYPE[r.slotType]?.includes('usage')) {
        usageZones.set(zoneKey, { pid: r.pid, zoneId: r.zoneId });
      }
    }
    const missing = this.records.missing(keys);
    if (missing.length > 0) {
      // A write started before the records were forgotten may still store some of them: read after it.
      if (this.writeGeneration !== this.generation) await this.running;
      const loaded = await this.repository.load(missing);
      if (generation === this.generation) this.records.fill(missing, loaded);
    }
    const pids = [...new Set(readings.map((r) => r.pid))];
    const [stored, maintenance] = await Promise.all([
      this.repository.settingsOf(pids),
      this.repository.lastMaintenance([...usageZones.values()], now),
    ]);
    if (generation !== this.generation) {
      throw new RetryableError(
        'the solutions forgot the records this batch read (a checkpoint failed): it is applied again',
        RETRY_AFTER_FORGET_MS,
      );
    }
    const params = new Map<string, SolutionParams>();
    const paramsOf = (pid: string, slotType: string) => {
      const key = `${pid}\u0000${slotType}`;
      let p = params.get(key);
      if (!p) {
        p = effectiveParams(slotType, stored.get(pid)?.get(slotType));
        params.set(key, p);
      }
      return p;
    };
    const { devices, zones } = this.records.view(keys);
    let output: EngineOutput;
    try {
      output = evaluate({
        readings,
        devices,
        zones,
        params: paramsOf,
        lastCleanAt: (pid, zoneId) => maintenance.get(recordKey(pid, zoneId)) ?? 0,
        now: now.getTime(),
      });
    } catch (error) {
      // The engine changes the records in place: a batch it gave up on half-way left some changed and
      // not marked so. Forgotten, so nothing of it is written; the batch itself fails (and is retried).
      const reason = `the solutions could not apply a batch: ${(error as Error).message}`;
      this.logger.warn(reason, 'Solutions');
      this.forget(reason, undefined);
      throw error;
    }
    this.records.markChanged(output.changed);
    // The reads of the jobs (policy, zone name) go to the pool, side by side, while the batch waits.
    const memo: BatchMemo = { policies: new Map(), zoneNames: new Map() };
    const jobs = Promise.all(output.raises.map((raise) => this.jobOf(raise, now, memo)));
    jobs.catch(() => undefined); // awaited by the checkpoint
    const raisedKeys = new Set<string>();
    for (const { reading } of output.raises) {
      raisedKeys.add(recordKey(reading.pid, deviceScope(reading.devId)));
      raisedKeys.add(recordKey(reading.pid, zoneScope(reading.zoneId)));
    }
    const ticket = new Ticket(output.raises, jobs, [...raisedKeys], readings.length, now);
    // Every batch waits for a checkpoint, also one that changed nothing: what it found (a duplicate, a
    // late reading) rests on the records held, which hold the changes of batches not committed yet.
    this.pending.push(ticket);
    if (output.raises.length > 0) this.unraised.push(ticket);
    else ticket.incidents = [];
    this.schedule();
    return { counts: { ...output.counts, unknownBuilding }, ticket };
  }

  /** Sets the timer of the next write: a raise soon, the next part of a checkpoint at once, else the next checkpoint. */
  private schedule(): void {
    if (this.running) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    let wait: number;
    if (this.unraised.length > 0) wait = RAISE_DELAY_MS;
    else if (this.checkpoint) wait = 0;
    else if (this.pending.length > 0) wait = Math.max(0, this.lastCheckpointAt + CHECKPOINT_MS - Date.now());
    else return;
    this.timer = setTimeout(() => this.writeNow(false), wait);
  }

  /** Runs the next write (a checkpoint begins only when due, unless `force`). */
  private writeNow(force: boolean): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.next(force).finally(() => {
      this.running = undefined;
      this.schedule();
    });
  }

  private async next(force: boolean): Promise<void> {
    const kind = nextWrite({
      raisesWaiting: this.unraised.length > 0,
      checkpointInProgress: this.checkpoint !== undefined,
      checkpointDue:
        this.pending.length > 0 && (force || Date.now() >= this.lastCheckpointAt + CHECKPOINT_MS),
      lastWrite: this.lastWrite,
    });
    if (kind === undefined) return;
    this.lastWrite = kind;
    if (kind === 'raise') return this.write('raise');
    if (!this.checkpoint) {
      this.lastCheckpointAt = Date.now();
      const snapshot = this.records.takeChanged();
      this.checkpoint = {
        tickets: this.pending.splice(0),
        rest: new Map(snapshot.writes.map((write, i) => [write.key, { write, entry: snapshot.entries[i]! }])),
        started: process.hrtime.bigint(),
      };
    }
    return this.write('checkpoint');
  }

  /**
   * One write, one transaction: the incidents not written yet with the records that raised them, as they
   * are now (a raise — taken out of the checkpoint in progress, if it holds them), or the next part of
   * the checkpoint in progress (`CHECKPOINT_PART` records; its batches resolve after its last part).
   */
  private async write(kind: 'raise' | 'checkpoint'): Promise<void> {
    const started = process.hrtime.bigint();
    const generation = this.generation;
    this.writeGeneration = generation;
    const checkpoint = this.checkpoint;
    let raising: Ticket[] = [];
    let snapshot: RecordSnapshot;
    if (kind === 'raise') {
      raising = this.unraised.splice(0);
      const keys = raising.flatMap((t) => t.raisedKeys);
      // Written now at their current state (newer than the checkpoint's copy), so not again by it.
      const held = keys.filter((key) => checkpoint?.rest.delete(key));
      this.records.markChanged(held);
      snapshot = this.records.takeChanged(keys);
    } else {
      const part = [...checkpoint!.rest.values()].slice(0, CHECKPOINT_PART);
      for (const { write } of part) checkpoint!.rest.delete(write.key);
      snapshot = { writes: part.map((p) => p.write), entries: part.map((p) => p.entry) };
    }
    try {
      const jobs = (await Promise.all(raising.map((t) => t.jobs))).flat();
      if (jobs.length > 0 || snapshot.writes.length > 0) {
        const now =
          (raising[raising.length - 1] ?? checkpoint?.tickets[checkpoint.tickets.length - 1])?.now ??
          new Date();
        const created = await this.repository.transaction(WRITE_TIMEOUT_MS, async (tx) => {
          const results = jobs.length > 0 ? await this.incidents.createIn(tx, jobs) : [];
          const written = await this.repository.save(tx, snapshot.writes, now);
          if (written !== snapshot.writes.length) {
            throw new StaleStateError(
              `${snapshot.writes.length - written} of ${snapshot.writes.length} records were changed by another replica since they were read`,
            );
          }
          return results;
        });
        this.records.committed(snapshot);
        let at = 0;
        for (const ticket of raising) {
          ticket.incidents = ticket.raises.map((raise) => {
            const result = created[at++]!;
            return {
              taskId: result.incident.task_id,
              created: result.created,
              rule: raise.rule,
              readingId: raise.reading.id,
            };
          });
        }
        this.writes.inc({ kind, outcome: 'committed' });
        this.writeSeconds.observe({ kind }, Number(process.hrtime.bigint() - started) / 1e9);
      }
      if (checkpoint && checkpoint === this.checkpoint && checkpoint.rest.size === 0) {
        if (checkpoint.tickets.every((t) => t.incidents !== undefined)) {
          this.checkpoint = undefined;
          for (const ticket of checkpoint.tickets) ticket.resolve(ticket.incidents!);
          this.checkpointSeconds.observe(Number(process.hrtime.bigint() - checkpoint.started) / 1e9);
          this.records.evict();
        }
      }
    } catch (error) {
      this.writes.inc({ kind, outcome: 'failed' });
      const reason = `a ${kind} write of the solutions failed: ${(error as Error).message}`;
      this.logger.warn(`${reason}; the batches not acked yet are retried`, 'Solutions');
      // A stale state is retried soon (from the state as committed); a database failure with the backoff.
      const delay = error instanceof StaleStateError ? RETRY_AFTER_FORGET_MS : undefined;
      if (generation === this.generation) this.forget(reason, delay);
    }
  }

  /**
   * Forgets the records held and every change not committed: the batches applied since the last
   * checkpoint was taken are retried, and the next batches read the records as committed.
   */
  /** `delayMs`: when the batches are delivered again; undefined = the consumer's backoff. */
  private forget(reason: string, delayMs: number | undefined): void {
    this.generation += 1;
    this.records.clear();
    const tickets = [...(this.checkpoint?.tickets ?? []), ...this.pending.splice(0)];
    this.checkpoint = undefined;
    this.unraised = [];
    for (const ticket of tickets) {
      ticket.reject(new RetryableError(`the solutions forgot their records (${reason})`, delayMs));
    }
  }

  /** The incident of a raise: open, high priority, auto-assigned, keyed by building, rule and reading. */
  private async jobOf(raise: SolutionRaise, now: Date, memo: BatchMemo): Promise<CreateJob> {
    const { reading, rule, trigger } = raise;
    const principal = this.principals.resolve(reading.pid)!;
    const propId = principal.type === 'property' ? reading.pid : principal.property;
    const name = cut(trigger.name);
    // Asked once per batch for each building and name, and each zone: a batch raising many incidents
    // (a backlog) does not make the same reads for each.
    const policyKey = `${reading.pid}\u0000${name}`;
    let chosen = memo.policies.get(policyKey);
    if (!chosen) {
      chosen = this.policies.forNewIncident(reading.pid, name, TIMEOUT_SETTING.H);
      memo.policies.set(policyKey, chosen);
    }
    const { policy, storedSetting } = await chosen;
    const zoneKey = recordKey(reading.pid, reading.zoneId);
    let zoneName = memo.zoneNames.get(zoneKey);
    if (!zoneName) {
      zoneName = this.repository
        .zoneName(reading.pid, reading.zoneId)
        .then((found) => found ?? reading.zoneId);
      memo.zoneNames.set(zoneKey, zoneName);
    }
    const startBy = Math.floor(now.getTime() / 1000);
    const requestKey = createHash('sha256')
      .update(`solution\u0000${reading.pid}\u0000${rule}\u0000${reading.id}`)
      .digest('base64url');
    return {
      input: {
        org: principal.org,
        propId,
        pid: reading.pid,
        zoneId: reading.zoneId,
        zoneName: await zoneName,
        zoneCategoryId: null,
        name,
        priority: 'H',
        startBy,
        due: startBy + incidentTimeoutSeconds('H', storedSetting),
        bySource: SENSOR_SOURCE,
        eventSource: `${propId}#sensor`,
        autoAssigned: true,
        tasks: [{ Name: cut(trigger.task) }],
        autoAssign: { timeZone: reading.region },
        sourceDeviceIds: [reading.devId],
        requestKey,
        createdBy: SOLUTIONS_ACTOR,
      },
      policy,
      now,
    };
  }
}
