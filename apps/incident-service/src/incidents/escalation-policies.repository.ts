import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Database, type Sql } from '@matrix/persistence';
import {
  DEFAULT_ESCALATION_POLICY,
  DEFAULT_POLICY_ID,
  type EscalationPolicy,
  type LevelSetting,
  type TargetDuration,
  type ThresholdKind,
} from './escalation-policy';
import type { IncidentPriority } from './incident-lifecycle';

/** A policy as stored, with its times (epoch seconds; absent for the documented default never changed). */
export interface StoredPolicy {
  policy: EscalationPolicy;
  createdOn?: number;
  modifiedOn?: number;
}

interface PolicyRow {
  policy_id: string;
  name: string;
  description: string;
  is_default: boolean;
  incident_types: string[];
  target_durations: Record<IncidentPriority, TargetDuration>;
  escalation_settings: Record<ThresholdKind, Record<string, LevelSetting>>;
  created_on: Date;
  modified_on: Date;
}

const COLUMNS = `policy_id, name, description, is_default, incident_types, target_durations, escalation_settings,
  created_on, modified_on`;

const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

/** `default` is the building's default unless another policy is (`is_default`). */
function stored(row: PolicyRow, otherDefault: boolean): StoredPolicy {
  return {
    policy: {
      policyId: row.policy_id,
      name: row.name,
      description: row.description,
      isDefault: row.policy_id === DEFAULT_POLICY_ID ? !otherDefault : row.is_default,
      incidentTypes: row.incident_types,
      targetDurations: row.target_durations,
      settings: row.escalation_settings,
    },
    createdOn: epoch(row.created_on),
    modifiedOn: epoch(row.modified_on),
  };
}

const documentedDefault = (otherDefault: boolean): StoredPolicy => ({
  policy: { ...DEFAULT_ESCALATION_POLICY, isDefault: !otherDefault },
});

/**
 * `workforce.escalation_policies` (plain SQL, ADR-19). Writes of one building's policies are serialised
 * by a transaction-scoped advisory lock on the building, so "one default per building" and the
 * read-modify-write of an update hold under concurrent requests.
 */
@Injectable()
export class EscalationPoliciesRepository {
  constructor(private readonly db: Database) {}

  /** The building's policies: `default` first, then in creation order. */
  async all(pid: string): Promise<StoredPolicy[]> {
    const rows = await this.db.query<PolicyRow>(
      `select ${COLUMNS} from workforce.escalation_policies where pid = $1
       order by policy_id <> 'default', created_on, policy_id`,
      [pid],
    );
    const otherDefault = rows.some((row) => row.is_default);
    const policies = rows.map((row) => stored(row, otherDefault));
    return rows[0]?.policy_id === DEFAULT_POLICY_ID
      ? policies
      : [documentedDefault(otherDefault), ...policies];
  }

  async find(pid: string, policyId: string, sql: Sql = this.db): Promise<StoredPolicy | undefined> {
    const rows = await sql.query<PolicyRow & { other_default: boolean }>(
      `select ${COLUMNS}, exists (select 1 from workforce.escalation_policies o where o.pid = p.pid and o.is_default)
         as other_default
       from workforce.escalation_policies p where pid = $1 and policy_id = $2`,
      [pid, policyId],
    );
    const row = rows[0];
    if (row) return stored(row, row.other_default);
    if (policyId !== DEFAULT_POLICY_ID) return undefined;
    const other = await sql.query<{ any: boolean }>(
      `select exists (select 1 from workforce.escalation_policies where pid = $1 and is_default) as any`,
      [pid],
    );
    return documentedDefault(other[0]?.any === true);
  }

  /**
   * The policy that applies to an incident named `name`: the building's oldest policy whose
   * `IncidentTypes` lists the name exactly, else the building's default policy (`*` lists no name) —
   * the one it marked `IsDefault`, else `default` as stored, else as documented. One statement.
   */
  async forIncident(pid: string, name: string, sql: Sql = this.db): Promise<EscalationPolicy> {
    return (await this.choose(sql, pid, name, null)).policy;
  }

