/**
 * The task-group lifecycle (the Matrix documentation, §7.4 "TaskGroup / Task"), as a pure state machine:
 * which transition is allowed from which status, and the rule that refuses one that is not. The
 * repository applies a transition to the task-group row it holds locked (`select … for update`, its
 * shift held `for share`), so of two concurrent conflicting transitions the second sees the first's
 * outcome and is refused here.
 *
 * (add) → UNPUBLISHED (its shift not published) | PUBLISHED → STARTED (start; only the shift's seat,
 * only while the shift is STARTED) ⇄ PAUSED (pause; start resumes) → COMPLETED (end, from STARTED or
 * PAUSED); INCOMPLETE (the timer) from PUBLISHED, STARTED or PAUSED. An ad hoc task group is created
 * STARTED on its seat's running shift (start-adhoc) and ended with its work items (end-adhoc). A task
 * group not started yet (UNPUBLISHED, PUBLISHED) may be removed from its shift.
 */

export const TASK_GROUP_STATUSES = [
  'UNPUBLISHED',
  'PUBLISHED',
  'STARTED',
  'PAUSED',
  'COMPLETED',
  'INCOMPLETE',
] as const;
export type TaskGroupStatus = (typeof TASK_GROUP_STATUSES)[number];

/** `TASK`: planned (at scheduling or added later); `ADHOC`: raised and started on the spot. */
export type TaskGroupType = 'TASK' | 'ADHOC';

export type TaskTransition =
  'add' | 'start-adhoc' | 'start' | 'pause' | 'end' | 'end-adhoc' | 'incomplete' | 'remove';

/** What a transition needs to know of the task group (none yet for the creations). */
export interface TaskState {
  status: TaskGroupStatus;
  type: TaskGroupType;
  /** The seat of its shift. */
  seatId: string;
}

/** Who asks and the state of the shift the task group is (to be) in. */
export interface TaskContext {
  /** The seat the body names: a seat works only the task groups of its own shift. */
  seatId?: string;
  /** The status of the task group's shift (workforce.shifts.status). */
  shiftStatus?: string;
}

export type TaskOutcome = { ok: true; to: TaskGroupStatus } | { ok: false; rule: string };

const refuse = (rule: string): TaskOutcome => ({ ok: false, rule });
const to = (status: TaskGroupStatus): TaskOutcome => ({ ok: true, to: status });

/** The statuses whose task groups the timer marks INCOMPLETE when their window closes. */
export const OPEN_TASK_STATUSES: readonly TaskGroupStatus[] = ['PUBLISHED', 'STARTED', 'PAUSED'];

/** The status after `transition`, or the rule it breaks. The creations apply to no task group yet. */
export function transitTask(
  from: TaskState | null,
  transition: TaskTransition,
  context: TaskContext = {},
): TaskOutcome {
  const shift = context.shiftStatus;
  if (transition === 'add' || transition === 'start-adhoc') {
    if (from !== null) return refuse('a task group is created only once');
    if (transition === 'start-adhoc') {
      return shift === 'STARTED'
        ? to('STARTED')
        : refuse(`an ad hoc task is started only on a STARTED shift (the shift is ${shift})`);
    }
    switch (shift) {
      case 'UNPUBLISHED':
        return to('UNPUBLISHED');
      case 'PUBLISHED':
      case 'STARTED':
        return to('PUBLISHED');
      default:
        return refuse(`a task group is added only to a shift not ended (the shift is ${shift})`);
    }
  }
  if (from === null) return refuse('the task group must exist');
  const { status } = from;
  const seatRule =
    context.seatId !== undefined && context.seatId !== from.seatId
      ? `a seat works only the task groups of its own shift (this task group's shift is seat ${from.seatId}'s)`
      : undefined;
  switch (transition) {
    case 'start':
      if (seatRule) return refuse(seatRule);
      switch (status) {
        case 'UNPUBLISHED':
          return refuse('an UNPUBLISHED task group (its shift is not published) cannot be started');
        case 'STARTED':
          return refuse('a task group is started only once (it is STARTED; pause it first to resume later)');
        case 'COMPLETED':
        case 'INCOMPLETE':
          return refuse(`a task group that is ${status} cannot be started again`);
        case 'PUBLISHED':
        case 'PAUSED':
          return shift === 'STARTED'
            ? to('STARTED')
            : refuse(`a task group is started only while its shift is STARTED (the shift is ${shift})`);
      }
      break;
    case 'pause':
      if (seatRule) return refuse(seatRule);
      if (status === 'PAUSED') return refuse('a task group is paused only once (it is PAUSED)');
      return status === 'STARTED'
        ? to('PAUSED')
        : refuse(`only a STARTED task group can be paused (it is ${status})`);
    case 'end':
    case 'end-adhoc':
      if (seatRule) return refuse(seatRule);
      if (transition === 'end-adhoc' && from.type !== 'ADHOC') {
        return refuse(
          'endAdhocTask ends only an ad hoc task group (Type ADHOC); a planned one ends with taskEnd',
        );
      }
      switch (status) {
        case 'STARTED':
        case 'PAUSED':
          return to('COMPLETED');
        case 'COMPLETED':
          return refuse('a task group is completed only once');
        case 'INCOMPLETE':
          return refuse('an INCOMPLETE task group (its window has closed) cannot be completed');
        default:
          return refuse(`a task group must be started before it is completed (it is ${status})`);
      }
    case 'incomplete':
      return OPEN_TASK_STATUSES.includes(status)
        ? to('INCOMPLETE')
        : refuse(`a task group that is ${status} is not marked incomplete`);
    case 'remove':
      return status === 'UNPUBLISHED' || status === 'PUBLISHED'
        ? to(status)
        : refuse(
            `a task group that is ${status} is a record of the day and cannot be removed from its shift`,
          );
  }
  return refuse(`${transition} is not a task-group transition`);
}
