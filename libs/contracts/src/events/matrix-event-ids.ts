/**
 * Matrix Event Bus event ids per module (reference §2.3), with the priority of the documented example
 * routing key. `NEW_INCIDENT_CREATED_OPEN` (release notes 2022-11-12) is accepted as an alias of the
 * canonical `INCIDENT_CREATED_OPEN`.
 */
export const MATRIX_EVENTS = {
  scworkforcemanagement: {
    INCIDENT_CREATED: 'HIGH',
    INCIDENT_ESCALATED: 'HIGH',
    INCIDENT_STARTED: 'NORMAL',
    INCIDENT_COMPLETED: 'NORMAL',
    INCIDENT_INCOMPLETE: 'HIGH',
    INCIDENT_CREATED_OPEN: 'HIGH',
    SHIFT_STARTED: 'NORMAL',
    SHIFTS_PUBLISHED: 'MEDIUM',
    SHIFT_DELAYED: 'MEDIUM',
    SHIFT_ABSENT: 'HIGH',
    SHIFT_COMPLETED: 'NORMAL',
    TASK_STARTED: 'NORMAL',
    TASK_COMPLETED: 'NORMAL',
    TASK_INCOMPLETE: 'HIGH',
  },
  scaudits: {
    AUDIT_STARTED: 'NORMAL',
    AUDIT_COMPLETED: 'HIGH',
  },
  scgrids: {
    ZONE_CREATED: 'NORMAL',
    ZONE_NAME_MODIFIED: 'MEDIUM',
    ZONE_STATUS_MODIFIED: 'MEDIUM',
    ZONE_REMOVED: 'HIGH',
    LEVEL_CREATED: 'NORMAL',
    LEVEL_NAME_MODIFIED: 'MEDIUM',
  },
} as const;

export type MatrixModule = keyof typeof MATRIX_EVENTS;
export type MatrixEventId<M extends MatrixModule = MatrixModule> = keyof (typeof MATRIX_EVENTS)[M] & string;
export const MATRIX_PRIORITIES = ['HIGH', 'MEDIUM', 'NORMAL', 'LOW'] as const;
export type MatrixPriority = (typeof MATRIX_PRIORITIES)[number];

export const EVENT_ID_ALIASES: Readonly<Record<string, string>> = {
  NEW_INCIDENT_CREATED_OPEN: 'INCIDENT_CREATED_OPEN',
};

/** The documented priority of an event id, or undefined for an id the documentation does not list. */
export function defaultPriorityOf(module: string, eventId: string): MatrixPriority | undefined {
  const events = (MATRIX_EVENTS as Record<string, Record<string, MatrixPriority>>)[module];
  return events?.[EVENT_ID_ALIASES[eventId] ?? eventId];
}