  /**
   * What a create needs before its insert, in one statement: the policy that applies to an incident
   * named `name` ({@link forIncident}) and the building's stored value of the incident setting
   * `settingKey` (`long_value` as text; null when the building keeps the system default).
   */
  async forNewIncident(
    pid: string,
    name: string,
    settingKey: string,
  ): Promise<{ policy: EscalationPolicy; storedSetting: string | null }> {
    return this.choose(this.db, pid, name, settingKey);
  }

  private async choose(
    sql: Sql,
    pid: string,
    name: string,
    settingKey: string | null,
  ): Promise<{ policy: EscalationPolicy; storedSetting: string | null }> {
    const [row] = await sql.query<
      Partial<PolicyRow> & { other_default: boolean; stored_setting: string | null }
    >(
      `select p.*,
         exists (select 1 from workforce.escalation_policies o where o.pid = $1 and o.is_default) as other_default,
         (select s.long_value::text from workforce.incident_settings s where s.pid = $1 and s.key = $3::text)
           as stored_setting
       from (select) as building
       left join lateral (
         select ${COLUMNS} from workforce.escalation_policies
         where pid = $1 and (incident_types ? $2 or is_default or policy_id = '${DEFAULT_POLICY_ID}')
         order by case when incident_types ? $2 then 0 when is_default then 1 else 2 end, created_on, policy_id
         limit 1
       ) as p on true`,
      [pid, name, settingKey],
    );
    const policy = row?.policy_id
      ? stored(row as PolicyRow, row.other_default).policy
      : documentedDefault(row?.other_default === true).policy;
    return { policy, storedSetting: row?.stored_setting ?? null };
  }

  /** A new policy (a fresh id); the one an identical earlier request created when `requestKey` is known. */
  async create(
    pid: string,
    policy: Omit<EscalationPolicy, 'policyId'>,
    requestKey: string,
    by: string,
  ): Promise<{ stored: StoredPolicy; created: boolean }> {
    return this.db.transaction(async (tx) => {
      await lockBuilding(tx, pid);
      const earlier = await tx.query<{ policy_id: string }>(
        `select policy_id from workforce.escalation_policies where pid = $1 and request_key = $2`,
        [pid, requestKey],
      );
      if (earlier[0]) return { stored: (await this.find(pid, earlier[0].policy_id, tx))!, created: false };
      if (policy.isDefault) {
        await tx.query(
          `update workforce.escalation_policies set is_default = false where pid = $1 and is_default`,
          [pid],
        );
      }
      const policyId = randomUUID();
      await write(tx, pid, { ...policy, policyId }, by, requestKey);
      return { stored: (await this.find(pid, policyId, tx))!, created: true };
    });
  }

  /** The policy changed by `change` (undefined when the building has no such policy). */
  async update(
    pid: string,
    policyId: string,
    change: (policy: EscalationPolicy) => EscalationPolicy,
    by: string,
  ): Promise<StoredPolicy | undefined> {
    return this.db.transaction(async (tx) => {
      await lockBuilding(tx, pid);
      const current = await this.find(pid, policyId, tx);
      if (!current) return undefined;
      await write(tx, pid, change(current.policy), by);
      return this.find(pid, policyId, tx);
    });
  }
}

async function lockBuilding(tx: Sql, pid: string): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock(hashtext('workforce.escalation_policies'), hashtext($1))`, [
    pid,
  ]);
}

async function write(
  tx: Sql,
  pid: string,
  policy: EscalationPolicy,
  by: string,
  requestKey?: string,
): Promise<void> {
  await tx.query(
    `insert into workforce.escalation_policies (pid, policy_id, name, description, is_default, incident_types,
       target_durations, escalation_settings, request_key, created_by, modified_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
     on conflict (pid, policy_id) do update set name = excluded.name, description = excluded.description,
       incident_types = excluded.incident_types, target_durations = excluded.target_durations,
       escalation_settings = excluded.escalation_settings, modified_by = excluded.modified_by, modified_on = now()`,
    [
      pid,
      policy.policyId,
      policy.name,
      policy.description,
      policy.policyId !== DEFAULT_POLICY_ID && policy.isDefault,
      JSON.stringify(policy.incidentTypes),
      JSON.stringify(policy.targetDurations),
      JSON.stringify(policy.settings),
      requestKey ?? null,
      by,
    ],
  );
}
