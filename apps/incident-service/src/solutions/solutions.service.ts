import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrincipalDirectory, RetryableError } from '@matrix/messaging';
import { EscalationPoliciesRepository } from '../incidents/escalation-policies.repository';
import { incidentTimeoutSeconds, TIMEOUT_SETTING } from '../incidents/incident-settings';
import { IncidentsRepository } from '../incidents/incidents.repository';
import {
  evaluate,
  recordKey,
  type EngineOutput,
  type SolutionRaise,
  type SolutionReading,
} from './solution-engine';
import { effectiveParams, type SolutionParams } from './solution-params';
import { SolutionsRepository } from './solutions.repository';

/** `Meta.By` of a sensor-raised incident: the documented source type of the Optimus solutions. */
export const SENSOR_SOURCE = 'Sensor';
/** Who created a sensor-raised incident (`created_by`, the timeline's `by`). */
export const SOLUTIONS_ACTOR = 'matrix-solutions';

/** What applying a batch did. */
export interface AppliedBatch {
  readonly counts: EngineOutput['counts'];
  /** The incidents raised (created, or found created by an earlier delivery of the same reading). */
  readonly incidents: { taskId: string; created: boolean; rule: string; readingId: string }[];
}

/**
 * Applies readings to the solutions (docs/solutions.md) and raises their incidents. One transaction per
 * batch holds the records of the batch's devices and zones (`for update`) from reading them to writing them
 * back; the incidents are created inside it (each by IncidentsRepository.create, which commits on its own
 * and is idempotent by request key = rule + reading id). So: a crash before the records commit leaves them as
 * they were and the redelivered batch decides the same, finding the incidents already created; a crash after
 * they commit (before the ack) finds every reading remembered, a duplicate.
 */
@Injectable()
export class SolutionsService {
  constructor(
    private readonly repository: SolutionsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly policies: EscalationPoliciesRepository,
    private readonly principals: PrincipalDirectory,
  ) {}

  async apply(readings: readonly SolutionReading[], now: Date): Promise<AppliedBatch> {
    const pids = [...new Set(readings.map((r) => r.pid))];
    await this.principals.prefetch(pids);
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
        if (r.slotType === 'PPLCTR' || r.slotType === 'UM') {
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
      });
      const incidents: AppliedBatch['incidents'] = [];
      for (const raise of output.raises) incidents.push(await this.raise(raise, now));
      await this.repository.save(tx, records, output.changed, now);
      return { counts: output.counts, incidents };
    });
  }

  /** Creates the incident of a raise: open, high priority, auto-assigned, keyed by rule and reading. */
  private async raise(raise: SolutionRaise, now: Date): Promise<AppliedBatch['incidents'][number]> {
    const { reading, rule, trigger } = raise;
    const principal = this.principals.resolve(reading.pid);
    if (!principal) {
      // The gateway relays a building's entry before any reading can name it; not found means the
      // directory cannot be read right now: the batch is tried again.
      throw new RetryableError(`building ${reading.pid} is not in the principal directory (yet)`);
    }
    const propId = principal.type === 'property' ? reading.pid : principal.property;
    const { policy, storedSetting } = await this.policies.forNewIncident(
      reading.pid,
      trigger.name,
      TIMEOUT_SETTING.H,
    );
    const startBy = Math.floor(now.getTime() / 1000);
    const requestKey = createHash('sha256')
      .update(`solution\u0000${reading.pid}\u0000${rule}\u0000${reading.id}`)
      .digest('base64url');
    const { incident, created } = await this.incidents.create(
      {
        org: principal.org,
        propId,
        pid: reading.pid,
        zoneId: reading.zoneId,
        zoneName: (await this.repository.zoneName(reading.pid, reading.zoneId)) ?? reading.zoneId,
        zoneCategoryId: null,
        name: trigger.name,
        priority: 'H',
        startBy,
        due: startBy + incidentTimeoutSeconds('H', storedSetting),
        bySource: SENSOR_SOURCE,
        eventSource: `${propId}#sensor`,
        autoAssigned: true,
        tasks: [{ Name: trigger.task }],
        autoAssign: { timeZone: reading.region },
        sourceDeviceIds: [reading.devId],
        requestKey,
        createdBy: SOLUTIONS_ACTOR,
      },
      policy,
      now,
    );
    return { taskId: incident.task_id, created, rule, readingId: reading.id };
  }
}
