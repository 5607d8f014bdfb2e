import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { MAX_SQL_SINK_URL_LENGTH } from '@matrix/contracts';
import { Int, NullableText, Text, Time } from '../rest/api-fields';

/* The customer-hosted SQL sink over REST v1 as OpenAPI (docs/sql.md, Customer-hosted sink). */

@ApiSchema({ name: 'SqlSinkInput', description: 'where sql-projector copies the property’s rows to' })
export class SqlSinkInputDto {
  @ApiProperty({
    type: String,
    maxLength: MAX_SQL_SINK_URL_LENGTH,
    description:
      '`postgres://user:password@host:port/database?sslmode=…` of the customer’s PostgreSQL (percent-encode special characters); sealed at rest, never answered back',
  })
  connectionString!: string;
}

@ApiSchema({ name: 'SqlSinkProgress', description: 'how far one table’s copy has come, in stream sequences' })
export class SqlSinkProgressDto {
  @Int({ description: 'every row of the property up to this sequence is in the sink' })
  copiedThrough!: number;
  @Int({ description: 'every row up to this sequence is in the dedicated database' })
  projectedThrough!: number;
}

@ApiSchema({
  name: 'SqlSink',
  description: 'the property’s sink and its copy (never the password of its connection string)',
})
export class SqlSinkDto {
  @Text() propId!: string;
  @Text({ description: 'the connection string without its password' }) target!: string;
  @Time() createdAt!: string;
  @Time() updatedAt!: string;
  @ApiProperty({
    enum: ['pending', 'copying', 'caught-up', 'retrying'],
    description: 'pending: not tried yet; copying: behind; caught-up; retrying: the last attempt failed',
  })
  state!: string;
  @ApiProperty({ type: SqlSinkProgressDto, description: '`matrix.sensor_data` (with its rollup)' })
  sensorData!: SqlSinkProgressDto;
  @ApiProperty({ type: SqlSinkProgressDto, description: '`matrix.events`' }) events!: SqlSinkProgressDto;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'seconds since the sink last held everything projected (0 caught up; null before the first copy)',
  })
  lagSeconds!: number | null;
  @NullableText({ format: 'date-time', description: 'when a copy last succeeded' }, true) lastCopyAt!:
    string | null;
  @NullableText({ description: 'why the last attempt failed (null after a success)' }, true) lastError!:
    string | null;
  @NullableText({ format: 'date-time' }, true) lastErrorAt!: string | null;
  @NullableText({ format: 'date-time', description: 'the next attempt after a failure (back-off)' }, true)
  nextAttemptAt!: string | null;
}
