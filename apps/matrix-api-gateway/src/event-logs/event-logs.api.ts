import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Json, NullableText, PageOf, Text } from '../rest/api-fields';

/* The event log over REST v1 as OpenAPI: the shape event-log-views.ts produces. */

@ApiSchema({ name: 'Event', description: 'one Matrix event of `matrix.events`' })
export class EventDto {
  @Text({
    description: 'the message id the event was published with (unique; the `<uuid>` of the record ATTR)',
  })
  id!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'event time, UTC with microseconds (`2026-12-01T09:30:00.000000Z`)',
  })
  time!: string;
  @Text({ description: 'module, e.g. sctasks, scgrids' }) module!: string;
  @Text({ description: 'event id, e.g. TASK_COMPLETED' }) event!: string;
  @Text({ description: 'priority as published, e.g. NORMAL' }) priority!: string;
  @Text({ description: 'the event’s principal (building, zone, device …)' }) principal!: string;
  @NullableText({ description: 'building' }, true) pid!: string | null;
  @NullableText({ description: 'property' }, true) propId!: string | null;
  @Text() description!: string;
  @Json(true, false, 'the event’s Meta (zone, seat, …)') meta!: Record<string, unknown>;
}

export const EventPage = PageOf(EventDto, 'EventPage');

@ApiSchema({ name: 'EventList', description: 'the latest events, newest first' })
export class EventListDto {
  @ApiProperty({ type: [EventDto] }) items!: EventDto[];
}
