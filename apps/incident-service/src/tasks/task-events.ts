import {
  buildMatrixEvent,
  defaultPriorityOf,
  type MatrixEventV1,
  type TaskEventIdV1,
} from '@matrix/contracts';
import { WORKFORCE_MODULE } from '../incidents/incident-events';
import { taskMeta, type TaskGroupRow } from './task-group-row';

const DESCRIPTIONS: Record<TaskEventIdV1, (row: TaskGroupRow) => string> = {
  TASK_STARTED: (r) => `${r.seat_id} has started ${r.name} in ${r.zone_name}.`,
  TASK_COMPLETED: (r) => `${r.seat_id} has completed ${r.name} in ${r.zone_name}.`,
  TASK_INCOMPLETE: (r) => `${r.name} in ${r.zone_name} was not completed by ${r.seat_id}.`,
};

/**
 * A task event (the Matrix documentation, §2.2–2.4) on `matrix.<building>.scworkforcemanagement.<EVENT>.<PRIORITY>`:
 * principal the building, entity its property, the event's documented priority (§2.3: NORMAL for
 * started/completed, HIGH for not resolved), `ATTR` `<EVENT>#<propid>#<building>#<TaskId>` (the
 * event-log form of §2.6) and the task group `Meta` (`TaskEventMetaV1`).
 */
export function taskEvent(
  eventId: TaskEventIdV1,
  row: TaskGroupRow,
  by: string,
  occurredAt: Date,
): MatrixEventV1 {
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
    meta: { ...taskMeta(row, by) },
  });
  event.ATTR = `${eventId}#${row.prop_id}#${row.pid}#${row.task_id}`;
  return event;
}
