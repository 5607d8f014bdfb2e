import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiQuery, ApiSchema } from '@nestjs/swagger';
import { Int, NullableText, OptionalText, PageOf, Text } from '../rest/api-fields';

/* Past sensor data's REST v1 answers and query parameters as OpenAPI. */

@ApiSchema({
  name: 'SensorDataPoint',
  description:
    'A data point in the general data format (reference §3.2) as stored: t, v, unixT, DEVID, Region, time, DevType, PID, PropId?, InsID, Display?, dow, month, hour, dom, minute, then undocumented extras (AGG, DASSOC, stats, …)',
})
export class SensorDataPointDto {
  @Text({ description: 'local yyyymmddhhmmss' }) t!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'type-specific reading (reference §3.4)',
  })
  v!: object;
  @Int({ description: 'epoch milliseconds' }) unixT!: number;
  @Text({ description: 'device slot alias' }) DEVID!: string;
  @Text({ description: 'IANA time zone' }) Region!: string;
  @Text({ description: 'YYYY-MM-DDTHH:mm:ss+hhmm' }) time!: string;
  @Text({ description: 'Provider#SlotType' }) DevType!: string;
  @Text() PID!: string;
  @OptionalText() PropId?: string;
  @Text() InsID!: string;
  @OptionalText() Display?: string;
  @Text({ description: '0 = Sunday … 6' }) dow!: string;
  @Text() month!: string;
  @Text() hour!: string;
  @Text() dom!: string;
  @Text() minute!: string;
}

@ApiSchema({ name: 'SensorDataBucket' })
export class SensorDataBucketDto {
  @Text({ description: 'bucket start in tz, with its offset', format: 'date-time' }) start!: string;
  @Text({
    description: 'bucket end (exclusive); a local day is 23 or 25 hours across a daylight-saving change',
    format: 'date-time',
  })
  end!: string;
  @OptionalText({ description: 'zone or device id (with groupBy)' }) group?: string;
  @ApiProperty({ type: Number }) value!: number;
  @Int({ description: 'points with a numeric value of the field in the bucket' }) points!: number;
}

@ApiSchema({ name: 'SensorDataAggregate' })
export class SensorDataAggregateDto {
  @Text() pid!: string;
  @Text({ format: 'date-time' }) from!: string;
  @Text({ format: 'date-time' }) to!: string;
  @Text() interval!: string;
  @Text() tz!: string;
  @Text() agg!: string;
  @Text() field!: string;
  @NullableText({}, true) groupBy!: string | null;
  @ApiProperty({ type: [SensorDataBucketDto] }) buckets!: SensorDataBucketDto[];
}

export const SensorDataPage = PageOf(SensorDataPointDto, 'SensorDataPage');

/** The query parameters both sensor data operations share. */
export const SensorDataFilter = () =>
  applyDecorators(
    ApiQuery({ name: 'pid', required: true, type: String, description: 'building id' }),
    ApiQuery({
      name: 'from',
      required: true,
      schema: { type: 'string', format: 'date-time' },
      description: 'ISO 8601 with an offset, inclusive (e.g. 2026-03-29T00:00:00+01:00)',
    }),
    ApiQuery({
      name: 'to',
      required: true,
      schema: { type: 'string', format: 'date-time' },
      description: 'ISO 8601 with an offset, exclusive; at most 366 days after from',
    }),
    ApiQuery({
      name: 'zone',
      required: false,
      type: String,
      description: 'zone (InsID); repeat for several (≤ 100)',
    }),
    ApiQuery({
      name: 'device',
      required: false,
      type: String,
      description: 'device slot alias (DEVID); repeat for several (≤ 100)',
    }),
    ApiQuery({
      name: 'type',
      required: false,
      type: String,
      description: 'SMARTCLEAN#PPLCTR (exact), or a slot type such as PPLCTR of any provider',
    }),
  );

export const SensorDataPaging = () =>
  applyDecorators(
    ApiQuery({ name: 'cursor', required: false, type: String, description: 'from the previous page' }),
    ApiQuery({
      name: 'limit',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 5000 },
      description: 'page size (default 1,000)',
    }),
  );

export const SensorDataAggregation = () =>
  applyDecorators(
    ApiQuery({
      name: 'field',
      required: true,
      type: String,
      description: 'numeric field of v, e.g. count, rating, temperature',
    }),
    ApiQuery({
      name: 'agg',
      required: false,
      enum: ['sum', 'avg', 'min', 'max', 'count'],
      description: 'aggregation (default sum)',
    }),
    ApiQuery({
      name: 'interval',
      required: true,
      enum: ['1m', '5m', '15m', '30m', '1h', 'day', 'week', 'month'],
      description:
        '1m, 5m, 15m, 30m, 1h (exact, aligned to the Unix epoch) or day, week, month (local calendar)',
    }),
    ApiQuery({
      name: 'tz',
      required: false,
      type: String,
      description: "IANA time zone of calendar buckets and of the answer's times (default: the building's)",
    }),
    ApiQuery({
      name: 'groupBy',
      required: false,
      enum: ['zone', 'device'],
      description: 'one bucket series per zone or per device',
    }),
  );
