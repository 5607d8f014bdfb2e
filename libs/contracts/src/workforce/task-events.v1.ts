/*
 * ⚠️ The `Meta` of the task events of the Matrix Event Bus (module `scworkforcemanagement`), which the
 * Matrix documentation leaves open (it documents only the incident `Meta`, §2.4; the task events are
 * listed in §2.3): `TASK_STARTED` (NORMAL), `TASK_COMPLETED` (NORMAL) and `TASK_INCOMPLETE` ("Task Not
 * Resolved", HIGH) carry one {@link TaskEventMetaV1}, the task group after the change. Subscribers read
 * these fields: additive changes only (a new optional field); a breaking change is a `…V2` beside this
 * one. An assigned incident started or ended through the task ops publishes the INCIDENT_* events with
 * the incident `Meta` instead.
 */

export const TASK_GROUP_STATUSES_V1 = [
  'UNPUBLISHED',
  'PUBLISHED',
  'STARTED',
  'PAUSED',
  'COMPLETED',
  'INCOMPLETE',
] as const;
export type TaskGroupStatusV1 = (typeof TASK_GROUP_STATUSES_V1)[number];

/** The task events and their documented priorities (the Matrix documentation, §2.3). */
export const TASK_EVENT_IDS_V1 = ['TASK_STARTED', 'TASK_COMPLETED', 'TASK_INCOMPLETE'] as const;
export type TaskEventIdV1 = (typeof TASK_EVENT_IDS_V1)[number];

/** One task group, as its events describe it. */
export interface TaskEventMetaV1 {
  /** `TASK` (planned: at scheduling or added to the shift later) or `ADHOC` (raised and started on the spot). */
  Type: 'TASK' | 'ADHOC';
  /** The task group's id: epoch milliseconds followed by six digits. */
  TaskId: string;
  /** UUID of its shift. */
  ShiftId: string;
  /** The seat (person) whose shift it is, `<propid>_<nnn>`. */
  SeatId: string;
  /** Building id (the event's principal). */
  ID: string;
  /** Property id. */
  PropID: string;
  /** Zone id, its name and category (the registry's). */
  Zone: string;
  ZoneName: string;
  ZoneCatId: string;
  Name: string;
  /** `H`, `M`, `N` or `L`. */
  Priority: 'H' | 'M' | 'N' | 'L';
  /** Planned start and end, epoch seconds. */
  Start: number;
  End: number;
  /** Actual start (first start) and end, epoch seconds; 0 until they happen. */
  AStart: number;
  AEnd: number;
  /** The status after the change. */
  Status: TaskGroupStatusV1;
  /** Work items marked done, and all work items of the task group. */
  TasksDone: number;
  taskCount: number;
  /** Who caused the change: the API access key, or `task-timer` when its window closed. */
  By: string;
}
