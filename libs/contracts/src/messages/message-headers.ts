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
  /** `<stream>:<sequence>` of the rejection a re-driven reading came from. */
  redrivenFrom: 'Matrix-Redriven-From',
  /**
   * On every `SENSOR_RAW` and `SENSOR_DATA` message (a JSON array of points, ADR-10): the reading id
   * (ADR-4) of each point, comma-separated, in array order. A re-driven reading carries its original id
   * here too, though its own `Nats-Msg-Id` (`redrive:<id>:<run>`) differs so that `SENSOR_RAW` does not
   * drop it as a duplicate of the original. (`Matrix-Reading-Id`, the single id re-drives carried before
   * they published arrays, is no longer read.)
   */
  readingIds: 'Matrix-Reading-Ids',
  /** Id of the ingest key that posted a raw batch (see push-ingress). */
  ingestKeyId: 'Matrix-Ingest-Key',
  /** Building (PID) of the ingest key that posted a raw batch: points of other buildings' devices are rejected. */
  ingestPid: 'Matrix-Ingest-Pid',
} as const;
