import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Bool, Int, NullableText, OptionalText, PageOf, Text, Time } from '../rest/api-fields';
import { SHIFT_ACTIONS, SHIFT_STATUSES } from './shift-inputs';

/* Shifts over REST v1 as OpenAPI: the shapes workforce-views.ts and shift-inputs.ts produce and read. */

const NullableTime = (description: string) =>
  ApiProperty({ type: String, format: 'date-time', nullable: true, description });
const OptionalTime = (description: string) =>
  ApiProperty({ type: String, format: 'date-time', required: false, description });

@ApiSchema({ name: 'Cost' })
export class CostDto {
  @Text({ description: 'e.g. SGD' }) currency!: string;
  @ApiProperty({ type: Number, minimum: 0 }) amount!: number;
}

@ApiSchema({ name: 'Location' })
export class LocationDto {
  @ApiProperty({ type: Number, minimum: -90, maximum: 90 }) latitude!: number;
  @ApiProperty({ type: Number, minimum: -180, maximum: 180 }) longitude!: number;
}

@ApiSchema({ name: 'ZoneRef' })
export class ZoneRefDto {
  @Text() zoneId!: string;
  @Text({ description: 'the registry’s name' }) zoneName!: string;
}

@ApiSchema({ name: 'ShiftBreakInput', description: 'a planned break' })
export class ShiftBreakInputDto {
  @OptionalTime('planned start (with end)') start?: string;
  @OptionalTime('planned end (with start)') end?: string;
  @Int({ minimum: 0, description: 'planned length; default end − start' }, false) durationSeconds?: number;
  @Bool() planned?: boolean;
  @OptionalText({ description: 'e.g. LUNCH' }) type?: string;
  @OptionalText() notes?: string;
}

@ApiSchema({
  name: 'ShiftInput',
  description: 'one shift of a seat, optionally repeated on local dates and published at once',
})
export class ShiftInputDto {
  @Text({ description: 'an active seat of the building’s property' }) seatId!: string;
  @Time() start!: string;
  @Time() end!: string;
  @OptionalText({ description: 'IANA time zone of the plan; default the building’s' }) timeZone?: string;
  @ApiProperty({
    type: [String],
    required: false,
    maxItems: 200,
    description: 'zones of the building it serves; none or empty = every zone',
  })
  zoneIds?: string[];
  @ApiProperty({ type: [ShiftBreakInputDto], required: false, maxItems: 20 }) breaks?: ShiftBreakInputDto[];
  @ApiProperty({ type: CostDto, required: false }) cost?: CostDto;
  @OptionalText() description?: string;
  @ApiProperty({
    type: [String],
    format: 'date',
    required: false,
    maxItems: 62,
    description: 'local dates (YYYY-MM-DD) to repeat the shift on, at the same wall-clock times',
  })
  repeatOn?: string[];
  @ApiProperty({ type: Boolean, required: false, description: 'publish at once (default false)' })
  publish?: boolean;
}

@ApiSchema({ name: 'ShiftUpdate', description: 'any field of a shift’s plan (a shift not started)' })
export class ShiftUpdateDto {
  @OptionalTime('planned start') start?: string;
  @OptionalTime('planned end') end?: string;
  @OptionalText() timeZone?: string;
  @ApiProperty({ type: [String], required: false, maxItems: 200, description: 'empty = every zone' })
  zoneIds?: string[];
  @ApiProperty({ type: CostDto, required: false }) cost?: CostDto;
  @OptionalText() description?: string;
}

@ApiSchema({
  name: 'ShiftTransition',
  description:
    'publish; start, end (write: the seat’s own, seatId default the shift’s, optional location); adminStart (also an ABSENT shift), adminEnd (admin); startBreak (breakId of a planned break, or a new one), endBreak (breakId default the open one); markDelayed, markAbsent, markOnLeave (admin)',
})
export class ShiftTransitionDto {
  @ApiProperty({ enum: SHIFT_ACTIONS }) action!: string;
  @OptionalText() seatId?: string;
  @ApiProperty({ type: LocationDto, required: false, description: 'clock-in/out position' })
  location?: LocationDto;
  @OptionalText() breakId?: string;
  @OptionalText() type?: string;
  @OptionalText() notes?: string;
}

@ApiSchema({ name: 'ShiftBreak' })
export class ShiftBreakDto {
  @Text() breakId!: string;
  @NullableText({}, true) type!: string | null;
  @NullableText({}, true) notes!: string | null;
  @Bool(true) planned!: boolean;
  @ApiProperty({ type: Boolean, description: 'part of the plan (false: taken without one)' })
  scheduled!: boolean;
  @Int({ description: 'planned length until taken and ended, then the actual one' })
  durationSeconds!: number;
  @NullableTime('planned start') start!: string | null;
  @NullableTime('planned end') end!: string | null;
  @NullableTime('taken at') startedAt!: string | null;
  @NullableTime('ended at') endedAt!: string | null;
}

@ApiSchema({ name: 'Shift' })
export class ShiftDto {
  @Text({ format: 'uuid' }) shiftId!: string;
  @Text() seatId!: string;
  @Text({ description: 'building' }) pid!: string;
  @Text() propId!: string;
  @Text() org!: string;
  @ApiProperty({ enum: SHIFT_STATUSES }) status!: string;
  @Bool(true) delayed!: boolean;
  @Bool(true) adhoc!: boolean;
  @Time() start!: string;
  @Time() end!: string;
  @Text() timeZone!: string;
  @Text({ description: 'the planned start on the shift’s wall clock (YYYY-MM-DDTHH:MM:SS)' })
  localStart!: string;
  @NullableTime('clock-in') startedAt!: string | null;
  @NullableTime('clock-out') endedAt!: string | null;
  @Int() plannedSeconds!: number;
  @Int({ description: 'clock-in to clock-out (to now while started) less breaks' }) workedSeconds!: number;
  @ApiProperty({ type: [ShiftBreakDto] }) breaks!: ShiftBreakDto[];
  @ApiProperty({ type: LocationDto, nullable: true }) clockIn!: LocationDto | null;
  @ApiProperty({ type: LocationDto, nullable: true }) clockOut!: LocationDto | null;
  @ApiProperty({ type: CostDto, nullable: true }) cost!: CostDto | null;
  @ApiProperty({ type: [ZoneRefDto], description: 'empty = every zone of the building' })
  zones!: ZoneRefDto[];
  @NullableText({}, true) description!: string | null;
  @ApiProperty({ type: [String], description: 'its task groups, in start order' }) taskGroupIds!: string[];
  @Text({ description: 'access key, or shift-timer' }) createdBy!: string;
  @Time() createdOn!: string;
  @Text() modifiedBy!: string;
  @Time() modifiedOn!: string;
}

@ApiSchema({ name: 'ShiftsCreated' })
export class ShiftsCreatedDto {
  @ApiProperty({
    type: [ShiftDto],
    description: 'the shifts created, in start order (all of them when `complete`)',
  })
  items!: ShiftDto[];
  @ApiProperty({
    description:
      'false when many large shifts were created and only the first fit in the answer: GET the others named in `shiftIds`',
  })
  complete!: boolean;
  @ApiProperty({ type: [String], description: 'every shift created, in start order' })
  shiftIds!: string[];
}

export const ShiftPage = PageOf(ShiftDto, 'ShiftPage');
