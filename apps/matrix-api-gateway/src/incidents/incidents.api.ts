import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Bool, NullableText, OptionalText, PageOf, Text, Time } from '../rest/api-fields';
import { PRIORITIES, TRANSITION_ACTIONS } from './incident-inputs';

/* Incidents over REST v1 as OpenAPI: the shapes incident-views.ts and incident-inputs.ts produce and read. */

const STATUSES = ['NOT_ASSIGNED', 'ASSIGNED', 'STARTED', 'COMPLETED', 'INCOMPLETE'];
const LEVELS = ['L0', 'L1', 'L2', 'L3'];
const NullableTime = (description: string) =>
  ApiProperty({ type: String, format: 'date-time', nullable: true, description });

@ApiSchema({ name: 'IncidentInput', description: 'an incident to create: open, or assigned to `seatId`' })
export class IncidentInputDto {
  @Text({ description: 'a zone of the building' }) zoneId!: string;
  @Text() name!: string;
  @ApiProperty({ enum: PRIORITIES, required: false, description: 'H, M, N (default) or L' })
  priority?: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    required: false,
    description: 'start-by time (ISO 8601); default now',
  })
  startBy?: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    required: false,
    description: 'due time; default startBy + the building’s INCIDENT_<P>_TIMEOUT',
  })
  due?: string;
  @ApiProperty({ type: [String], required: false, maxItems: 20, description: 'task names' }) tasks?: string[];
  @OptionalText({ description: 'an active seat of the property: the incident is created assigned to it' })
  seatId?: string;
  @OptionalText({ description: 'e.g. HK, FM, QR, Sensor' }) eventSource?: string;
  @OptionalText({ description: 'who reported it (open incidents)' }) reportedBy?: string;
}

@ApiSchema({ name: 'IncidentTask' })
export class IncidentTaskDto {
  @Text() name!: string;
  @Bool(true) done!: boolean;
}

@ApiSchema({ name: 'Incident' })
export class IncidentDto {
  @Text({ description: '19 digits: creation time in epoch ms + 6 digits' }) incidentId!: string;
  @Text({ description: 'building' }) pid!: string;
  @Text() propId!: string;
  @Text() org!: string;
  @Text() zoneId!: string;
  @Text() zoneName!: string;
  @NullableText({}, true) zoneCategoryId!: string | null;
  @Text() name!: string;
  @NullableText({}, true) description!: string | null;
  @ApiProperty({ enum: PRIORITIES }) priority!: string;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @NullableText({ description: 'the assigned seat; null when open' }, true) seatId!: string | null;
  @ApiProperty({ enum: LEVELS }) escalationLevel!: string;
  @NullableTime('start-by time') startBy!: string | null;
  @NullableTime('due time') due!: string | null;
  @NullableTime('when it was started') startedAt!: string | null;
  @NullableTime('when it was completed') endedAt!: string | null;
  @ApiProperty({ type: [IncidentTaskDto] }) tasks!: IncidentTaskDto[];
  @ApiProperty({ type: [String] }) attachments!: string[];
  @NullableText({}, true) eventSource!: string | null;
  @NullableText({}, true) reportedBy!: string | null;
  @Bool(true) autoAssigned!: boolean;
  @Time() createdOn!: string;
  @Time() modifiedOn!: string;
}

export const IncidentPage = PageOf(IncidentDto, 'IncidentPage');

@ApiSchema({
  name: 'IncidentTransition',
  description:
    'assign (seatId), start (seatId; default the assigned seat), complete, escalate (one level), reassign (seatId, admin), reopen (back to open, admin); reassign/reopen take new startBy/due (default the current ones)',
})
export class IncidentTransitionDto {
  @ApiProperty({ enum: TRANSITION_ACTIONS }) action!: string;
  @OptionalText() seatId?: string;
  @ApiProperty({ type: String, format: 'date-time', required: false }) startBy?: string;
  @ApiProperty({ type: String, format: 'date-time', required: false }) due?: string;
}

@ApiSchema({ name: 'IncidentCommentInput' })
export class IncidentCommentInputDto {
  @Text() comment!: string;
  @Text() userName!: string;
}

@ApiSchema({ name: 'IncidentComment' })
export class IncidentCommentDto {
  @Text({ format: 'uuid' }) commentId!: string;
  @Text() incidentId!: string;
  @Text() comment!: string;
  @Text() userName!: string;
  @Time() createdOn!: string;
  @Time() modifiedOn!: string;
}

@ApiSchema({ name: 'IncidentCommentList' })
export class IncidentCommentListDto {
  @ApiProperty({ type: [IncidentCommentDto] }) items!: IncidentCommentDto[];
}

@ApiSchema({ name: 'IncidentTimelineEntry' })
export class IncidentTimelineEntryDto {
  @ApiProperty({
    enum: [
      'create-open',
      'create-assigned',
      'assign',
      'start',
      'end',
      'incomplete',
      'escalate',
      'reassign',
      'reopen',
    ],
  })
  action!: string;
  @ApiProperty({ enum: STATUSES, nullable: true }) from!: string | null;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty({ enum: LEVELS }) escalationLevel!: string;
  @NullableText({}, true) seatId!: string | null;
  @Text({ description: 'the access key of the caller' }) by!: string;
  @Time() at!: string;
}

@ApiSchema({ name: 'IncidentTimeline' })
export class IncidentTimelineDto {
  @ApiProperty({ type: [IncidentTimelineEntryDto] }) items!: IncidentTimelineEntryDto[];
}
