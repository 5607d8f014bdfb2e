import { SENSOR_RAW_PARTITIONS } from '@matrix/contracts';
import type { ConsumerSpec, PartitionedConsumerSpec, StreamSpec, Topology } from './topology.types';

/*
 * ⚠️ WARNING: stream, consumer and subject names are persistent contracts. Operators' streams hold data
 * under these names and downstream teams subscribe to these subjects. Renaming one is a migration
 * (create the new one beside the old, move consumers, then retire the old), never a refactor.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/*
 * Capacity (docs/operations.md, Capacity): every stream has a `max_bytes`, its `budgetShare` of the JetStream
 * storage budget unless a deployment overrides it, and a `discard` policy chosen for what its consumers need.
 * The project's rule decides: a message a durable consumer has not read yet is never dropped. `discard: new`
 * refuses the publish instead, and the publisher keeps the message (push-ingress answers 503, an outbox keeps
 * its row, a consumer naks and retries); `discard: old` is used only where no durable reads the stream or the
 * server is the only publisher. The SENSOR_RAW and SENSOR_DATA shares follow the measured bytes per point
 * (docs/operations.md, Capacity).
 */

export const SENSOR_RAW: StreamSpec = {
  name: 'SENSOR_RAW',
  subjects: ['sensor.raw.>'],
  description: 'Raw sensor readings as push-ingress accepted them: JSON arrays, one lane per ingest key',
  maxAgeMs: 7 * DAY,
  duplicateWindowMs: 2 * MINUTE,
  // push-ingress has answered 202 for every message here; dropping one sensor-normaliser has not read would
  // lose accepted readings. Full, it refuses: push-ingress answers 503 with Retry-After and the sender retries.
  discard: 'new',
  // 149 stored bytes per point in batches of 100 (bench/ingest/stream-bytes.mjs), up to ~480 sent one by one.
  budgetShare: 0.19,
};

export const SENSOR_DATA: StreamSpec = {
  name: 'SENSOR_DATA',
  subjects: ['sensor.data.>'],
  description: 'Normalised sensor data points in the documented general data format, as JSON arrays',
  maxAgeMs: 7 * DAY,
  duplicateWindowMs: 2 * MINUTE,
  // Three durables read it (sql-projector, event-router, incident-service); the slowest must not lose a point.
  // Full, it refuses: sensor-normaliser's publish fails, it naks the raw message and retries with backoff,
  // so the readings wait in SENSOR_RAW (which then fills and makes push-ingress answer 503).
  discard: 'new',
  // 411 stored bytes per point. With SENSOR_RAW's share a third of this one, SENSOR_RAW fills first at any
  // batch size, so a full store shows as a clean 503 at the edge rather than as redeliveries here.
  budgetShare: 0.57,
};

export const SENSOR_REJECTED: StreamSpec = {
  name: 'SENSOR_REJECTED',
  subjects: ['sensor.rejected.>'],
  description: 'Readings that could not be normalised, with the reason; replayable after a fix',
  maxAgeMs: 30 * DAY,
  duplicateWindowMs: 2 * MINUTE,
  // No durable reads it (redrive reads it on demand), and sensor-normaliser publishes rejections with the
  // valid points of the same batch: refusing would let one device that sends garbage stop everyone's
  // readings. Full, it drops its oldest rejection records instead (the 80 % alert fires first).
  discard: 'old',
  budgetShare: 0.05,
};

export const MATRIX_EVENTS: StreamSpec = {
  name: 'MATRIX_EVENTS',
  subjects: ['matrix.>'],
  description:
    'Matrix events; the subject is the routing key matrix.<principal>.<module>.<eventid>.<priority>',
  maxAgeMs: 30 * DAY,
  duplicateWindowMs: 2 * MINUTE,
  // Three durables read it (sql-projector twice, event-router). Full, it refuses: the outboxes of the gateway
  // and incident-service keep an event until it is stored, so events wait rather than being lost (event-router publishes
  // its operator notices directly and gets the refusal as an error).
  discard: 'new',
  budgetShare: 0.1,
};

