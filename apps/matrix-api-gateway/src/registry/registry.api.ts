import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Bool, Int, Json, NullableText, Num, OptionalText, PageOf, Text, Time } from '../rest/api-fields';

/* The registry's REST v1 answers as OpenAPI schemas (the views in registry-views.ts). */

const SLOT = {
  type: 'object',
  properties: {
    Start: { type: 'string', description: 'HHMM' },
    End: { type: 'string', description: 'HHMM' },
  },
  required: ['Start', 'End'],
};
/** `operatingHours`: day "0" (Sunday) … "6" → slots. */
export const OperatingHours = (required = false, nullable = true) =>
  ApiProperty({
    type: 'object',
    description: 'day "0" (Sunday) … "6" → slots',
    additionalProperties: { type: 'array', items: SLOT },
    selfRequired: required,
    nullable,
  });

@ApiSchema({ name: 'Property' })
export class PropertyDto {
  @Text() propId!: string;
  @Text() orgId!: string;
  @Text() name!: string;
  @Text() typeId!: string;
  @Json(false, true) address!: object | null;
  @Text() timeZone!: string;
  @NullableText() country!: string | null;
  @NullableText() countryLocale!: string | null;
  @Text() status!: string;
  @Time() createdOn!: string;
  @Time() updatedOn!: string;
}

@ApiSchema({ name: 'Building' })
export class BuildingDto {
  @Text() pid!: string;
  @Text() propId!: string;
  @Text() name!: string;
  @Json() config!: object;
  @OperatingHours() operatingHours!: object | null;
  @Json(false, true) address!: object | null;
  @Json(false, true) coordinates!: object | null;
  @Int({ minimum: 0, maximum: 60 }) levelsCount!: number;
  @Text() status!: string;
  @Text() timeZone!: string;
  @Bool() isBeaconEnabled!: boolean;
  @Bool() isPropertyAddress!: boolean;
  @NullableText() country!: string | null;
  @NullableText() countryLocale!: string | null;
  @Num(false, true) area!: number | null;
  @NullableText() createdBy!: string | null;
  @Time() createdOn!: string;
  @NullableText() updatedBy!: string | null;
  @Time() updatedOn!: string;
}

@ApiSchema({ name: 'Level' })
export class LevelDto {
  @Text() lid!: string;
  @Text() pid!: string;
  @Text() name!: string;
  @NullableText() level!: string | null;
  @Num(false, true) area!: number | null;
  @NullableText() floorPlan!: string | null;
  @Time() createdOn!: string;
  @Time() updatedOn!: string;
}

@ApiSchema({ name: 'Zone' })
export class ZoneDto {
  @Text() insId!: string;
  @Text() pid!: string;
  @Text() lid!: string;
  @Text() name!: string;
  @Num(false, true) area!: number | null;
  @NullableText() floorType!: string | null;
  @NullableText() beaconId!: string | null;
  @NullableText() zoneCategoryId!: string | null;
  @Json(false, true) tags!: object | null;
  @Json(false, true) units!: object | null;
  @Text() status!: string;
  @Bool() isBuildingOperatingHours!: boolean;
  @OperatingHours() operatingHours!: object | null;
  @Time() createdOn!: string;
  @Time() updatedOn!: string;
}

@ApiSchema({ name: 'DeviceSlot' })
export class DeviceSlotDto {
  @Text() alias!: string;
  @NullableText({ description: 'physical device id' }) devid!: string | null;
  @Text({ description: 'Provider#SlotType' }) type!: string;
  @Text() provider!: string;
  @OptionalText() propId!: string;
  @OptionalText() orgId!: string;
  @Text() pid!: string;
  @OptionalText() lid!: string;
  @Text() zoneId!: string;
  @NullableText() display!: string | null;
  @NullableText() conn!: string | null;
  @Json() params!: object;
  @NullableText() firmwareVersion!: string | null;
  @Bool() commissioned!: boolean;
  @Bool() unhealthy!: boolean;
  @Bool() requiresHealthCheck!: boolean;
  @Text() timeZone!: string;
  @NullableText() createdBy!: string | null;
  @Time() createdOn!: string;
  @NullableText() updatedBy!: string | null;
  @Time() updatedOn!: string;
}

@ApiSchema({ name: 'ZoneMap' })
export class ZoneMapDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'zone id (InsID) → zone name',
  })
  zones!: Record<string, string>;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `cursor` for the next page; null on the last',
  })
  nextCursor!: string | null;
}

@ApiSchema({ name: 'CreatedZones' })
export class CreatedZonesDto {
  @ApiProperty({ type: [ZoneDto] }) items!: ZoneDto[];
}

export const PropertyPage = PageOf(PropertyDto, 'PropertyPage');
export const BuildingPage = PageOf(BuildingDto, 'BuildingPage');
export const LevelPage = PageOf(LevelDto, 'LevelPage');
export const ZonePage = PageOf(ZoneDto, 'ZonePage');
export const DeviceSlotPage = PageOf(DeviceSlotDto, 'DeviceSlotPage');
