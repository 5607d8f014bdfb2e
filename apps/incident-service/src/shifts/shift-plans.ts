import type { ShiftBreak } from './shift-row';
import { onDate } from './shift-times';
import type { NewTaskGroup, TaskGroupRow } from './task-groups.repository';
import type { NewShift } from './shifts.repository';

/* Pure helpers of the planning ops: a shift repeated on another date, a copy of a stored shift's plan. */

/**
 * `shift` on `date` (createShift `Repeat.RepeatDates`, copyShift): the shift, its planned breaks and its
 * task groups moved together to that date at the same wall-clock times in the shift's time zone.
 */
export function shiftOnDate(shift: NewShift, date: { year: number; month: number; day: number }): NewShift {
  const breakTimes = shift.breaks.flatMap((b) => (b.Start > 0 ? [b.Start, b.End] : []));
  const groupTimes = shift.taskGroups.flatMap((g) => [g.start, g.end]);
  const moved = onDate(
    [shift.start, shift.end, ...breakTimes, ...groupTimes],
    shift.start,
    date,
    shift.timeZone,
  );
  const [start, end] = [moved[0]!, moved[1]!];
  let next = 2;
  const breaks = shift.breaks.map((b) => {
    if (b.Start === 0) return { ...b };
    const [s, e] = [moved[next]!, moved[next + 1]!];
    next += 2;
    return { ...b, Start: s, End: e };
  });
  const taskGroups = shift.taskGroups.map((g) => {
    const [s, e] = [moved[next]!, moved[next + 1]!];
    next += 2;
    return { ...g, start: s, end: e };
  });
  return { ...shift, start, end, breaks, taskGroups };
}

/** The plan of a stored break (a copy takes the scheduled breaks, none of what was taken). */
export const plannedBreakOf = (b: ShiftBreak): ShiftBreak => ({ ...b, AStart: 0, AEnd: 0 });

/** A stored task group as a new one of a copy: the same work, nothing done yet. */
export const taskGroupPlanOf = (row: TaskGroupRow): NewTaskGroup => ({
  name: row.name,
  priority: row.priority,
  start: Number(row.start_at),
  end: Number(row.end_at),
  timeZone: row.time_zone,
  type: row.type,
  zoneId: row.zone_id,
  zoneName: row.zone_name,
  zoneCategoryId: row.zone_category_id,
  tasks: row.tasks.map((t) => ({ ...t, Done: false, T: -1, Comments: '', Attachments: [] })),
});
