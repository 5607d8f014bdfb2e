/* REST v1 push subscriptions in the OpenAPI document (spread into rest/openapi.ts). */

type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (description?: string, extra: Schema = {}): Schema => ({
  type: 'string',
  ...(description ? { description } : {}),
  ...extra,
});
const int = (description: string, minimum: number, maximum: number): Schema => ({
  type: 'integer',
  description,
  minimum,
  maximum,
});
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  required,
});
const time = str('ISO 8601', { format: 'date-time' });
const page = (item: string): Schema =>
  obj(
    {
      items: { type: 'array', items: ref(item) },
      nextCursor: nullable(str('pass as `cursor` for the next page')),
    },
    ['items', 'nextCursor'],
  );
const problem = { $ref: '#/components/responses/Problem' };
const problems = {
  '400': problem,
  '401': problem,
  '403': problem,
  '404': problem,
  '429': problem,
  '503': problem,
};
const json = (schema: Schema) => ({ content: { 'application/json': { schema } } });
const op = (
  summary: string,
  status: string,
  schema: Schema | undefined,
  extra: Record<string, unknown> = {},
) => ({
  summary,
  responses: {
    [status]: { description: status === '204' ? 'No content' : 'OK', ...(schema ? json(schema) : {}) },
    ...problems,
  },
  ...extra,
});
const param = (
  name: string,
  where: 'path' | 'query',
  description: string,
  schema: Schema = { type: 'string' },
) => ({
  name,
  in: where,
  required: where === 'path',
  schema,
  description,
});
const id = param('id', 'path', 'subscription id (UUID)');
const paging = [
  param('cursor', 'query', 'from the previous page'),
  param('limit', 'query', 'page size (default 50)', { type: 'integer', minimum: 1, maximum: 500 }),
];
const idempotency = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', maxLength: 255 },
  description: 'retry-safe POST (a replay answers without the secret)',
};
const body = (schema: Schema, required = true) => ({ requestBody: { required, ...json(schema) } });

export const SUBSCRIPTION_PATHS = {
  '/v1/subscriptions': {
    get: op('Push subscriptions of the credential’s organisation or property', '200', page('Subscription'), {
      parameters: paging,
    }),
    post: op(
      'Create a push subscription (admin); answers the signing secret, shown this once',
      '201',
      ref('CreatedSubscription'),
      { ...body(ref('SubscriptionInput')), parameters: [idempotency] },
    ),
  },
  '/v1/subscriptions/{id}': {
    get: op('Read a subscription', '200', ref('Subscription'), { parameters: [id] }),
    patch: op(
      'Change a subscription (admin): any field but kind; `status: active` re-enables it; the scope is re-read from the registry',
      '200',
      ref('Subscription'),
      { ...body(ref('SubscriptionUpdate')), parameters: [id] },
    ),
    delete: op('Delete a subscription with its queue and delivery log (admin)', '204', undefined, {
      parameters: [id],
    }),
  },
  '/v1/subscriptions/{id}/secret': {
    post: op(
      'Rotate the signing secret (admin): the new secret signs at once, the old one also signs for overlapMs (default 24 h)',
      '200',
      obj({ secret: str('whsec_…, shown this once'), subscription: ref('Subscription') }, [
        'secret',
        'subscription',
      ]),
      {
        ...body(obj({ overlapMs: int('ms the old secret keeps signing', 0, 604_800_000) }), false),
        parameters: [id, idempotency],
      },
    ),
  },
  '/v1/subscriptions/{id}/attempts': {
    get: op('Delivery attempts, newest first', '200', page('DeliveryAttempt'), {
      parameters: [id, ...paging],
    }),
  },
  '/v1/subscriptions/{id}/batches': {
    get: op('Batches, newest first; `status=failed` lists the given-up ones', '200', page('DeliveryBatch'), {
      parameters: [
        id,
        param('status', 'query', 'pending, delivered or failed', {
          type: 'string',
          enum: ['pending', 'delivered', 'failed'],
        }),
        ...paging,
      ],
    }),
  },
  '/v1/subscriptions/{id}/batches/{batchId}/resend': {
    post: op(
      'Send a batch again, same webhook-id and body, after what is pending (admin)',
      '202',
      ref('DeliveryBatch'),
      {
        parameters: [id, param('batchId', 'path', 'the batch’s webhook-id (msg_…)')],
      },
    ),
  },
  '/v1/subscriptions/{id}/replay': {
    post: op(
      'Re-read the stream from `from` to `to` (≤ 31 days) and deliver what matches again (admin); batches delivered before keep their webhook-id',
      '202',
      obj({ scanned: { type: 'integer' }, enqueued: { type: 'integer' } }, ['scanned', 'enqueued']),
      { ...body(obj({ from: time, to: time }, ['from', 'to'])), parameters: [id] },
    ),
  },
};

