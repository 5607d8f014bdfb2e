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
} as const;
