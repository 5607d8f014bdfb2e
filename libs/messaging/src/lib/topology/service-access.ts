import {
  ATTENDANCE_ACTIONS_SUBJECT,
  INCIDENT_COMMANDS,
  ROUTER_COMMANDS,
  SEAT_COMMANDS,
  SQL_SINK_COMMANDS,
  TENANT_ROLE_COMMANDS,
  WORKFORCE_ACTIONS_SUBJECT,
  CLOCK_ADVANCE_COMMAND,
} from '@matrix/contracts';
import {
  CONSUMER_LEASES,
  DEVICE_SLOTS,
  INGEST_KEYS,
  MATRIX_KV_BUCKETS,
  PRINCIPALS,
  type KvBucketSpec,
} from './kv-buckets';
import {
  EVENT_ROUTER_MATRIX_EVENTS,
  EVENT_ROUTER_SENSOR_DATA,
  INCIDENT_SERVICE_SENSOR_DATA,
  MATRIX_EVENTS,
  MATRIX_TOPOLOGY,
  SENSOR_DATA,
  SENSOR_NORMALISER_RAW,
  SENSOR_NORMALISER_RAW_PARTITIONED,
  SQL_PROJECTOR_MATRIX_EVENTS,
  SQL_PROJECTOR_READ_MODELS,
  SQL_PROJECTOR_SENSOR_DATA,
} from './matrix-topology';
import type { ConsumerSpec, StreamSpec } from './topology.types';

/**
 * What one service does on NATS, declared beside the topology so that its NATS permissions are derived
 * from it (`servicePermissions`), never written by hand. Subjects are written without the deployment
 * namespace. Read from each app's code (docs/nats-security.md lists where); a service that starts doing
 * something new on NATS adds it here, or the server refuses it once credentials are in use.
 */
export interface ServiceAccess {
  /** The app's name: its NATS user, connection name and inbox prefix (`_INBOX_<name>`). */
  readonly name: string;
  /** Subjects it publishes into streams (wildcards allowed), e.g. `sensor.raw.>`. */
  readonly publishes: readonly string[];
  /** The durable consumers it pulls from (and acks, naks, terminates, dead-letters). */
  readonly consumes: readonly ConsumerSpec[];
  /** Durables whose state it reads without pulling (`consumers.info`), e.g. an ack floor. */
  readonly readsConsumers?: readonly ConsumerSpec[];
  /** Streams whose state it reads (`streams.info`) without reading their messages, e.g. capacity gauges. */
  readonly readsStreams?: readonly StreamSpec[];
  /** KV buckets whose state it reads (their stream's info) without reading their values, e.g. capacity gauges. */
  readonly readsKvState?: readonly KvBucketSpec[];
  /** Streams it reads through ordered consumers of its own (replays): any consumer name on them. */
  readonly replays?: readonly StreamSpec[];
  /** Request/reply subjects it answers. */
  readonly serves: readonly string[];
  /** Request/reply subjects it calls. */
  readonly requests: readonly string[];
  /** KV buckets it reads (get and watch). */
  readonly readsKv: readonly KvBucketSpec[];
  /** KV buckets it writes (put and delete). */
  readonly writesKv: readonly KvBucketSpec[];
  /** Runs the shared dead-letter relay (MessagingModule's `deadLetterRelay`, on by default). */
  readonly deadLetterRelay: boolean;
}

const subjects = (commands: Record<string, { readonly subject: string }>): string[] =>
  Object.values(commands).map((command) => command.subject);

/*
 * Matrix events are `matrix.<principal>.<module>.<eventId>.<priority>`: each producer may publish its own
 * module only, so a compromised event-router cannot forge an incident, nor the gateway a task.
 */
const matrixModule = (module: string): string => `matrix.*.${module}.>`;

export const PUSH_INGRESS_ACCESS: ServiceAccess = {
  name: 'push-ingress',
  publishes: ['sensor.raw.>'],
  consumes: [],
  serves: [],
  requests: [],
  readsKv: [INGEST_KEYS],
  writesKv: [],
  deadLetterRelay: true,
};

export const SENSOR_NORMALISER_ACCESS: ServiceAccess = {
  name: 'sensor-normaliser',
  publishes: ['sensor.data.>', 'sensor.rejected.>'],
  consumes: [SENSOR_NORMALISER_RAW, ...SENSOR_NORMALISER_RAW_PARTITIONED.partitions],
  serves: [],
  requests: [],
  // Its partitions' leases: which replica works which partition (PartitionLeases).
  readsKv: [DEVICE_SLOTS, CONSUMER_LEASES],
  writesKv: [CONSUMER_LEASES],
  deadLetterRelay: true,
};

