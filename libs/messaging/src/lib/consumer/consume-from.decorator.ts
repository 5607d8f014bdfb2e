import { SetMetadata } from '@nestjs/common';
import type { ConsumerSpec } from '../topology/topology.types';
import type { MessageDecoder } from './inbound-message';

export const CONSUME_FROM = Symbol('CONSUME_FROM');

export interface ConsumeFromOptions<T> {
  decode: MessageDecoder<T>;
  concurrency?: number;
  orderingKey?: (subject: string) => string;
}

export interface ConsumeFromMetadata<T = unknown> extends ConsumeFromOptions<T> {
  spec: ConsumerSpec;
}

/**
 * Marks a method `(message: InboundMessage<T>) => Promise<HandlerOutcome>` as the handler of a durable
 * consumer declared in the topology. Started on bootstrap, stopped (in-flight work finished) on shutdown.
 */
export function ConsumeFrom<T>(spec: ConsumerSpec, options: ConsumeFromOptions<T>): MethodDecorator {
  return SetMetadata(CONSUME_FROM, { spec, ...options } satisfies ConsumeFromMetadata<T>);
}
