import {
  deadLetterSubject,
  routingKeyOf,
  sensorDataSubject,
  sensorRawSubject,
  sensorRejectedSubject,
} from '@matrix/contracts';
import {
  DEAD_LETTER_ADVISORIES,
  DEVICE_SLOTS,
  DLQ,
  CONSUMER_LEASES,
  INGEST_KEYS,
  MATRIX_EVENTS,
  PRINCIPALS,
  SENSOR_DATA,
  SENSOR_RAW,
  SENSOR_REJECTED,
  type KvBucketSpec,
  type StreamSpec,
} from '@matrix/messaging';

/*
 * The catalogue of every NATS subject and KV bucket, from which docs/asyncapi.yaml and docs/subjects.md are
 * generated (asyncapi.spec.ts). What is declared here by hand is what the code cannot tell: who produces a
 * subject, who may read it and the examples. The streams, buckets, retention and payload schemas come from
 * the topology (@matrix/messaging) and the contract classes (@matrix/contracts); the spec fails when this
 * list and the topology, the subject builders or their callers disagree.
 *
 * Audience (decided for issue #17): `public` subjects are the integration surface downstream teams subscribe
 * to, with the compatibility rule of docs/contracts.md; `operators` subjects are for the deployment's own
 * operators and tooling (dead letters, rejections); `internal` subjects carry data between our services and
 * may change with a release of the platform (they are still persistent names). The request/reply command
 * subjects (`<domain>.<entity>.<imperative>.v<n>`) are internal: the gateway and matrix-cli call them, and
 * their public face is REST v1 and the actions API (docs/api.md). They are listed in docs/subjects.md by
 * name, without payload schemas, and are not channels of the AsyncAPI document.
 */

export type Audience = 'public' | 'operators' | 'internal';

/** Where a subject's messages are kept. */
export type Carrier = { kind: 'stream'; stream: StreamSpec } | { kind: 'kv'; bucket: KvBucketSpec };

/** A service that publishes on the channel, and the production file where it names the subject. */
export interface Producer {
  readonly service: string;
  readonly file: string;
  /** False when the file republishes a subject it read (no builder call there). */
  readonly callsBuilder: boolean;
}

export interface CatalogueChannel {
  /** AsyncAPI channel id (and message id prefix). */
  readonly id: string;
  readonly title: string;
  /** NATS subject with `{parameter}` tokens, one token each; without the deployment namespace. */
  readonly address: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly description: string;
  readonly audience: Audience;
  readonly carrier: Carrier;
  /** The `@matrix/contracts` functions that build this subject (none for KV keys and server advisories). */
  readonly builders: readonly string[];
  /** A subject of this channel (made by its builder when it has one): must match `address` and the carrier. */
  readonly sample: string;
  readonly producers: readonly Producer[];
  /** Who reads it inside the platform (consumers of the topology, KV watchers). */
  readonly readers: readonly string[];
  /** Component schema name of the message body. */
  readonly payload: string;
  /** The body is a JSON array of `payload` (ADR-10). */
  readonly payloadIsArray?: boolean;
  /** Header names (values of `HEADER` or NATS's own) the producer sets. */
  readonly headers: readonly string[];
  readonly delivery: string;
  /** Fixture files below libs/contracts/fixtures (the KV fixtures' `value`, the others whole). */
  readonly examples: readonly string[];
}

const AT_LEAST_ONCE = (window: string, key: string) =>
  `At least once. The producer sets a deterministic \`Nats-Msg-Id\`, so a repeated publish within the stream's duplicate window (${window}) is stored once; a subscriber sees a message again after a redelivery, so it must be idempotent (${key}).`;