export const SQL_PROJECTOR_ACCESS: ServiceAccess = {
  name: 'sql-projector',
  publishes: [],
  consumes: [SQL_PROJECTOR_SENSOR_DATA, SQL_PROJECTOR_MATRIX_EVENTS, SQL_PROJECTOR_READ_MODELS],
  // The sinks' projected horizon reads its own durables' ack floors.
  readsConsumers: [SQL_PROJECTOR_SENSOR_DATA, SQL_PROJECTOR_MATRIX_EVENTS],
  serves: [...subjects(SQL_SINK_COMMANDS), ...subjects(TENANT_ROLE_COMMANDS)],
  requests: [],
  readsKv: [DEVICE_SLOTS, PRINCIPALS],
  writesKv: [],
  deadLetterRelay: true,
};

export const EVENT_ROUTER_ACCESS: ServiceAccess = {
  name: 'event-router',
  // SUBSCRIPTION_DISABLED on the owner, and push batches it gave up on (`dlq.router.<kind>.<id>`).
  publishes: [matrixModule('eventrouter'), 'dlq.router.>'],
  consumes: [EVENT_ROUTER_MATRIX_EVENTS, EVENT_ROUTER_SENSOR_DATA],
  // A subscription's replay reads the stream from a time through an ordered consumer.
  replays: [MATRIX_EVENTS, SENSOR_DATA],
  serves: subjects(ROUTER_COMMANDS),
  requests: [],
  readsKv: [PRINCIPALS],
  writesKv: [],
  deadLetterRelay: true,
};

export const INCIDENT_SERVICE_ACCESS: ServiceAccess = {
  name: 'incident-service',
  publishes: [matrixModule('scworkforcemanagement')],
  consumes: [INCIDENT_SERVICE_SENSOR_DATA],
  serves: [
    WORKFORCE_ACTIONS_SUBJECT,
    ATTENDANCE_ACTIONS_SUBJECT,
    CLOCK_ADVANCE_COMMAND.subject,
    ...subjects(INCIDENT_COMMANDS),
    ...subjects(SEAT_COMMANDS),
  ],
  requests: [],
  readsKv: [PRINCIPALS],
  writesKv: [],
  deadLetterRelay: true,
};

export const MATRIX_API_GATEWAY_ACCESS: ServiceAccess = {
  name: 'matrix-api-gateway',
  publishes: [matrixModule('scgrids')],
  consumes: [],
  serves: [],
  requests: [
    WORKFORCE_ACTIONS_SUBJECT,
    ATTENDANCE_ACTIONS_SUBJECT,
    ...subjects(INCIDENT_COMMANDS),
    ...subjects(SEAT_COMMANDS),
    ...subjects(ROUTER_COMMANDS),
    ...subjects(SQL_SINK_COMMANDS),
    ...subjects(TENANT_ROLE_COMMANDS),
  ],
  // The JetStream capacity gauges (docs/operations.md, Capacity): every stream's, bucket's and durable's
  // state (CONSUMER_LEASES included, which it neither reads nor writes).
  readsStreams: MATRIX_TOPOLOGY.streams,
  readsKvState: MATRIX_KV_BUCKETS,
  readsConsumers: MATRIX_TOPOLOGY.consumers,
  // Issuing a key waits until INGEST_KEYS holds it.
  readsKv: [INGEST_KEYS],
  // Its outbox relay keeps the three directories.
  writesKv: [DEVICE_SLOTS, INGEST_KEYS, PRINCIPALS],
  deadLetterRelay: true,
};

/** The six services, each a NATS user of its own. */
export const MATRIX_SERVICE_ACCESS: readonly ServiceAccess[] = [
  MATRIX_API_GATEWAY_ACCESS,
  PUSH_INGRESS_ACCESS,
  SENSOR_NORMALISER_ACCESS,
  SQL_PROJECTOR_ACCESS,
  EVENT_ROUTER_ACCESS,
  INCIDENT_SERVICE_ACCESS,
];

/** The operator's tool (`provision`, `redrive`, `sql-role`, `sql-sink`): everything in the account. */
export const MATRIX_CLI_USER = 'matrix-cli';

/** Streams whose subjects are public (docs/subjects.md): what a downstream user may read. */
export const PUBLIC_STREAMS: readonly StreamSpec[] = [SENSOR_DATA, MATRIX_EVENTS];
