/** Header names the platform sets on every message it publishes. */
export const HEADER = {
  /** Correlates everything caused by one request (also sent as HTTP `x-correlation-id`). */
  correlationId: 'Matrix-Correlation-Id',
  /** W3C trace context, passed through untouched. */
  traceparent: 'traceparent',
  /** Why a message was dead-lettered. */
  dlqReason: 'Matrix-Dlq-Reason',
  dlqStream: 'Matrix-Dlq-Stream',
  dlqSequence: 'Matrix-Dlq-Sequence',
  dlqConsumer: 'Matrix-Dlq-Consumer',
  dlqDeliveries: 'Matrix-Dlq-Deliveries',
  dlqSubject: 'Matrix-Dlq-Subject',
  /**
   * The reading id (ADR-4) of a raw reading re-driven from `SENSOR_REJECTED`, whose own `Nats-Msg-Id`
   * (`redrive:<id>:<run>`) differs so that `SENSOR_RAW` does not drop it as a duplicate of the original;
   * the normaliser publishes `data:<id>` from this header.
   */
  readingId: 'Matrix-Reading-Id',
  /** `<stream>:<sequence>` of the rejection a re-driven reading came from. */
  redrivenFrom: 'Matrix-Redriven-From',
  /**
   * On a message whose body is a JSON array of points (`SENSOR_RAW` batches, `SENSOR_DATA`): the reading
   * id of each point, comma-separated, in array order.
   */
  readingIds: 'Matrix-Reading-Ids',
  /** Id of the ingest key that posted a raw batch (see push-ingress). */
  ingestKeyId: 'Matrix-Ingest-Key',
  /** Building (PID) of the ingest key that posted a raw batch: points of other buildings' devices are rejected. */
  ingestPid: 'Matrix-Ingest-Pid',
} as const;
