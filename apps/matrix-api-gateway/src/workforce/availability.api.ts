import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Bool, NullableText, OptionalText, Text, Time } from '../rest/api-fields';
import { ZoneRefDto } from './shifts.api';

/* Seat availability over REST v1 as OpenAPI: the shapes availability-views.ts and availability-inputs.ts use. */

const CLOCK = {
  type: String,
  pattern: '^\\d{2}:\\d{2}(:\\d{2})?$',
  description: 'local wall-clock time HH:MM[:SS] in the building’s time zone',
};
const DAY = { type: 'integer', minimum: 0, maximum: 6, description: '0 = Sunday … 6' } as const;

@ApiSchema({ name: 'TimeSlotInput', description: 'an end before the start ends the next day' })
export class TimeSlotInputDto {
  @ApiProperty(CLOCK) startTime!: string;
  @ApiProperty({ ...CLOCK, description: `${CLOCK.description}; 24:00 = midnight` }) endTime!: string;
  @OptionalText() name?: string;
}

@ApiSchema({ name: 'AvailabilityInput', description: 'the same 1–2 slots on each day named that has none' })
export class AvailabilityInputDto {
  @ApiProperty({ type: 'array', items: DAY, minItems: 1, maxItems: 7 }) daysOfWeek!: number[];
  @ApiProperty({ type: [TimeSlotInputDto], minItems: 1, maxItems: 2 }) timeSlots!: TimeSlotInputDto[];
}

@ApiSchema({ name: 'AvailabilityDayInput' })
export class AvailabilityDayInputDto {
  @ApiProperty(DAY) dayOfWeek!: number;
  @ApiProperty({ type: [TimeSlotInputDto], minItems: 1, maxItems: 2 }) timeSlots!: TimeSlotInputDto[];
}

@ApiSchema({ name: 'AvailabilityUpdate', description: 'each day named replaced whole (it must have a plan)' })
export class AvailabilityUpdateDto {
  @ApiProperty({ type: [AvailabilityDayInputDto], minItems: 1, maxItems: 7 })
  days!: AvailabilityDayInputDto[];
}

@ApiSchema({ name: 'TimeSlot' })
export class TimeSlotDto {
  @ApiProperty(CLOCK) startTime!: string;
  @ApiProperty(CLOCK) endTime!: string;
  @NullableText({}, true) name!: string | null;
  @Bool(true) nextDay!: boolean;
}

@ApiSchema({ name: 'BuildingZones' })
export class BuildingZonesDto {
  @Text({ description: 'building' }) pid!: string;
  @ApiProperty({ type: [ZoneRefDto] }) zones!: ZoneRefDto[];
}

@ApiSchema({ name: 'AvailabilityDay' })
export class AvailabilityDayDto {
  @ApiProperty(DAY) dayOfWeek!: number;
  @ApiProperty({ type: [TimeSlotDto] }) timeSlots!: TimeSlotDto[];
  @ApiProperty({
    type: [BuildingZonesDto],
    nullable: true,
    description: 'the day’s own zones; null: the seat’s availability zones apply',
  })
  zones!: BuildingZonesDto[] | null;
  @Text() createdBy!: string;
  @Time() createdOn!: string;
  @Text() modifiedBy!: string;
  @Time() modifiedOn!: string;
}

@ApiSchema({ name: 'Availability', description: 'a seat’s week plan (the days it has one), Sunday first' })
export class AvailabilityDto {
  @Text() seatId!: string;
  @Text() propId!: string;
  @ApiProperty({ type: [AvailabilityDayDto] }) days!: AvailabilityDayDto[];
}

@ApiSchema({ name: 'AvailabilityZonesInput' })
export class AvailabilityZonesInputDto {
  @Text({ description: 'a building of the property' }) pid!: string;
  @ApiProperty({ type: [String], minItems: 1, maxItems: 200, description: 'zones of that building' })
  zoneIds!: string[];
}

@ApiSchema({ name: 'AvailabilityZonesReplace' })
export class AvailabilityZonesReplaceDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 200, description: 'zones of the building' })
  zoneIds!: string[];
}

@ApiSchema({
  name: 'AvailabilityZones',
  description: 'the zones a seat is available for, per building; none at all = every zone of the property',
})
export class AvailabilityZonesDto {
  @Text() seatId!: string;
  @Text() propId!: string;
  @ApiProperty({ type: [BuildingZonesDto] }) buildings!: BuildingZonesDto[];
}