export const DLQ: StreamSpec = {
  name: 'DLQ',
  subjects: ['dlq.>'],
  description: 'Messages a consumer gave up on, under dlq.<original subject>, with the reason in headers',
  maxAgeMs: 30 * DAY,
  duplicateWindowMs: 10 * MINUTE,
  // A dead letter waits for an operator: dropping the oldest would lose it silently. Full, it refuses: the
  // consumer runtime then keeps the message in its own stream (nak, retried later) rather than lose it.
  discard: 'new',
  budgetShare: 0.03,
};

/** Streams whose consumers dead-letter through the max-deliveries advisory. */
export const DEAD_LETTERED_STREAMS: readonly StreamSpec[] = [SENSOR_RAW, SENSOR_DATA, MATRIX_EVENTS];

export const DEAD_LETTER_ADVISORIES: StreamSpec = {
  name: 'DEAD_LETTER_ADVISORIES',
  subjects: [],
  description:
    'Max-deliveries advisories of our consumers, kept so no give-up is missed while a relay is down',
  maxAgeMs: 7 * DAY,
  duplicateWindowMs: 2 * MINUTE,
  // The server publishes the advisories and never retries one it could not store: refusing would lose the
  // newest as surely as `old` loses the oldest, and `old` keeps the current give-ups, whose messages are
  // still in their streams when the relay catches up.
  discard: 'old',
  // 0.001 of the 1 % it had went to the CONSUMER_LEASES bucket (a few keys).
  budgetShare: 0.009,
  rawSubjects: (ns) =>
    DEAD_LETTERED_STREAMS.map(
      (stream) => `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${ns.stream(stream.name)}.*`,
    ),
};

const pipelineConsumer = {
  ackWaitMs: 10 * SECOND,
  maxDeliver: 6,
  backoffMs: [10 * SECOND, 30 * SECOND, MINUTE, 2 * MINUTE, 5 * MINUTE],
  maxAckPending: 2000,
} as const;

/**
 * Raw readings on the four-token subjects from before partitions (`sensor.raw.<provider>.<lane>`): what an
 * upgraded deployment still holds, and re-drives of their rejections. Every replica pulls from it (no order
 * across replicas: these are leftovers, not a live lane). Its filter was `sensor.raw.>`; provisioning narrows it.
 */
export const SENSOR_NORMALISER_RAW: ConsumerSpec = {
  stream: SENSOR_RAW.name,
  durable: 'sensor-normaliser-raw',
  description: 'sensor-normaliser: raw readings published before partitions (four-token subjects)',
  filterSubjects: ['sensor.raw.*.*'],
  ...pipelineConsumer,
};

/**
 * Raw readings by partition (`sensor.raw.<provider>.<lane>.p<k>`, SENSOR_RAW_PARTITIONS of them): one durable
 * each, worked by one sensor-normaliser replica at a time, so every lane keeps its order with any number of
 * replicas (docs/scaling.md).
 */
export const SENSOR_NORMALISER_RAW_PARTITIONED: PartitionedConsumerSpec = {
  group: 'sensor-normaliser-raw',
  partitions: Array.from({ length: SENSOR_RAW_PARTITIONS }, (_, k) => ({
    stream: SENSOR_RAW.name,
    durable: `sensor-normaliser-raw-p${k}`,
    description: `sensor-normaliser: raw readings of the lanes in partition ${k}, one replica at a time`,
    filterSubjects: [`sensor.raw.*.*.p${k}`],
    ...pipelineConsumer,
  })),
};

export const SQL_PROJECTOR_SENSOR_DATA: ConsumerSpec = {
  stream: SENSOR_DATA.name,
  durable: 'sql-projector-sensor-data',
  description: 'sql-projector: writes data points into matrix.sensor_data',
  filterSubjects: ['sensor.data.>'],
  ...pipelineConsumer,
};

export const SQL_PROJECTOR_MATRIX_EVENTS: ConsumerSpec = {
  stream: MATRIX_EVENTS.name,
  durable: 'sql-projector-matrix-events',
  description: 'sql-projector: writes Matrix events into matrix.events',
  filterSubjects: ['matrix.>'],
  ...pipelineConsumer,
};