const auth: Schema = {
  description: 'How the router authenticates to the endpoint; credentials are never shown back',
  oneOf: [
    obj({ type: { const: 'none' } }, ['type']),
    obj({ type: { const: 'basic' }, username: str(), password: str() }, ['type', 'username', 'password']),
    obj(
      {
        type: { const: 'oauth2' },
        tokenUrl: str('client-credentials token endpoint (SSRF-checked)'),
        clientId: str(),
        clientSecret: str(),
        scope: str(),
        audience: str(),
      },
      ['type', 'tokenUrl', 'clientId', 'clientSecret'],
    ),
    obj({ type: { const: 'header' }, name: str('header name'), value: str() }, ['type', 'name', 'value']),
  ],
};
const batch = obj(
  {
    maxSize: int('events or points per POST at most (a stream message is never split); default 100', 1, 1000),
    maxWaitMs: int('how long the first queued item waits for more; default 100', 0, 60_000),
  },
  ['maxSize', 'maxWaitMs'],
);
const retry = obj(
  {
    initialDelayMs: int(
      'first retry delay, doubled each time with ±20 % jitter; default 5 s',
      100,
      3_600_000,
    ),
    maxDelayMs: int('longest delay; default 4 h', 100, 86_400_000),
    giveUpAfterMs: int('give a batch up (dead-letter it) after this long; default 24 h', 0, 604_800_000),
    timeoutMs: int('an attempt without a 2xx within this fails; default 15 s', 1000, 60_000),
  },
  ['initialDelayMs', 'maxDelayMs', 'giveUpAfterMs', 'timeoutMs'],
);
const inputProperties = {
  url: str('https endpoint (private, loopback and link-local targets are refused)', { format: 'uri' }),
  kind: { type: 'string', enum: ['matrix-events', 'sensor-data'] },
  patterns: {
    type: 'array',
    minItems: 1,
    maxItems: 20,
    items: str(
      'routing-key pattern: `*` one token, `#` zero or more (AMQP), `>` one or more at the end (NATS)',
    ),
  },
  buildings: {
    type: 'array',
    items: str(),
    description: 'only these buildings (default: all the credential sees)',
  },
  auth,
  batch,
  retry,
  encoding: {
    type: 'string',
    enum: ['objects', 'json-strings'],
    description: 'sensor data: points as objects or as JSON strings (legacy)',
  },
  rateLimitPerSecond: int('batches per second at most', 1, 10_000),
  concurrency: int(
    'batches in flight at most; 1 (default) delivers in order, more sends batches side by side (out of order)',
    1,
    16,
  ),
  description: str(),
};
const subscription = obj(
  {
    id: str('UUID'),
    url: str(),
    kind: { type: 'string', enum: ['matrix-events', 'sensor-data'] },
    patterns: { type: 'array', items: str() },
    buildings: nullable({ type: 'array', items: str() }),
    auth: obj({ type: str() }, ['type']),
    batch,
    retry,
    encoding: { type: 'string', enum: ['objects', 'json-strings'] },
    rateLimitPerSecond: nullable({ type: 'integer' }),
    concurrency: { type: 'integer' },
    description: nullable(str()),
    status: { type: 'string', enum: ['active', 'disabled'] },
    statusReason: nullable(str()),
    failingSince: nullable(time),
    owner: obj({ org: str(), property: str() }, ['org']),
    secrets: { type: 'array', items: obj({ hint: str(), expiresAt: nullable(time) }, ['hint', 'expiresAt']) },
    createdAt: time,
    updatedAt: time,
  },
  ['id', 'url', 'kind', 'patterns', 'status', 'createdAt', 'updatedAt'],
);

export const SUBSCRIPTION_SCHEMAS = {
  SubscriptionInput: obj(inputProperties, ['url', 'kind', 'patterns']),
  SubscriptionUpdate: obj(
    {
      ...Object.fromEntries(Object.entries(inputProperties).filter(([key]) => key !== 'kind')),
      status: { type: 'string', enum: ['active', 'disabled'] },
    },
    [],
  ),
  Subscription: subscription,
  CreatedSubscription: {
    allOf: [subscription, obj({ secret: str('whsec_… signing secret, shown this once') }, ['secret'])],
  },
  DeliveryAttempt: obj(
    {
      id: str(),
      batchId: str('webhook-id'),
      attempt: { type: 'integer' },
      at: time,
      outcome: { type: 'string', enum: ['delivered', 'failed', 'gone', 'timeout', 'refused', 'error'] },
      statusCode: nullable({ type: 'integer' }),
      latencyMs: { type: 'integer' },
      response: nullable(str('first KiB of the answer, or the error')),
    },
    ['id', 'batchId', 'attempt', 'at', 'outcome', 'statusCode', 'latencyMs', 'response'],
  ),
  DeliveryBatch: obj(
    {
      id: str('webhook-id'),
      status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
      origin: { type: 'string', enum: ['live', 'resend', 'replay'] },
      items: { type: 'integer' },
      attempts: { type: 'integer' },
      createdAt: time,
      nextAttemptAt: nullable(time),
      finishedAt: nullable(time),
      lastError: nullable(str()),
      stream: str(),
      firstSequence: { type: 'integer' },
      lastSequence: { type: 'integer' },
    },
    ['id', 'status', 'origin', 'items', 'attempts', 'createdAt'],
  ),
};
