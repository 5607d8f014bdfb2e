import { Injectable } from '@nestjs/common';
import {
  actionCommandV1,
  WORKFORCE_ACTIONS_SUBJECT,
  type ActionCommandReplyV1,
  type ActionCommandV1,
} from '@matrix/contracts';
import { CommandError, HandleCommand } from '@matrix/messaging';
import { OutboxPayloadTooLargeError } from '@matrix/persistence';
import { AssignmentActions } from '../assignment/assignment-actions';
import { AvailabilityActions } from '../availability/availability-actions';
import { Clock } from '../clock/clock';
import { AdminActions } from '../incidents/admin-actions';
import { CommentActions } from '../incidents/comment-actions';
import { CreationActions } from '../incidents/creation-actions';
import { EscalationActions } from '../incidents/escalation-actions';
import { WORKFORCE_MODULE } from '../incidents/incident-events';
import { QueryActions } from '../incidents/query-actions';
import { SettingsActions } from '../incidents/settings-actions';
import { TransitionActions } from '../incidents/transition-actions';
import { SeatNotActiveError } from '../seats/seats.repository';
import { ScheduleSettingsActions } from '../settings/schedule-settings-actions';
import { ShiftHoursActions } from '../settings/shift-hours-actions';
import { ShiftDefinitionActions } from '../shift-definitions/shift-definition-actions';
import { AttendanceActions } from '../shifts/attendance-actions';
import { PlanningActions } from '../shifts/planning-actions';
import { ShiftMetricsActions } from '../shifts/shift-metrics-actions';
import { ShiftQueryActions } from '../shifts/shift-query-actions';
import { ShiftRangeActions } from '../shifts/shift-range-actions';
import { SolutionActions } from '../solutions/solution-actions';
import { TaskChangeActions } from '../tasks/task-change-actions';
import { TaskMetricsActions } from '../tasks/task-metrics-actions';
import { TaskQueryActions } from '../tasks/task-query-actions';
import { TaskTransitionActions } from '../tasks/task-transition-actions';
import { TimesheetActions } from '../timesheets/timesheet-actions';
import { TimesheetQueryActions } from '../timesheets/timesheet-query-actions';
import { notFound, type OpGroup, type OpTable } from '../ops/op-table';

/** The error an op's failure is answered with: the known refusals of the layers below as Matrix codes. */
export function answerOf(error: unknown, op: string): unknown {
  // A seat deleted or deactivated after the op checked it, before its transaction held it.
  if (error instanceof SeatNotActiveError) return notFound(`seat ${error.seatId}`);
  // An event too large to publish: the change was rolled back with it (nothing written).
  if (error instanceof OutboxPayloadTooLargeError) {
    return new CommandError('LIMIT_VIOLATED', `${op}: ${error.message}; nothing was changed`);
  }
  return error;
}

/** The op tables of the groups as one; an op named by two groups is a programming error. */
export function composeOps(groups: readonly OpGroup[]): OpTable {
  const ops: Record<string, OpTable[string]> = {};
  for (const group of groups) {
    for (const [op, handler] of Object.entries(group.ops)) {
      if (ops[op]) throw new Error(`${op} is served by two op groups`);
      ops[op] = handler;
    }
  }
  return ops;
}

/**
 * The workforce module of the Matrix actions API (`scworkforcemanagement`, ops `scteams.*`), served on
 * the command the gateway forwards (`workforce.action.call.v1`). The gateway has authenticated the
 * caller and resolved the building (`pid`) and the zones the body names, tenancy checked; the op groups
 * answer NOT_FOUND for incidents, seats and comments that are not in that building. An op not served
 * here is answered exactly as the gateway answers an unknown op.
 */
@Injectable()
export class WorkforceActions {
  private readonly ops: OpTable;

  constructor(
    creation: CreationActions,
    queries: QueryActions,
    transitions: TransitionActions,
    comments: CommentActions,
    admin: AdminActions,
    settings: SettingsActions,
    escalation: EscalationActions,
    availability: AvailabilityActions,
    assignment: AssignmentActions,
    shiftDefinitions: ShiftDefinitionActions,
    shiftPlanning: PlanningActions,
    shiftAttendance: AttendanceActions,
    shiftQueries: ShiftQueryActions,
    shiftRanges: ShiftRangeActions,
    shiftMetrics: ShiftMetricsActions,
    taskChanges: TaskChangeActions,
    taskTransitions: TaskTransitionActions,
    taskQueries: TaskQueryActions,
    taskMetrics: TaskMetricsActions,
    scheduleSettings: ScheduleSettingsActions,
    shiftHours: ShiftHoursActions,
    timesheets: TimesheetActions,
    timesheetQueries: TimesheetQueryActions,
    solutions: SolutionActions,
    private readonly clock: Clock,
  ) {
    this.ops = composeOps([
      creation,
      queries,
      transitions,
      comments,
      admin,
      settings,
      escalation,
      availability,
      assignment,
      shiftDefinitions,
      shiftPlanning,
      shiftAttendance,
      shiftQueries,
      shiftRanges,
      shiftMetrics,
      taskChanges,
      taskTransitions,
      taskQueries,
      taskMetrics,
      scheduleSettings,
      shiftHours,
      timesheets,
      timesheetQueries,
      solutions,
    ]);
  }

  /** The ops served here, by name. */
  get operations(): string[] {
    return Object.keys(this.ops).sort();
  }

  @HandleCommand(actionCommandV1(WORKFORCE_ACTIONS_SUBJECT))
  async call(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const handler = this.ops[command.op];
    if (!handler) {
      throw new CommandError(
        'UNKNOWN_OPERATION',
        `${command.op} is not an operation of module ${WORKFORCE_MODULE}; see GET /prod/v2/operations`,
      );
    }
    try {
      return await handler(command, this.clock.now());
    } catch (error) {
      throw answerOf(error, command.op);
    }
  }
}
