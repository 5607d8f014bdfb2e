import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { stableStringify, type ActionCommandReplyV1, type ActionCommandV1 } from '@matrix/contracts';
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
import { object, optionalFlag, optionalText, text } from './workforce-args';
import { allow, building, notFound, type OpGroup, type OpTable } from './workforce-ops';

const reply = (pid: string, stored: StoredPolicy, mapToArray: boolean) =>
  matrixPolicy(pid, stored.policy, mapToArray, stored);

/**
 * The six escalation-policy ops (the Matrix documentation, §4.4 and §7.4 "Escalation policy"): create
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
  };

  constructor(private readonly policies: EscalationPoliciesRepository) {}

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
