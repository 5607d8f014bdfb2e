import type { IncidentPriority, IncidentStatus } from './incident-lifecycle';
import { escalationLevelName } from './incident-lifecycle';

/** A row of `workforce.incidents`. */
export interface IncidentRow {
  task_id: string;
  org_id: string;
  prop_id: string;
  pid: string;
  zone_id: string;
  zone_name: string;
  zone_category_id: string | null;
  name: string;
  description: string | null;
  priority: IncidentPriority;
  start_by: string;
  due: string;
  a_start: string;
  a_end: string;
  status: IncidentStatus;
  seat_id: string;
  shift_id: string;
  by_source: string | null;
  event_source: string | null;
  auto_assigned: boolean;
  escalation_level: number;
  /** The escalation timer's state (docs/data-formats.md "Workforce incidents"). */
  escalation_policy: string | null;
  escalation_type: 'unassigned' | 'startTime' | 'dueTime' | null;
  status_since: Date;
  escalate_at: Date | null;
  escalate_kind: 'unassigned' | 'startTime' | 'dueTime' | 'incomplete' | null;
  tasks: { Name: string }[];
  source_device_ids: string[];
  attachments: string[];
  created_by: string;
  created_on: Date;
  modified_on: Date;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * An incident in its documented shape (the Matrix documentation, §7.4 "Incident"; ids and times as
 * documented: `TaskId` an epoch-ms based string, times epoch seconds, `SeatId`/`ShiftId` `"tbp"` when open).
 */
export function matrixIncident(row: IncidentRow): Record<string, unknown> {
  return {
    ID: row.pid,
    ATTR: `attr#${row.pid}#${row.zone_id}#${row.task_id}`,
    TaskId: row.task_id,
    Type: 'INCIDENT',
    Name: row.name,
    ...(row.description !== null ? { Description: row.description } : {}),
    Priority: row.priority,
    Start: Number(row.start_by),
    End: Number(row.due),
    AStart: Number(row.a_start),
    AEnd: Number(row.a_end),
    Status: row.status,
    SeatId: row.seat_id,
    ShiftId: row.shift_id,
    Zone: row.zone_id,
    ZoneName: row.zone_name,
    ZoneCatId: row.zone_category_id ?? '',
    By: row.by_source ?? '',
    EventSource: row.event_source ?? '',
    AutoAssigned: row.auto_assigned,
    EscalationLevel: escalationLevelName(row.escalation_level),
    Org: row.org_id,
    PropID: row.prop_id,
    Tasks: row.tasks.map((task) => ({ Name: task.Name, Done: false })),
    taskCount: row.tasks.length,
    Attachments: row.attachments,
    SourceDeviceIdentifier: row.source_device_ids,
    CreatedOn: seconds(row.created_on),
    ModifiedOn: seconds(row.modified_on),
  };
}