export const CATALOGUE: readonly CatalogueChannel[] = [
  {
    id: 'sensorData',
    title: 'Normalised sensor data',
    address: 'sensor.data.{pid}.{provider}.{slotType}',
    parameters: {
      pid: 'Building id (`PID`), subject-token escaped',
      provider: 'Provider of the slot type, e.g. `SMARTCLEAN`',
      slotType: 'Slot type, e.g. `PPLCTR` (the part of `DevType` after `#`)',
    },
    description:
      'Every data point in the documented general data format (docs/data-formats.md): location and local-time fields filled in, `v` canonical for its slot type. One message is a JSON array of up to 250 points of one building, provider and type (ADR-10).',
    audience: 'public',
    carrier: { kind: 'stream', stream: SENSOR_DATA },
    builders: ['sensorDataSubject'],
    sample: sensorDataSubject('bldg-7f3a2c', 'SMARTCLEAN', 'PPLCTR'),
    producers: [
      {
        service: 'sensor-normaliser',
        file: 'apps/sensor-normaliser/src/normalise/normalise-point.ts',
        callsBuilder: true,
      },
    ],
    readers: [
      'sql-projector (`sql-projector-sensor-data`)',
      'event-router (`event-router-sensor-data`)',
      'incident-service (`incident-service-sensor-data`)',
    ],
    payload: 'NormalisedSensorDataPointV1',
    payloadIsArray: true,
    headers: ['Nats-Msg-Id', 'Matrix-Reading-Ids', 'Matrix-Correlation-Id'],
    delivery: AT_LEAST_ONCE('2 min', 'by the reading ids of `Matrix-Reading-Ids`'),
    examples: ['normalised-sensor-data-point/v1/people-counter.json'],
  },
  {
    id: 'matrixEvents',
    title: 'Matrix events',
    address: 'matrix.{principal}.{module}.{eventId}.{priority}',
    parameters: {
      principal: 'Building (PID), property (PropId) or organisation the event is about',
      module: 'Matrix module: `scgrids`, `scworkforcemanagement`, `eventrouter`, …',
      eventId: 'Event id, e.g. `INCIDENT_CREATED_OPEN`, `ZONE_CREATED`, `SUBSCRIPTION_DISABLED`',
      priority: '`HIGH`, `MEDIUM`, `NORMAL` or `LOW`',
    },
    description:
      'Every Matrix event (reference §2.4); the subject is its routing key, also in the body as `RoutingKey`. One message is one event.',
    audience: 'public',
    carrier: { kind: 'stream', stream: MATRIX_EVENTS },
    builders: ['routingKeyOf', 'buildMatrixEvent'],
    sample: routingKeyOf({
      principal: 'bldg-7f3a2c',
      module: 'scgrids',
      eventId: 'ZONE_CREATED',
      priority: 'NORMAL',
    }),
    producers: [
      {
        service: 'matrix-api-gateway (registry events, through its outbox)',
        file: 'apps/matrix-api-gateway/src/registry/grid-events.ts',
        callsBuilder: true,
      },
      {
        service: 'incident-service (INCIDENT_*, through its outbox)',
        file: 'apps/incident-service/src/incidents/incident-events.ts',
        callsBuilder: true,
      },
      {
        service: 'incident-service (SHIFT_*, through its outbox)',
        file: 'apps/incident-service/src/shifts/shift-events.ts',
        callsBuilder: true,
      },
      {
        service: 'incident-service (TASK_*, through its outbox)',
        file: 'apps/incident-service/src/tasks/task-events.ts',
        callsBuilder: true,
      },
      {
        service: 'event-router (SUBSCRIPTION_DISABLED)',
        file: 'apps/event-router/src/delivery/operator-notices.ts',
        callsBuilder: true,
      },
    ],
    readers: [
      'sql-projector (`sql-projector-matrix-events`, `sql-projector-read-models`)',
      'event-router (`event-router-matrix-events`)',
    ],
    payload: 'MatrixEventV1',
    headers: ['Nats-Msg-Id'],
    delivery: `${AT_LEAST_ONCE('2 min', 'by the `Nats-Msg-Id` header')} Except event-router's \`SUBSCRIPTION_DISABLED\`: it is published once, when the subscription is disabled, and not retried (a failed publish is only logged), with the time-based id \`router:disabled:<subscription id>:<epoch ms>\`, so each disable is a new event.`,
    examples: ['matrix-event/v1/incident-created-open.json', 'matrix-event/v1/zone-created.json'],
  },
  {
    id: 'sensorRaw',
    title: 'Raw sensor readings',
    address: 'sensor.raw.{provider}.{lane}.{partition}',
    parameters: {
      provider: 'Provider of the readings, e.g. `SMARTCLEAN`',
      lane: 'Ordering lane: the id of the ingest key that posted them',
      partition:
        "`p0`…`p7`: the lane's partition (FNV-1a of the lane token, modulo 8), whose durable one sensor-normaliser replica works at a time. Messages from before partitions have no such token (four tokens in all)",
    },
    description:
      'Readings exactly as push-ingress accepted them, before normalisation: one message per batch and lane, a JSON array of points. Subscribe to `sensor.data.>` instead: these points may lack their location and be refused later.',
    audience: 'internal',
    carrier: { kind: 'stream', stream: SENSOR_RAW },
    builders: ['sensorRawSubject'],
    sample: sensorRawSubject('SMARTCLEAN', 'abcdefgh2345'),
    producers: [
      { service: 'push-ingress', file: 'apps/push-ingress/src/ingest/ingest.service.ts', callsBuilder: true },
      {
        service: 'matrix-cli redrive (on the subject the rejected reading arrived on)',
        file: 'libs/messaging/src/lib/redrive/redrive-rejected.ts',
        callsBuilder: false,
      },
    ],
    readers: [
      'sensor-normaliser (`sensor-normaliser-raw-p0` … `-p7`, one replica per partition; `sensor-normaliser-raw` for four-token subjects from before partitions)',
    ],
    payload: 'SensorDataPointV1',
    payloadIsArray: true,
    headers: [
      'Nats-Msg-Id',
      'Matrix-Reading-Ids',
      'Matrix-Ingest-Key',
      'Matrix-Ingest-Pid',
      'Matrix-Redriven-From',
      'Matrix-Correlation-Id',
    ],
    delivery: AT_LEAST_ONCE('2 min', 'by the reading ids of `Matrix-Reading-Ids`'),
    examples: ['sensor-point-message/v1/one-point.json'],
  },
  {
    id: 'sensorRejected',
    title: 'Rejected readings',
    address: 'sensor.rejected.{reason}',
    parameters: {
      reason:
        'Why: `invalid_point`, `invalid_value`, `unknown_device`, `invalid_time_zone` or `foreign_device`',
    },
    description:
      'One message per raw reading that could not be normalised, with every problem found; `matrix-cli redrive` publishes them again after a fix (docs/data-formats.md, "Rejected readings and re-drive").',
    audience: 'operators',
    carrier: { kind: 'stream', stream: SENSOR_REJECTED },
    builders: ['sensorRejectedSubject'],
    sample: sensorRejectedSubject('unknown_device'),
    producers: [
      {
        service: 'sensor-normaliser',
        file: 'apps/sensor-normaliser/src/normalise/normalise-batch.ts',
        callsBuilder: true,
      },
    ],
    readers: ['matrix-cli redrive (an ephemeral consumer)'],
    payload: 'RejectedReading',
    headers: ['Nats-Msg-Id', 'Matrix-Correlation-Id'],
    delivery: AT_LEAST_ONCE('2 min', 'by `rawMsgId`'),
    examples: [],
  },
  {
    id: 'deadLetters',
    title: 'Dead letters',
    address: 'dlq.{originalSubject}',
    parameters: {
      originalSubject:
        'The subject the message was on, without the namespace (it spans several tokens: subscribe to `dlq.>`), or `router.<kind>.<subscription id>` for a push batch event-router gave up on',
    },
    description:
      'The bytes of a message a consumer gave up on (after its last delivery, or at once for a message it cannot ever handle), as they were, with its own headers (but the `Nats-*` ones) and the reason and where it came from in `Matrix-Dlq-*` headers.',
    audience: 'operators',
    carrier: { kind: 'stream', stream: DLQ },
    builders: ['deadLetterSubject'],
    sample: deadLetterSubject('sensor.data.bldg-7f3a2c.SMARTCLEAN.PPLCTR'),
    producers: [
      {
        service:
          'every consuming service (libs/messaging dead-letter publisher, also used by the dead-letter relay)',
        file: 'libs/messaging/src/lib/consumer/dead-letter-publisher.ts',
        callsBuilder: true,
      },
      {
        service: 'event-router (push batches given up)',
        file: 'apps/event-router/src/delivery/operator-notices.ts',
        callsBuilder: true,
      },
    ],
    readers: ['operators (`nats stream view DLQ`)'],
    payload: 'DeadLetterBody',
    headers: [
      'Nats-Msg-Id',
      'Matrix-Dlq-Reason',
      'Matrix-Dlq-Stream',
      'Matrix-Dlq-Sequence',
      'Matrix-Dlq-Consumer',
      'Matrix-Dlq-Deliveries',
      'Matrix-Dlq-Subject',
      'webhook-id',
    ],
    delivery: `${AT_LEAST_ONCE('10 min', 'by the `Nats-Msg-Id` header')} The id is \`dlq:<stream>:<sequence>\` for a consumer's dead letter and \`dlq:router:<batch seq>\` for a push batch event-router gave up on; that one is published once, when the batch is given up, and not retried (a failed publish is only logged).`,
    examples: [],
  },
  {
    id: 'deadLetterAdvisories',
    title: 'Max-deliveries advisories',
    address: '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{stream}.{consumer}',
    parameters: {
      stream: 'A consumed stream: `SENSOR_RAW`, `SENSOR_DATA` or `MATRIX_EVENTS` (with the namespace prefix)',
      consumer: 'The durable that gave up',
    },
    description:
      "nats-server's advisory when a consumer reached its max deliveries, kept in a stream so the dead-letter relay misses none while it is down. The relay copies the message it names into `dlq.>`.",
    audience: 'internal',
    carrier: { kind: 'stream', stream: DEAD_LETTER_ADVISORIES },
    builders: [],
    sample: '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.SENSOR_DATA.sql-projector-sensor-data',
    producers: [],
    readers: [
      'the dead-letter relay of libs/messaging (`dead-letter-relay`), which the services run unless told not to',
    ],
    payload: 'MaxDeliveriesAdvisory',
    headers: [],
    delivery: 'As nats-server publishes advisories: at most once, kept by the stream once received.',
    examples: [],
  },
  {
    id: 'deviceSlots',
    title: 'Device-slot directory (KV)',
    address: '$KV.DEVICE_SLOTS.{alias}',
    parameters: { alias: 'The slot alias, the `DEVID` of its readings' },
    description:
      'KV bucket `DEVICE_SLOTS`: where each device slot is (building, zone, time zone, …). Watch it, or get a key; a removed slot is deleted.',
    audience: 'internal',
    carrier: { kind: 'kv', bucket: DEVICE_SLOTS },
    builders: [],
    sample: '$KV.DEVICE_SLOTS.pc-lobby-01',
    producers: [
      {
        service: "matrix-api-gateway (its outbox relay, from the registry's device slots)",
        file: 'apps/matrix-api-gateway/src/outbox/outbox.ts',
        callsBuilder: false,
      },
    ],
    readers: ['sensor-normaliser (watch)', 'sql-projector (read models)'],
    payload: 'DeviceSlotEntry',
    headers: [],
    delivery: 'The latest value per key (history 1); a watcher gets every key, then each change.',
    examples: ['device-slot-entry/v1/people-counter.json'],
  },
  {
    id: 'ingestKeys',
    title: 'Ingest keys (KV)',
    address: '$KV.INGEST_KEYS.{keyId}',
    parameters: { keyId: 'The ingest key id (the part of `mik_…` before the secret)' },
    description:
      'KV bucket `INGEST_KEYS`: every building\'s ingest keys with the SHA-256 of the secret (never the secret); a revoked key is deleted (docs/authentication.md, "Ingest keys").',
    audience: 'internal',
    carrier: { kind: 'kv', bucket: INGEST_KEYS },
    builders: [],
    sample: '$KV.INGEST_KEYS.abcdefgh2345',
    producers: [
      {
        service: 'matrix-api-gateway (its outbox relay)',
        file: 'apps/matrix-api-gateway/src/outbox/outbox.ts',
        callsBuilder: false,
      },
    ],
    readers: ['push-ingress (watch)'],
    payload: 'IngestKeyEntry',
    headers: [],
    delivery: 'The latest value per key (history 1); a watcher gets every key, then each change.',
    examples: ['ingest-key-entry/v1/provider-bound.json'],
  },
  {
    id: 'principals',
    title: 'Principals (KV)',
    address: '$KV.PRINCIPALS.{principal}',
    parameters: { principal: "A building's PID or a property's PropId" },
    description:
      'KV bucket `PRINCIPALS`: every building and property with its organisation and property, written by triggers on the registry tables into the gateway\'s outbox (docs/delivery.md, "Tenancy").',
    audience: 'internal',
    carrier: { kind: 'kv', bucket: PRINCIPALS },
    builders: [],
    sample: '$KV.PRINCIPALS.bldg-7f3a2c',
    producers: [
      {
        service: 'matrix-api-gateway (registry triggers, its outbox relay)',
        file: 'apps/matrix-api-gateway/src/outbox/outbox.ts',
        callsBuilder: false,
      },
    ],
    readers: ['event-router (watch)', 'sql-projector (read models)'],
    payload: 'PrincipalEntry',
    headers: [],
    delivery: 'The latest value per key (history 1); a watcher gets every key, then each change.',
    examples: ['principal-entry/v1/building.json'],
  },
  {
    id: 'consumerLeases',
    title: 'Consumer leases (KV)',
    address: '$KV.CONSUMER_LEASES.{group}.{partition}',
    parameters: {
      group: 'The partitioned consumer, e.g. `sensor-normaliser-raw`',
      partition: '`p<k>`: the lease of partition k, whose value is the id of the replica working it',
    },
    description:
      "KV bucket `CONSUMER_LEASES` (an entry not written again within 15 s expires): which sensor-normaliser replica works which partition of `SENSOR_RAW` (docs/scaling.md). Beside the leases, each live replica keeps `<group>.m.<member>` (epoch milliseconds of its last renewal); the fair share is counted from those. Operators may read it to see the split; only the service's own replicas write it.",
    audience: 'internal',
    carrier: { kind: 'kv', bucket: CONSUMER_LEASES },
    builders: [],
    sample: '$KV.CONSUMER_LEASES.sensor-normaliser-raw.p3',
    producers: [
      {
        service: 'sensor-normaliser (its partition leases)',
        file: 'libs/messaging/src/lib/partitions/partition-leases.ts',
        callsBuilder: false,
      },
    ],
    readers: ['sensor-normaliser'],
    payload: 'ConsumerLease',
    headers: [],
    delivery:
      'The latest value per key (history 1), removed 15 s after its last renewal; a lease is created only where none is and renewed by revision.',
    examples: [],
  },
];

