import type { ConsumerSpec, KvBucketSpec, Namespace, StreamSpec } from '@matrix/messaging';

/** A stream or bucket to poll: the label it is exported under and the JetStream stream name. */
export interface PolledStream {
  readonly label: string;
  readonly kind: 'stream' | 'kv';
  readonly streamName: string;
}

export interface PolledConsumer {
  readonly stream: string;
  readonly streamName: string;
  readonly durable: string;
  readonly durableName: string;
}

/**
 * The streams, buckets and durables of the platform in one deployment namespace. Labels are the names
 * without the namespace (`SENSOR_RAW`, `DEVICE_SLOTS`, `sql-projector-sensor-data`), so alert rules hold
 * for every deployment.
 */
export function polledObjects(
  streams: readonly StreamSpec[],
  buckets: readonly KvBucketSpec[],
  consumers: readonly ConsumerSpec[],
  ns: Namespace,
): { streams: PolledStream[]; consumers: PolledConsumer[] } {
  return {
    streams: [
      ...streams.map((s) => ({ label: s.name, kind: 'stream' as const, streamName: ns.stream(s.name) })),
      ...buckets.map((b) => ({ label: b.name, kind: 'kv' as const, streamName: `KV_${ns.stream(b.name)}` })),
    ],
    consumers: consumers.map((c) => ({
      stream: c.stream,
      streamName: ns.stream(c.stream),
      durable: c.durable,
      durableName: ns.durable(c.durable),
    })),
  };
}
