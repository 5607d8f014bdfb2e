import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrincipalDirectory, RetryableError } from '@matrix/messaging';
import { EscalationPoliciesRepository } from '../incidents/escalation-policies.repository';
import { incidentTimeoutSeconds, TIMEOUT_SETTING } from '../incidents/incident-settings';
import { IncidentsRepository, type CreateJob } from '../incidents/incidents.repository';
import {
  evaluate,
  noCounts,
  recordKey,
  type EngineOutput,
  type SolutionRaise,
  type SolutionReading,
} from './solution-engine';
import { effectiveParams, RULES_OF_SLOT_TYPE, type SolutionParams } from './solution-params';
import { SolutionsRepository } from './solutions.repository';

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
  readonly incidents: { taskId: string; created: boolean; rule: string; readingId: string }[];
}

/**
 * Applies readings to the solutions (docs/solutions.md) and raises their incidents. One transaction per
 * batch: the records of the batch's devices and zones are locked (`for update`), the readings applied, the
 * incidents decided are created (IncidentsRepository.createIn, idempotent by request key = building + rule +
 * reading id) and the records written back, then it commits — all or nothing. A crash before the commit
 * leaves everything as it was (the redelivered batch decides afresh); after it, every reading is remembered.
 */
@Injectable()
export class SolutionsService {
  constructor(
    private readonly repository: SolutionsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly policies: EscalationPoliciesRepository,
    private readonly principals: PrincipalDirectory,
  ) {}

  async apply(all: readonly SolutionReading[], now: Date): Promise<AppliedBatch> {
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
    if (readings.length === 0) return { counts: { ...noCounts(), unknownBuilding }, incidents: [] };
    const pids = [...new Set(readings.map((r) => r.pid))];
    return this.repository.transaction(async (tx) => {
      const stored = await this.repository.settingsOf(pids, tx);
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
      const records = await this.repository.lock(tx, readings);
      const usageZones = new Map<string, { pid: string; zoneId: string }>();
      for (const r of readings) {
        if (RULES_OF_SLOT_TYPE[r.slotType]?.includes('usage')) {
          usageZones.set(recordKey(r.pid, r.zoneId), { pid: r.pid, zoneId: r.zoneId });
        }
      }
      const maintenance = await this.repository.lastMaintenance(tx, [...usageZones.values()], now);
      const output = evaluate({
        readings,
        devices: records.devices,
        zones: records.zones,
        params: paramsOf,
        lastCleanAt: (pid, zoneId) => maintenance.get(recordKey(pid, zoneId)) ?? 0,
        now: now.getTime(),
      });
      // The reads of the jobs (policy, zone name) go to the pool, side by side; the creates then run in order.
      const memo: BatchMemo = { policies: new Map(), zoneNames: new Map() };
      const jobs: CreateJob[] = await Promise.all(output.raises.map((raise) => this.jobOf(raise, now, memo)));
      const created = jobs.length > 0 ? await this.incidents.createIn(tx, jobs) : [];
      await this.repository.save(tx, records, output.changed, now);
      return {
        counts: { ...output.counts, unknownBuilding },
        incidents: created.map((result, i) => ({
          taskId: result.incident.task_id,
          created: result.created,
          rule: output.raises[i]!.rule,
          readingId: output.raises[i]!.reading.id,
        })),
      };
    });
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
