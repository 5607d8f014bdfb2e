import {
  buildMatrixEvent,
  defaultPriorityOf,
  type MatrixEventV1,
  type ShiftEventIdV1,
  type ShiftsPublishedMetaV1,
} from '@matrix/contracts';
import { shiftMeta, type ShiftRow } from './shift-row';

/** The Matrix module of the workforce events. */
const WORKFORCE_MODULE = 'scworkforcemanagement';

/** The most shifts one publish call publishes (and one SHIFTS_PUBLISHED lists). */
export const MAX_PUBLISHED_PER_CALL = 200;

export type ShiftEventId = Exclude<ShiftEventIdV1, 'SHIFTS_PUBLISHED'>;

const DESCRIPTIONS: Record<ShiftEventId, (row: ShiftRow) => string> = {
  SHIFT_STARTED: (r) => `Shift ${r.shift_id} of seat ${r.seat_id} was started.`,
  SHIFT_COMPLETED: (r) => `Shift ${r.shift_id} of seat ${r.seat_id} was completed.`,
  SHIFT_DELAYED: (r) => `Shift ${r.shift_id} of seat ${r.seat_id} is delayed.`,
  SHIFT_ABSENT: (r) => `Seat ${r.seat_id} is absent from shift ${r.shift_id}.`,
};

const base = (
  pid: string,
  propId: string,
  eventId: ShiftEventIdV1,
  description: string,
  occurredAt: Date,
) => ({
  principal: pid,
  principalType: 'building' as const,
  entity: propId,
  entityType: 'property' as const,
  module: WORKFORCE_MODULE,
  eventId,
  priority: defaultPriorityOf(WORKFORCE_MODULE, eventId) ?? 'NORMAL',
  description,
  occurredAt,
});

/**
 * A shift event (the Matrix documentation, §2.2–2.4) on
 * `matrix.<building>.scworkforcemanagement.<EVENT>.<PRIORITY>`: principal the building, entity its
 * property, the event's documented priority, `Meta` the shift after the change (`ShiftEventMetaV1`).
 */
export function shiftEvent(
  eventId: ShiftEventId,
  row: ShiftRow,
  taskGroups: readonly string[],
  by: string,
  occurredAt: Date,
): MatrixEventV1 {
  const event = buildMatrixEvent({
    ...base(row.pid, row.prop_id, eventId, DESCRIPTIONS[eventId](row), occurredAt),
    meta: { ...shiftMeta(row, taskGroups, by) },
  });
  event.ATTR = `${eventId}#${row.prop_id}#${row.pid}#${row.seat_id}#${row.shift_id}`;
  return event;
}

/** `SHIFTS_PUBLISHED` for the shifts one publish call published in building `pid` (`ShiftsPublishedMetaV1`). */
export function shiftsPublishedEvent(
  pid: string,
  propId: string,
  shifts: readonly { row: ShiftRow; taskGroups: readonly string[] }[],
  by: string,
  occurredAt: Date,
): MatrixEventV1 {
  const meta: ShiftsPublishedMetaV1 = {
    Type: 'SHIFTS',
    ID: pid,
    PropID: propId,
    Count: shifts.length,
    Shifts: shifts.map(({ row, taskGroups }) => {
      const { By: _by, ...shift } = shiftMeta(row, taskGroups, by);
      return shift;
    }),
    By: by,
  };
  const event = buildMatrixEvent({
    ...base(pid, propId, 'SHIFTS_PUBLISHED', `${shifts.length} shift(s) were published.`, occurredAt),
    meta: { ...meta },
  });
  event.ATTR = `SHIFTS_PUBLISHED#${propId}#${pid}#${Math.floor(occurredAt.getTime() / 1000)}`;
  return event;
}