/**
 * Production files that name a subject builder (a call, or the function passed by reference or imported
 * under another name) without publishing on its subject, e.g. a consumer's filter: the spec's scan of the
 * builders' users leaves them out.
 */
export const BUILDER_CALLS_NOT_PUBLISHING: readonly { file: string; builder: string; why: string }[] = [
  {
    file: 'libs/messaging/src/lib/redrive/redrive-rejected.ts',
    builder: 'sensorRejectedSubject',
    why: 'the filter of the re-drive consumer on SENSOR_REJECTED',
  },
  {
    file: 'libs/messaging/src/lib/topology/permissions.ts',
    builder: 'deadLetterSubject',
    why: 'the dead-letter subjects a NATS user may publish on (its permissions), not a publish',
  },
];

/** Which service serves each request/reply command domain (`<domain>.<entity>.<imperative>.v<n>`). */
export const COMMAND_SERVERS: Readonly<Record<string, string>> = {
  router: 'event-router',
  workforce: 'incident-service',
  attendance: 'incident-service',
  sql: 'sql-projector',
};

/** The names through which production code gets hold of a publishing handle. */
export const PUBLISHING_HANDLES = ['JetStreamPublisher', 'DeadLetterPublisher', 'OutboxWriter'] as const;

/**
 * How production code publishes or writes, as the spec's scan finds it in the code without its comments
 * (a textual scan: a publish through a handle that never appears under these names, e.g. a destructured
 * `publish` function, is not seen). A file matching any of them must be in PUBLISH_SITES or in
 * NOT_PUBLISHING below.
 */
