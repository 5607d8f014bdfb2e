import type { InboundMessage } from '@matrix/messaging';
import type { MetricsService } from '@matrix/platform';

export type Projection = 'sensor_data' | 'matrix_events';

/**
 * `matrix_projector_lag_seconds{projection}`: for each message a batch wrote (or found already written),
 * now − the time JetStream stored it. JetStream's timestamp, not the reading's `unixT` or the event's
 * `occurredAt`: those come from device and service clocks, and a backfilled reading is old by design, so
 * they would measure the data's age rather than how far behind the projector is. For SENSOR_DATA the clock
 * starts when the normaliser's message was stored, so ingest and normalising come on top (their backlog is
 * `matrix_jetstream_consumer_pending_messages`).
 */
export function projectionLag(
  metrics: MetricsService,
  projection: Projection,
): (messages: readonly InboundMessage<unknown>[]) => void {
  const histogram = metrics.histogram({
    name: 'matrix_projector_lag_seconds',
    help: 'Seconds from JetStream storing a message to the projector writing it, by projection',
    labelNames: ['projection'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
  });
  const child = histogram.labels(projection);
  return (messages) => {
    const now = Date.now();
    for (const message of messages) child.observe(Math.max(0, (now - message.storedAt.getTime()) / 1000));
  };
}
