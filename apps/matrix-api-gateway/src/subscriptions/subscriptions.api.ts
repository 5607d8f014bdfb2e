import { ApiProperty, ApiSchema, type ApiPropertyOptions } from '@nestjs/swagger';
import { Int, NullableText, OptionalText, PageOf, Text, Time } from '../rest/api-fields';

/*
 * Push subscriptions over REST v1 as OpenAPI: thin gateway classes for the shapes @matrix/contracts owns
 * (SubscriptionInputV1, SubscriptionUpdateV1, SubscriptionViewV1, …; contracts import no @nestjs/*).
 */

const KINDS = ['matrix-events', 'sensor-data'];
const PATTERN =
  'routing-key pattern: `*` one token, `#` zero or more (AMQP), `>` one or more at the end (NATS)';
const time = { type: 'string', description: 'ISO 8601', format: 'date-time' };
const int = (description: string, minimum: number, maximum: number) => ({
  type: 'integer' as const,
  description,
  minimum,
  maximum,
});
const BATCH = {
  type: 'object',
  properties: {
    maxSize: int('events or points per POST at most (a stream message is never split); default 100', 1, 1000),
    maxWaitMs: int('how long the first queued item waits for more; default 100', 0, 60_000),
  },
  required: ['maxSize', 'maxWaitMs'],
};
const RETRY = {
  type: 'object',
  properties: {
    initialDelayMs: int(
      'first retry delay, doubled each time with ±20 % jitter; default 5 s',
      100,
      3_600_000,
    ),
    maxDelayMs: int('longest delay; default 4 h', 100, 86_400_000),
    giveUpAfterMs: int('give a batch up (dead-letter it) after this long; default 24 h', 0, 604_800_000),
    timeoutMs: int('an attempt without a 2xx within this fails; default 15 s', 1000, 60_000),
  },
  required: ['initialDelayMs', 'maxDelayMs', 'giveUpAfterMs', 'timeoutMs'],
};
const AUTH = {
  description: 'How the router authenticates to the endpoint; credentials are never shown back',
  oneOf: [
    { type: 'object', properties: { type: { type: 'string', enum: ['none'] } }, required: ['type'] },
    {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['basic'] },
        username: { type: 'string' },
        password: { type: 'string' },
      },
      required: ['type', 'username', 'password'],
    },
    {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['oauth2'] },
        tokenUrl: { type: 'string', description: 'client-credentials token endpoint (SSRF-checked)' },
        clientId: { type: 'string' },
        clientSecret: { type: 'string' },
        scope: { type: 'string' },
        audience: { type: 'string' },
      },
      required: ['type', 'tokenUrl', 'clientId', 'clientSecret'],
    },
    {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['header'] },
        name: { type: 'string', description: 'header name' },
        value: { type: 'string' },
      },
      required: ['type', 'name', 'value'],
    },
  ],
};

/** The fields a subscription is created with and changed by (all optional when changed). */
class SubscriptionFields {
  @ApiProperty({
    type: String,
    format: 'uri',
    description: 'https endpoint (private, loopback and link-local targets are refused)',
  })
  url!: string;
  @ApiProperty({
    type: 'array',
    minItems: 1,
    maxItems: 20,
    items: { type: 'string', description: PATTERN },
  })
  patterns!: string[];
  @ApiProperty({
    type: [String],
    required: false,
    description: 'only these buildings (default: all the credential sees)',
  })
  buildings?: string[];
  @ApiProperty({ ...AUTH, required: false } as unknown as ApiPropertyOptions) auth?: object;
  @ApiProperty({ ...BATCH, selfRequired: false } as ApiPropertyOptions) batch?: object;
  @ApiProperty({ ...RETRY, selfRequired: false } as ApiPropertyOptions) retry?: object;
  @ApiProperty({
    required: false,
    enum: ['objects', 'json-strings'],
    description: 'sensor data: points as objects or as JSON strings (legacy)',
  })
  encoding?: string;
  @ApiProperty({ required: false, ...int('batches per second at most', 1, 10_000) })
  rateLimitPerSecond?: number;
  @ApiProperty({
    required: false,
    ...int(
      'batches in flight at most; 1 (default) delivers in order, more sends batches side by side (out of order)',
      1,
      16,
    ),
  })
  concurrency?: number;
  @OptionalText() description?: string;
}

@ApiSchema({ name: 'SubscriptionInput' })
export class SubscriptionInputDto extends SubscriptionFields {
  @ApiProperty({ enum: KINDS }) kind!: string;
}

@ApiSchema({ name: 'SubscriptionUpdate', description: 'any field but kind; `status: active` re-enables it' })
export class SubscriptionUpdateDto extends SubscriptionFields {
  @ApiProperty({ type: String, format: 'uri', required: false }) declare url: string;
  @ApiProperty({ type: 'array', minItems: 1, maxItems: 20, items: { type: 'string' }, required: false })
  declare patterns: string[];
  @ApiProperty({ enum: ['active', 'disabled'], required: false }) status?: string;
}

