import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Bool, Int, NullableText, OptionalText, Text, Time } from '../rest/api-fields';
import { ZoneRefDto } from './shifts.api';
import { PRIORITY_NAMES, TASK_ACTIONS } from './task-group-inputs';

/* Task groups and the zone reads over REST v1 as OpenAPI: the shapes task-group-views.ts and task-group-inputs.ts use. */

const NullableTime = (description: string) =>
  ApiProperty({ type: String, format: 'date-time', nullable: true, description });

@ApiSchema({ name: 'TaskItemInput', description: 'a work item of a task group' })
export class TaskItemInputDto {
  @Text() name!: string;
  @Bool() done?: boolean;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    required: false,
    nullable: true,
    description: 'the task value',
  })
  value?: number | null;
  @OptionalText() comments?: string;
  @ApiProperty({ type: [String], required: false, maxItems: 20 }) attachments?: string[];
}

@ApiSchema({ name: 'TaskGroupInput', description: 'a planned task group of the shift, for the shift’s seat' })
export class TaskGroupInputDto {
  @Text() name!: string;
  @Time() start!: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'after start' }) end!: string;
  @Text({ description: 'a zone of the building' }) zoneId!: string;
  @ApiProperty({ enum: PRIORITY_NAMES, required: false, description: 'default normal' }) priority?: string;
  @OptionalText({ description: 'IANA time zone of localStart; default the shift’s' }) timeZone?: string;
  @ApiProperty({ type: [TaskItemInputDto], minItems: 1, maxItems: 20 }) tasks!: TaskItemInputDto[];
}

@ApiSchema({
  name: 'TaskGroupTransition',
  description:
    'start (also resumes a PAUSED one; only while the shift is STARTED), pause, complete; by the shift’s seat (seatId default the shift’s)',
})
export class TaskGroupTransitionDto {
  @ApiProperty({ enum: TASK_ACTIONS }) action!: string;
  @OptionalText() seatId?: string;
}

@ApiSchema({ name: 'TaskItem' })
export class TaskItemDto {
  @Text() name!: string;
  @Bool(true) done!: boolean;
  @ApiProperty({ type: 'integer', nullable: true, description: 'the task value; null for none' })
  value!: number | null;
  @NullableText({}, true) comments!: string | null;
  @ApiProperty({ type: [String] }) attachments!: string[];
}

@ApiSchema({ name: 'TaskGroup' })
export class TaskGroupDto {
  @Text({ description: '19 digits' }) taskId!: string;
  @ApiProperty({ enum: ['TASK', 'ADHOC'] }) type!: string;
  @Text() name!: string;
  @ApiProperty({ enum: PRIORITY_NAMES }) priority!: string;
  @Text({ format: 'uuid' }) shiftId!: string;
  @Text() seatId!: string;
  @Text({ description: 'building' }) pid!: string;
  @Text() propId!: string;
  @Text() org!: string;
  @Text() zoneId!: string;
  @Text() zoneName!: string;
  @NullableText({}, true) zoneCategoryId!: string | null;
  @ApiProperty({ enum: ['UNPUBLISHED', 'PUBLISHED', 'STARTED', 'PAUSED', 'COMPLETED', 'INCOMPLETE'] })
  status!: string;
  @ApiProperty({ type: Boolean, description: 'started after start, or not started by it' }) delayed!: boolean;
  @Time() start!: string;
  @Time() end!: string;
  @Text() timeZone!: string;
  @Text({ description: 'the planned start on its wall clock (YYYY-MM-DDTHH:MM:SS)' }) localStart!: string;
  @NullableTime('first start') startedAt!: string | null;
  @NullableTime('completion') completedAt!: string | null;
  @Int({ description: 'time spent paused, the running pause included' }) pausedSeconds!: number;
  @ApiProperty({ type: [TaskItemDto] }) tasks!: TaskItemDto[];
  @ApiProperty({ type: [String] }) attachments!: string[];
  @NullableText({ description: 'who raised an ad hoc task' }, true) raisedBy!: string | null;
  @Time() createdOn!: string;
  @Time() modifiedOn!: string;
}

@ApiSchema({ name: 'TaskGroupList' })
export class TaskGroupListDto {
  @ApiProperty({ type: [TaskGroupDto] }) items!: TaskGroupDto[];
}

@ApiSchema({ name: 'LastClean', description: 'the zone’s last completed task group in the window' })
export class LastCleanDto {
  @Text() zoneId!: string;
  @NullableTime('its completion; null when none in the window') lastCleanedAt!: string | null;
  @ApiProperty({ type: TaskGroupDto, nullable: true }) taskGroup!: TaskGroupDto | null;
}

@ApiSchema({ name: 'AvailabilityWindow' })
export class AvailabilityWindowDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 6 }) dayOfWeek!: number;
  @ApiProperty({ type: String, format: 'date', description: 'the local date of the slot' }) date!: string;
  @NullableText({}, true) name!: string | null;
  @Text({ description: 'HH:MM:SS local' }) startTime!: string;
  @Text({ description: 'HH:MM:SS local' }) endTime!: string;
  @Bool(true) nextDay!: boolean;
  @Time() start!: string;
  @Time() end!: string;
}

@ApiSchema({ name: 'PlannedBreakNow' })
export class PlannedBreakNowDto {
  @Text() breakId!: string;
  @Time() startedAt!: string;
  @NullableTime('planned end') end!: string | null;
}

@ApiSchema({ name: 'OnShiftCandidate' })
export class OnShiftCandidateDto {
  @Text() seatId!: string;
  @Text({ format: 'uuid' }) shiftId!: string;
  @ApiProperty({ enum: ['PUBLISHED', 'STARTED'] }) shiftStatus!: string;
  @Time() shiftStart!: string;
  @Time() shiftEnd!: string;
  @NullableTime('clock-in') shiftStartedAt!: string | null;
  @ApiProperty({ type: [ZoneRefDto], description: 'the shift’s zones; empty = every zone' })
  zones!: ZoneRefDto[];
  @Bool(true) onPlannedBreak!: boolean;
  @ApiProperty({ type: PlannedBreakNowDto, nullable: true }) plannedBreak!: PlannedBreakNowDto | null;
  @ApiProperty({ type: Boolean, description: 'its availability covers now for the zone' })
  availableNow!: boolean;
  @ApiProperty({ type: Boolean, description: 'STARTED, not on a planned break, available now' })
  autoAssignable!: boolean;
  @NullableTime('its last auto-assignment in the building') lastAutoAssignedAt!: string | null;
  @NullableText({}, true) lastAutoAssignedIncidentId!: string | null;
  @ApiProperty({ type: [AvailabilityWindowDto] }) availabilities!: AvailabilityWindowDto[];
}

@ApiSchema({
  name: 'OnShift',
  description:
    'who would get an auto-assigned incident of the zone now: the auto-assignable first, in rotation order',
})
export class OnShiftDto {
  @Text() zoneId!: string;
  @Text() zoneName!: string;
  @NullableText({}, true) zoneCategoryId!: string | null;
  @Text({ description: 'building' }) pid!: string;
  @Time() at!: string;
  @Text() timeZone!: string;
  @NullableText({ description: 'the seat auto-assignment would pick now' }, true) autoAssignNext!:
    string | null;
  @ApiProperty({ type: [OnShiftCandidateDto] }) candidates!: OnShiftCandidateDto[];
}