export const PUBLISHING_CALLS: Readonly<Record<string, (code: string) => boolean>> = {
  /** Uses JetStreamPublisher, DeadLetterPublisher or OutboxWriter. */
  handle: (code) => PUBLISHING_HANDLES.some((handle) => new RegExp(`\\b${handle}\\b`).test(code)),
  /** Any `.publish(` / `.publishAll(`: the handles above, `js.publish` and `nc.publish` of a NatsClient. */
  publish: (code) => /\.\s*publish(All)?\s*\(/.test(code),
  /** Core NATS request/reply: `nc.request(`, `nc.requestMany(` and the answer `.respond(`. */
  request: (code) => /\bnc\s*\.\s*request(Many)?\s*\(|\.\s*respond\s*\(/.test(code),
  /**
   * A KV write: a file that gets a KV handle (`openKvBucket`, `Kvm`, a type of `@nats-io/kv`) and calls
   * `.put(`, `.create(`, `.update(`, `.delete(` or `.purge(` (on the bucket or on anything else: the
   * spec cannot tell, so a file writing only a Map is listed in NOT_PUBLISHING).
   */
  kvWrite: (code) =>
    /\bopenKvBucket\b|\bKvm\b|['"]@nats-io\/kv['"]/.test(code) &&
    /\.\s*(put|create|update|delete|purge)\s*\(/.test(code),
};

/**
 * Every production file that publishes (PUBLISHING_CALLS), with the channels (ids above) it publishes on,
 * or `[]` for plumbing that publishes what its callers name. The spec fails for a file that publishes and
 * is listed neither here nor in NOT_PUBLISHING, and for a listed file that names the subject builder or
 * the KV bucket of a channel it does not list: a new publisher must say which subjects it publishes.
 */
export const PUBLISH_SITES: Readonly<Record<string, readonly string[]>> = {
  'apps/event-router/src/delivery/operator-notices.ts': ['matrixEvents', 'deadLetters'],
  'apps/incident-service/src/incidents/incidents.repository.ts': ['matrixEvents'],
  'apps/incident-service/src/shifts/shifts.repository.ts': ['matrixEvents'],
  'apps/incident-service/src/tasks/tasks.repository.ts': ['matrixEvents'],
  'apps/matrix-api-gateway/src/outbox/outbox.ts': ['matrixEvents', 'deviceSlots', 'ingestKeys', 'principals'],
  'apps/push-ingress/src/ingest/ingest.service.ts': ['sensorRaw'],
  'apps/sensor-normaliser/src/normalise/raw-reading.handler.ts': ['sensorData', 'sensorRejected'],
  'libs/messaging/src/lib/consumer/dead-letter-publisher.ts': ['deadLetters'],
  'libs/messaging/src/lib/consumer/message-settlement.ts': ['deadLetters'],
  'libs/messaging/src/lib/dead-letter/dead-letter-relay.ts': ['deadLetters'],
  'libs/messaging/src/lib/redrive/redrive-rejected.ts': ['sensorRaw'],
  'libs/messaging/src/lib/partitions/partition-leases.ts': ['consumerLeases'],
  // Plumbing: the publisher itself, the outbox's writer and JetStream sink, and the module wiring.
  'libs/messaging/src/lib/publisher/jetstream-publisher.ts': [],
  'libs/messaging/src/lib/outbox/jetstream-outbox-sink.ts': [],
  'libs/persistence/src/lib/outbox/outbox-writer.ts': [],
  'libs/messaging/src/lib/messaging.module.ts': [],
  'libs/messaging/src/lib/messaging.explorer.ts': [],
  'libs/messaging/src/lib/consumer/batch-consumer-runner.ts': [],
};

/** Production files the scan (PUBLISHING_CALLS) finds that publish on no channel, and why. */
export const NOT_PUBLISHING: Readonly<Record<string, string>> = {
  // Request/reply commands are internal and not channels (docs/subjects.md lists them by name).
  'libs/messaging/src/lib/request-reply/command-bus.ts':
    'the CommandBus: core NATS request/reply of the command subjects (`nc.request`, `respond`)',
  'libs/messaging/src/lib/topology/kv-buckets.ts':
    'creates, opens and destroys the KV buckets (provisioning, teardown; `kvm.create` makes a bucket); writes no key',
  'libs/messaging/src/lib/partitions/partitioned-consumer.ts':
    'its `.delete(` removes a runner from its map; the leases are written by partition-leases.ts',
  'libs/messaging/src/lib/kv/kv-directory.ts':
    'watches a bucket; its `.delete(` removes a key from its in-memory copy',
  'apps/incident-service/src/shifts/planning-actions.ts':
    "`shifts.publish(` publishes planned shifts in the database; the repository's outbox (listed) emits the events",
};
