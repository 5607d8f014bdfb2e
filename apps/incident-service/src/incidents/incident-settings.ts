import { Injectable } from '@nestjs/common';
import { Database } from '@matrix/persistence';
import type { EffectiveSetting, SettingDefinition } from '../ops/setting-values';
import type { IncidentPriority } from './incident-lifecycle';

export type { EffectiveSetting, SettingDefinition } from '../ops/setting-values';

/** The system incident settings and their documented defaults (the Matrix documentation, §7.4 "Settings"). */
export const SYSTEM_INCIDENT_SETTINGS: Readonly<Record<string, SettingDefinition>> = {
  ALLOW_DELETION_OPEN_INCIDENTS: {
    type: 'Boolean',
    value: true,
    description: 'Open incidents may be deleted.',
  },
  ALLOW_DELETION_PUBLISHED_INCIDENTS: {
    type: 'Boolean',
    value: true,
    description: 'Assigned (published) incidents may be deleted.',
  },
  ALLOW_INCIDENT_REASSIGNMENT: { type: 'Boolean', value: true, description: 'Incidents may be reassigned.' },
  ALLOW_REASSIGNMENT_RESOLVED: {
    type: 'Boolean',
    value: false,
    description: 'Completed incidents may be reassigned.',
  },
  ALLOW_REASSIGNMENT_UNRESOLVED: {
    type: 'Boolean',
    value: true,
    description: 'Incomplete incidents may be reassigned.',
  },
  AUTO_ASSIGN_INCIDENTS: {
    type: 'Boolean',
    value: true,
    description: 'Incidents are assigned to an available shift round-robin.',
  },
  INCIDENT_HIGH_TIMEOUT: {
    type: 'Long',
    value: 900,
    unit: 'seconds',
    description: 'Due time of H incidents.',
  },
  INCIDENT_MEDIUM_TIMEOUT: {
    type: 'Long',
    value: 1200,
    unit: 'seconds',
    description: 'Due time of M incidents.',
  },
  INCIDENT_NORMAL_TIMEOUT: {
    type: 'Long',
    value: 1800,
    unit: 'seconds',
    description: 'Due time of N incidents.',
  },
  INCIDENT_LOW_TIMEOUT: {
    type: 'Long',
    value: 3600,
    unit: 'seconds',
    description: 'Due time of L incidents.',
  },
  MAX_INCIDENT_REASSIGN_COUNT: {
    type: 'Long',
    value: 8,
    description: 'Reassignments of one incident at most.',
  },
  REASSIGNMENT_RESOLVED_MAX: {
    type: 'Long',
    value: 86400,
    unit: 'seconds',
    description: 'How long after completion an incident may be reassigned.',
  },
  REASSIGNMENT_UNRESOLVED_MAX: {
    type: 'Long',
    value: 259200,
    unit: 'seconds',
    description: 'How long after being marked incomplete an incident may be reassigned.',
  },
  TASK_CLOSURE_PIC_COMPULSORY: {
    type: 'Boolean',
    value: true,
    description: 'If this is set to true, users must upload a picture before they can close the task.',
  },
};

export const TIMEOUT_SETTING: Record<IncidentPriority, string> = {
  H: 'INCIDENT_HIGH_TIMEOUT',
  M: 'INCIDENT_MEDIUM_TIMEOUT',
  N: 'INCIDENT_NORMAL_TIMEOUT',
  L: 'INCIDENT_LOW_TIMEOUT',
};

/**
 * Seconds from start-by to due of an incident of `priority`: the building's stored value of its timeout
 * setting (`long_value` as text, read by whoever already queries the building) or the system default.
 */
export function incidentTimeoutSeconds(priority: IncidentPriority, stored: string | null): number {
  return Number(stored ?? SYSTEM_INCIDENT_SETTINGS[TIMEOUT_SETTING[priority]]!.value);
}

interface SettingRow {
  key: string;
  long_value: string | null;
  boolean_value: boolean | null;
  modified_on: Date;
}

/** `workforce.incident_settings`: a building's changes over the system defaults (plain SQL, ADR-19). */
@Injectable()
export class IncidentSettings {
  constructor(private readonly db: Database) {}

  async of(pid: string): Promise<Record<string, EffectiveSetting>> {
    const rows = await this.db.query<SettingRow>(
      'select key, long_value::text, boolean_value, modified_on from workforce.incident_settings where pid = $1',
      [pid],
    );
    const settings: Record<string, EffectiveSetting> = { ...SYSTEM_INCIDENT_SETTINGS };
    for (const row of rows) {
      const system = SYSTEM_INCIDENT_SETTINGS[row.key];
      if (!system) continue;
      settings[row.key] = {
        ...system,
        value: system.type === 'Long' ? Number(row.long_value) : row.boolean_value === true,
        modifiedOn: Math.floor(row.modified_on.getTime() / 1000),
      };
    }
    return settings;
  }

  async update(pid: string, changes: Record<string, number | boolean>, by: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const [key, value] of Object.entries(changes)) {
        await tx.query(
          `insert into workforce.incident_settings (pid, key, long_value, boolean_value, modified_by)
           values ($1, $2, $3, $4, $5)
           on conflict (pid, key) do update set long_value = excluded.long_value,
             boolean_value = excluded.boolean_value, modified_by = excluded.modified_by, modified_on = now()`,
          [pid, key, typeof value === 'number' ? value : null, typeof value === 'boolean' ? value : null, by],
        );
      }
    });
  }
}
