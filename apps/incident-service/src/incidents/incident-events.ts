import { buildMatrixEvent, defaultPriorityOf, type MatrixEventV1 } from '@matrix/contracts';
import { escalationLevelName } from './incident-lifecycle';
import type { IncidentRow } from './incident-row';

export const WORKFORCE_MODULE = 'scworkforcemanagement';

export type IncidentEventId =
  | 'INCIDENT_CREATED_OPEN'
  | 'INCIDENT_CREATED'
  | 'INCIDENT_STARTED'
  | 'INCIDENT_COMPLETED'
  | 'INCIDENT_INCOMPLETE'
  | 'INCIDENT_ESCALATED';

const DESCRIPTIONS: Record<IncidentEventId, (row: IncidentRow) => string> = {
  INCIDENT_CREATED_OPEN: (r) => `Open incident ${r.name} was created in ${r.zone_name}.`,
  INCIDENT_CREATED: (r) => `Incident ${r.name} in ${r.zone_name} was assigned to ${r.seat_id}.`,
  INCIDENT_STARTED: (r) => `Incident ${r.name} in ${r.zone_name} was started by ${r.seat_id}.`,
  INCIDENT_COMPLETED: (r) => `Incident ${r.name} in ${r.zone_name} was completed.`,
  INCIDENT_INCOMPLETE: (r) => `Incident ${r.name} in ${r.zone_name} was not resolved.`,
  INCIDENT_ESCALATED: (r) =>
    `Incident ${r.name} in ${r.zone_name} escalated to ${escalationLevelName(r.escalation_level)}.`,
};

/**
 * An incident event (the Matrix documentation, §2.2–2.4) on
 * `matrix.<building>.scworkforcemanagement.<EVENT>.<PRIORITY>`: principal the building, entity its
 * property, the event's documented priority, and the documented incident `Meta`.
 */
export function incidentEvent(eventId: IncidentEventId, row: IncidentRow, occurredAt: Date): MatrixEventV1 {
  const event = buildMatrixEvent({
    principal: row.pid,
    principalType: 'building',
    entity: row.prop_id,
    entityType: 'property',
    module: WORKFORCE_MODULE,
    eventId,
    priority: defaultPriorityOf(WORKFORCE_MODULE, eventId) ?? 'NORMAL',
    description: DESCRIPTIONS[eventId](row),
    occurredAt,
    meta: {
      AEnd: Number(row.a_end),
      AStart: Number(row.a_start),
      By: row.by_source ?? '',
      End: Number(row.due),
      EscalationLevel: escalationLevelName(row.escalation_level),
      Name: row.name,
      Priority: row.priority,
      SourceDeviceIdentifier: row.source_device_ids,
      Start: Number(row.start_by),
      Status: row.status,
      TaskId: row.task_id,
      Type: 'INCIDENT',
      Zone: row.zone_id,
      ZoneName: row.zone_name,
    },
  });
  event.ATTR = `${eventId}#${row.prop_id}#${row.pid}#${row.task_id}#${escalationLevelName(row.escalation_level)}`;
  return event;
}
