import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { stableStringify, type ActionCommandReplyV1, type ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { EscalationPoliciesRepository, type StoredPolicy } from './escalation-policies.repository';
import {
  DEFAULT_ESCALATION_POLICY,
  DEFAULT_POLICY_ID,
  matrixPolicy,
  policyFromCreate,
  withDetails,
  withTargetDurations,
  withThresholds,
  type EscalationPolicy,
} from './escalation-policy';
import { escalationLevelName } from './incident-lifecycle';
import type { IncidentRow } from './incident-row';
import { IncidentsRepository, type TimelineRow } from './incidents.repository';
import { field, object, optionalFlag, optionalText, text, type Args } from '../ops/args';
import { incidentId } from './incident-args';
import { allow, building, notFound, seconds, type OpGroup, type OpTable } from '../ops/op-table';

/** Incidents one `scteams.getIncidentEscalations` names at most. */
export const MAX_ESCALATION_QUERIES = 100;

const reply = (pid: string, stored: StoredPolicy, mapToArray: boolean) =>
  matrixPolicy(pid, stored.policy, mapToArray, stored);

/**
 * The six escalation-policy ops, and `scteams.getIncidentEscalations` (where incidents stand on the
 * escalation timer) (the Matrix documentation, §4.4 and §7.4 "Escalation policy"): create
 * and the three updates take the array form; reads answer the map form, or the array form with
 * `MapToArray`. No delete op is documented.
 */
@Injectable()
export class EscalationActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.createEscalationPolicy': (c) => this.create(c),
    'scteams.getAllEscalationPolicies': (c) => this.all(c),
    'scteams.getEscalationPolicy': (c) => this.one(c),
    'scteams.updateEscalationPolicyDetails': (c) => this.update(c, withDetails),
    'scteams.updateEscalationPolicySettings': (c) => this.update(c, withThresholds),
    'scteams.updateEscalationPolicyTargetDurations': (c) => this.update(c, withTargetDurations),
    'scteams.getIncidentEscalations': (c) => this.incidentEscalations(c),
  };

  constructor(
    private readonly policies: EscalationPoliciesRepository,
    private readonly incidents: IncidentsRepository,
  ) {}

  /**
   * `TaskGroups[{TaskId, Zone}]` (an open incident) or `[{TaskId, ShiftId}]` (an assigned one): each
   * incident of the building found at that address, in the order named, with its escalation state and its
   * escalations so far; an id not found (or not at that zone/shift) is left out, not an error.
   */
  private async incidentEscalations(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const groups = field(command.args, 'TaskGroups');
    if (!Array.isArray(groups)) {
      throw new CommandError(
        groups === undefined ? 'MISSING_PARAMETERS' : 'WRONG_PARAMETERS',
        'TaskGroups: must be a list',
      );
    }
    if (groups.length > MAX_ESCALATION_QUERIES) {
      throw new CommandError(
        'WRONG_PARAMETERS',
        `TaskGroups: must name at most ${MAX_ESCALATION_QUERIES} incidents`,
      );
    }
    const addresses = groups.map((value: unknown, i) => {
      const at = `TaskGroups[${i}]`;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new CommandError('WRONG_PARAMETERS', `${at}: must be an object`);
      }
      const group = value as Args;
      const zoneId = optionalText(group, 'Zone', `${at}.Zone`);
      const shiftId = optionalText(group, 'ShiftId', `${at}.ShiftId`);
      return {
        pid,
        taskId: incidentId(group, 'TaskId', `${at}.TaskId`),
        ...(zoneId ? { zoneId } : {}),
        ...(shiftId ? { shiftId } : {}),
      };
    });
    // Two statements for all of them: the incidents, then their escalations.
    const rows = new Map(
      (await this.incidents.findMany(pid, [...new Set(addresses.map((a) => a.taskId))])).map((row) => [
        row.task_id,
        row,
      ]),
    );
    const found = addresses.flatMap((address) => {
      const row = rows.get(address.taskId);
      const at =
        row &&
        (address.zoneId === undefined || row.zone_id === address.zoneId) &&
        (address.shiftId === undefined || row.shift_id === address.shiftId);
      return at ? [row] : [];
    });
    const steps = await this.incidents.timelineOf(
      found.map((row) => row.task_id),
      'escalate',
    );
    return {
      data: found.map((row) =>
        this.escalationsOf(
          row,
          steps.filter((s) => s.task_id === row.task_id),
        ),
      ),
    };
  }

  private escalationsOf(row: IncidentRow, steps: readonly TimelineRow[]): Record<string, unknown> {
    const escalates = row.escalate_at !== null && row.escalate_kind !== 'incomplete';
    return {
      TaskId: row.task_id,
      Zone: row.zone_id,
      ShiftId: row.shift_id,
      SeatId: row.seat_id,
      Status: row.status,
      EscalationLevel: escalationLevelName(row.escalation_level),
      EscalationType: row.escalation_type,
      EscalationPolicy: row.escalation_policy,
      NextEscalationAt: escalates ? seconds(row.escalate_at!) : null,
      Escalations: steps.map((step) => ({
        Action: step.transition,
        From: step.from_status,
        Status: step.to_status,
        EscalationLevel: escalationLevelName(step.escalation_level),
        SeatId: step.seat_id,
        By: step.by_key,
        Time: Number(step.at),
      })),
    };
  }

  private async create(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    allow(command, 'admin');
    const body = object(command.args, 'EscalationPolicy');
    const policy = policyFromCreate(body);
    const requestKey = createHash('sha256')
      .update(stableStringify({ pid, op: command.op, args: command.args }))
      .digest('base64url');
    const { stored, created } = await this.policies.create(pid, policy, requestKey, command.caller.accessKey);
    return {
      message: created
        ? 'Escalation policy created'
        : 'Escalation policy already created by an identical request',
      data: reply(pid, stored, optionalFlag(command.args, 'MapToArray')),
    };
  }

  private async all(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const mapToArray = optionalFlag(command.args, 'MapToArray');
    return { data: (await this.policies.all(pid)).map((stored) => reply(pid, stored, mapToArray)) };
  }

  /** `EscalationPolicyId` (default `default`). */
  private async one(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const policyId = optionalText(command.args, 'EscalationPolicyId') || DEFAULT_POLICY_ID;
    const stored = await this.policies.find(pid, policyId);
    if (!stored) throw notFound(`escalation policy ${policyId}`);
    return { data: reply(pid, stored, optionalFlag(command.args, 'MapToArray')) };
  }

  private async update(
    command: ActionCommandV1,
    change: (policy: EscalationPolicy, body: Record<string, unknown>) => EscalationPolicy,
  ): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    allow(command, 'admin');
    const body = object(command.args, 'EscalationPolicy');
    const policyId = text(body, 'PolicyId', 'EscalationPolicy.PolicyId');
    // Refuse a malformed body before touching the database (the change runs again inside the transaction).
    change(DEFAULT_ESCALATION_POLICY, body);
    const stored = await this.policies.update(
      pid,
      policyId,
      (policy) => change(policy, body),
      command.caller.accessKey,
    );
    if (!stored) throw notFound(`escalation policy ${policyId}`);
    return {
      message: 'Escalation policy updated',
      data: reply(pid, stored, optionalFlag(command.args, 'MapToArray')),
    };
  }
}
