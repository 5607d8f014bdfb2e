import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { HealthRegistry, JsonLogger, MetricsService } from '@matrix/platform';
import { NatsClient } from './connection/nats-client';
import { CONSUME_BATCH, type ConsumeBatchMetadata } from './consumer/consume-batch.decorator';
import { BatchConsumerRunner, type BatchConsumerRegistration } from './consumer/batch-consumer-runner';
import type { InboundMessage } from './consumer/inbound-message';
import type { ConsumerMetrics } from './consumer/message-settlement';
import type { HandlerOutcome } from './consumer/outcome';
import { DeadLetterPublisher } from './consumer/dead-letter-publisher';
import type { PartitionedConsumerSpec } from './topology/topology.types';
import { deadLetterRelay } from './dead-letter/dead-letter-relay';
import { CommandBus } from './request-reply/command-bus';
import type { CommandSpec } from './request-reply/command';
import { HANDLE_COMMAND } from './request-reply/handle-command.decorator';
import { PartitionedConsumer } from './partitions/partitioned-consumer';

export const RUN_DEAD_LETTER_RELAY = Symbol('RUN_DEAD_LETTER_RELAY');

/**
 * Finds `@ConsumeBatch` and `@HandleCommand` methods, starts them after bootstrap (and the dead-letter
 * relay, when asked), and
 * on shutdown stops them (finishing in-flight work) before the NATS connection drains.
 */
@Injectable()
export class MessagingExplorer
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly runners: BatchConsumerRunner<unknown>[] = [];
  private readonly partitioned: PartitionedConsumer[] = [];
  private readonly metrics: ConsumerMetrics;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly client: NatsClient,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly commands: CommandBus,
    private readonly logger: JsonLogger,
    metrics: MetricsService,
    health: HealthRegistry,
    @Inject(RUN_DEAD_LETTER_RELAY) private readonly runRelay: boolean,
  ) {
    health.register('consumers', async () => {
      const problems = [...this.runners, ...this.partitioned].map((runner) => runner.problem).filter(Boolean);
      if (problems.length > 0) throw new Error(problems.join('; '));
    });
    const histogram = metrics.histogram({
      name: 'matrix_consumer_message_seconds',
      help: 'Time to handle one JetStream message, by consumer and outcome',
      labelNames: ['consumer', 'outcome'],
      buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10],
    });
    const batches = metrics.histogram({
      name: 'matrix_consumer_batch_messages',
      help: 'Messages handed to a batch handler at once, by consumer',
      labelNames: ['consumer'],
      buckets: [1, 10, 50, 100, 250, 500, 1000],
    });
    this.metrics = {
      outcome: (consumer, outcome, seconds) => histogram.observe({ consumer, outcome }, seconds),
      batch: (consumer, size) => batches.observe({ consumer }, size),
    };
  }

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const handler = instance[method] as (...args: unknown[]) => Promise<unknown>;
        const batch = this.reflector.get<ConsumeBatchMetadata | undefined>(CONSUME_BATCH, handler);
        if (batch) {
          const { spec, ...options } = batch;
          const registration = {
            decode: options.decode,
            maxMessages: options.maxMessages,
            maxWaitMs: options.maxWaitMs,
            concurrency: options.concurrency,
            ...(options.gate ? { gate: options.gate(instance as never) } : {}),
            handle: (messages: InboundMessage<unknown>[]) =>
              handler.call(instance, messages) as Promise<HandlerOutcome[]>,
          };
          if ('partitions' in spec) this.startPartitioned(spec, registration);
          else this.startConsumer({ spec, ...registration });
        }
        const command = this.reflector.get<CommandSpec<unknown, unknown> | undefined>(
          HANDLE_COMMAND,
          handler,
        );
        if (command) this.commands.serve(command, (request) => handler.call(instance, request));
      }
    }
    if (this.runRelay) {
      this.startConsumer(
        deadLetterRelay(this.client, this.deadLetters) as BatchConsumerRegistration<unknown>,
      );
    }
  }

  private startConsumer(registration: BatchConsumerRegistration<unknown>): void {
    const runner = new BatchConsumerRunner(
      this.client,
      this.deadLetters,
      registration,
      this.logger,
      this.metrics,
    );
    runner.start();
    this.runners.push(runner);
    this.logger.log(
      `consuming ${registration.spec.stream}/${registration.spec.durable} in batches of up to ${registration.maxMessages} (${registration.maxWaitMs} ms)`,
      'Messaging',
    );
  }

  /** Works the partitions this replica holds leases on, each through a runner of its own. */
  private startPartitioned(
    spec: PartitionedConsumerSpec,
    registration: Omit<BatchConsumerRegistration<unknown>, 'spec'>,
  ): void {
    const consumer = new PartitionedConsumer(
      this.client,
      spec,
      (partition) =>
        new BatchConsumerRunner(
          this.client,
          this.deadLetters,
          { ...registration, spec: partition },
          this.logger,
          this.metrics,
        ),
      this.logger,
    );
    consumer.start();
    this.partitioned.push(consumer);
    this.logger.log(
      `consuming the ${spec.partitions.length} partitions of ${spec.group} this replica (${consumer.member}) holds a lease on, in batches of up to ${registration.maxMessages} (${registration.maxWaitMs} ms)`,
      'Messaging',
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([
      ...this.runners.map((runner) => runner.stop()),
      ...this.partitioned.map((consumer) => consumer.stop()),
      this.commands.stop(),
    ]);
    this.logger.log('consumers stopped; in-flight messages settled', 'Messaging');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.drain();
    this.logger.log('NATS connection drained', 'Messaging');
  }
}
