import type { ConsumerGate } from './consumer-gate';
import { SetMetadata } from '@nestjs/common';
import type { ConsumerSpec, PartitionedConsumerSpec } from '../topology/topology.types';
import type { MessageDecoder } from './inbound-message';

export const CONSUME_BATCH = Symbol('CONSUME_BATCH');

export interface ConsumeBatchOptions<T> {
  decode: MessageDecoder<T>;
  /** A batch is handed over when it holds this many messages (at most the consumer's maxAckPending)… */
  maxMessages: number;
  /** …or this long after its first message arrived, whichever comes first. */
  maxWaitMs: number;
  /** Batches handled at once. Default 1: one batch after another, in stream order. */
  concurrency?: number;
  /**
   * The gate of the consumer, from the instance the handler belongs to: it pulls only while the gate is
   * open (e.g. while this replica is the stream's leader; see ConsumerGate). Default: always.
   */
  gate?: (instance: never) => ConsumerGate;
}

export interface ConsumeBatchMetadata<T = unknown> extends ConsumeBatchOptions<T> {
  spec: ConsumerSpec | PartitionedConsumerSpec;
}

/**
 * Marks a method `(messages: InboundMessage<T>[]) => Promise<HandlerOutcome[]>` as the batch handler of
 * a durable consumer declared in the topology: it gets the decoded messages of a batch in stream order and
 * returns one outcome per message, in the same order; each message is acked, retried or dead-lettered by
 * its own outcome. A thrown error retries every message of the batch (each dead-lettered on its last
 * delivery). Messages that fail to decode are dead-lettered on their own and never reach the handler.
 * Started on bootstrap; on shutdown it stops pulling, finishes the batches in flight and naks the rest.
 *
 * Given a `PartitionedConsumerSpec`, the replica works the partitions it holds a lease on (its quota of the
 * live replicas', `PartitionLeases`), each as a consumer of its own with these options, and no partition is
 * worked by two replicas at once.
 */
export function ConsumeBatch<T>(
  spec: ConsumerSpec | PartitionedConsumerSpec,
  options: ConsumeBatchOptions<T>,
): MethodDecorator {
  return SetMetadata(CONSUME_BATCH, { spec, ...options } satisfies ConsumeBatchMetadata<T>);
}