/**
 * The registry and workforce read models (matrix.zones, levels, incidents, tasks, shifts): a durable of its
 * own beside sql-projector-matrix-events, so the read models can be rebuilt (delete it, they are replayed
 * from the stream) without touching matrix.events, and a failure of one projection never holds the other.
 */
export const SQL_PROJECTOR_READ_MODELS: ConsumerSpec = {
  stream: MATRIX_EVENTS.name,
  durable: 'sql-projector-read-models',
  description: 'sql-projector: keeps the registry and workforce read models (matrix.zones, incidents, …)',
  filterSubjects: ['matrix.>'],
  ...pipelineConsumer,
};

export const EVENT_ROUTER_MATRIX_EVENTS: ConsumerSpec = {
  stream: MATRIX_EVENTS.name,
  durable: 'event-router-matrix-events',
  description: 'event-router: queues Matrix events for the push subscriptions whose patterns match',
  filterSubjects: ['matrix.>'],
  ...pipelineConsumer,
};

export const EVENT_ROUTER_SENSOR_DATA: ConsumerSpec = {
  stream: SENSOR_DATA.name,
  durable: 'event-router-sensor-data',
  description: 'event-router: queues sensor data for the push subscriptions whose patterns match',
  filterSubjects: ['sensor.data.>'],
  ...pipelineConsumer,
};

/**
 * The slot types incident-service's solutions watch (docs/solutions.md): people counters and usage
 * monitors, feedback, consumables, bins, spills and air quality. Its consumer takes all of `sensor.data.>`
 * (nats-server 2.9 allows one filter subject per consumer) and acks the messages of other types (occupancy,
 * tilt, temperature-humidity) by their subject, without validating their points.
 */
export const SOLUTION_SLOT_TYPES = [
  'BIN',
  'FD',
  'ODRDTR',
  'ODRDTR_10_IN_1',
  'ODRDTR_BATT_V1',
  'PPLCTR',
  'PT',
  'SS',
  'TR',
  'UM',
  'WD',
] as const;

export const INCIDENT_SERVICE_SENSOR_DATA: ConsumerSpec = {
  stream: SENSOR_DATA.name,
  durable: 'incident-service-sensor-data',
  description: 'incident-service: raises incidents from the readings its solutions watch',
  filterSubjects: ['sensor.data.>'],
  ...pipelineConsumer,
  // Its messages are acked after the checkpoint that commits their effect (every second): a second of
  // readings at full ingest (~2,500 messages) and the checkpoint's own time are unacked at once. More
  // would only queue in the process (the service applies one batch at a time).
  maxAckPending: 6_000,
  // Created on a platform that already holds days of readings (an upgrade), it starts with the next one:
  // readings from before the solutions existed raise no incidents now.
  deliverFrom: 'new',
};

export const DEAD_LETTER_RELAY: ConsumerSpec = {
  stream: DEAD_LETTER_ADVISORIES.name,
  durable: 'dead-letter-relay',
  description: 'Moves messages named by max-deliveries advisories into the DLQ stream',
  filterSubjects: [],
  ackWaitMs: 30 * SECOND,
  maxDeliver: 20,
  backoffMs: [30 * SECOND, MINUTE, 5 * MINUTE],
  maxAckPending: 100,
};

/** The platform's whole JetStream topology, provisioned by `matrix-cli provision`. */
export const MATRIX_TOPOLOGY: Topology = {
  streams: [SENSOR_RAW, SENSOR_DATA, SENSOR_REJECTED, MATRIX_EVENTS, DLQ, DEAD_LETTER_ADVISORIES],
  consumers: [
    SENSOR_NORMALISER_RAW,
    ...SENSOR_NORMALISER_RAW_PARTITIONED.partitions,
    SQL_PROJECTOR_SENSOR_DATA,
    SQL_PROJECTOR_MATRIX_EVENTS,
    SQL_PROJECTOR_READ_MODELS,
    DEAD_LETTER_RELAY,
    EVENT_ROUTER_MATRIX_EVENTS,
    EVENT_ROUTER_SENSOR_DATA,
    INCIDENT_SERVICE_SENSOR_DATA,
  ],
};