@ApiSchema({ name: 'Subscription' })
export class SubscriptionDto {
  @Text({ description: 'UUID' }) id!: string;
  @Text() url!: string;
  @ApiProperty({ enum: KINDS }) kind!: string;
  @ApiProperty({ type: [String] }) patterns!: string[];
  @ApiProperty({ type: [String], nullable: true, required: false }) buildings!: string[] | null;
  @ApiProperty({
    selfRequired: false,
    type: 'object',
    properties: { type: { type: 'string' } },
    required: ['type'],
  })
  auth!: object;
  @ApiProperty({ ...BATCH, selfRequired: false } as ApiPropertyOptions) batch!: object;
  @ApiProperty({ ...RETRY, selfRequired: false } as ApiPropertyOptions) retry!: object;
  @ApiProperty({ required: false, enum: ['objects', 'json-strings'] }) encoding!: string;
  @ApiProperty({ type: 'integer', nullable: true, required: false }) rateLimitPerSecond!: number | null;
  @ApiProperty({ type: 'integer', required: false }) concurrency!: number;
  @NullableText() description!: string | null;
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: string;
  @NullableText() statusReason!: string | null;
  @NullableText({ description: 'ISO 8601', format: 'date-time' }) failingSince!: string | null;
  @ApiProperty({
    selfRequired: false,
    type: 'object',
    properties: { org: { type: 'string' }, property: { type: 'string' } },
    required: ['org'],
  })
  owner!: object;
  @ApiProperty({
    required: false,
    type: 'array',
    items: {
      type: 'object',
      properties: { hint: { type: 'string' }, expiresAt: { ...time, nullable: true } },
      required: ['hint', 'expiresAt'],
    },
  })
  secrets!: object[];
  @Time() createdAt!: string;
  @Time() updatedAt!: string;
}

@ApiSchema({ name: 'CreatedSubscription' })
export class CreatedSubscriptionDto extends SubscriptionDto {
  @Text({ description: 'whsec_… signing secret, shown this once' }) secret!: string;
}

@ApiSchema({ name: 'RotatedSecret' })
export class RotatedSecretDto {
  @Text({ description: 'the new whsec_… signing secret, shown this once' }) secret!: string;
  @ApiProperty({ type: SubscriptionDto }) subscription!: SubscriptionDto;
}

@ApiSchema({ name: 'RotateSecretInput' })
export class RotateSecretInputDto {
  @ApiProperty({ required: false, ...int('ms the old secret keeps signing (default 24 h)', 0, 604_800_000) })
  overlapMs?: number;
}

@ApiSchema({ name: 'ReplayInput' })
export class ReplayInputDto {
  @Time() from!: string;
  @Time() to!: string;
}

@ApiSchema({ name: 'ReplayResult' })
export class ReplayResultDto {
  @Int({ description: 'stream messages read in the range' }) scanned!: number;
  @Int({ description: 'messages queued again for this subscription' }) enqueued!: number;
}

@ApiSchema({ name: 'DeliveryAttempt' })
export class DeliveryAttemptDto {
  @Text() id!: string;
  @Text({ description: 'webhook-id' }) batchId!: string;
  @Int() attempt!: number;
  @Time() at!: string;
  @ApiProperty({ enum: ['delivered', 'failed', 'gone', 'timeout', 'refused', 'error'] }) outcome!: string;
  @ApiProperty({ type: 'integer', nullable: true }) statusCode!: number | null;
  @Int() latencyMs!: number;
  @ApiProperty({ type: String, nullable: true, description: 'first KiB of the answer, or the error' })
  response!: string | null;
}

@ApiSchema({ name: 'DeliveryBatch' })
export class DeliveryBatchDto {
  @Text({ description: 'webhook-id' }) id!: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status!: string;
  @ApiProperty({ enum: ['live', 'resend', 'replay'] }) origin!: string;
  @Int() items!: number;
  @Int() attempts!: number;
  @Time() createdAt!: string;
  @NullableText({ description: 'ISO 8601', format: 'date-time' }) nextAttemptAt!: string | null;
  @NullableText({ description: 'ISO 8601', format: 'date-time' }) finishedAt!: string | null;
  @NullableText() lastError!: string | null;
  @OptionalText() stream!: string;
  @ApiProperty({ type: 'integer', required: false }) firstSequence!: number;
  @ApiProperty({ type: 'integer', required: false }) lastSequence!: number;
}

export const SubscriptionPage = PageOf(SubscriptionDto, 'SubscriptionPage');
export const DeliveryAttemptPage = PageOf(DeliveryAttemptDto, 'DeliveryAttemptPage');
export const DeliveryBatchPage = PageOf(DeliveryBatchDto, 'DeliveryBatchPage');
