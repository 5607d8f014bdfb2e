import { Global, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HealthRegistry, JsonLogger, MetricsService } from '@matrix/platform';
import { NatsClient } from './connection/nats-client';
import type { MessagingOptions } from './connection/messaging-options';
import { DeadLetterPublisher } from './consumer/dead-letter-publisher';
import { MessagingExplorer, RUN_DEAD_LETTER_RELAY } from './messaging.explorer';
import { JetStreamPublisher } from './publisher/jetstream-publisher';
import { CommandBus } from './request-reply/command-bus';

export interface MessagingModuleOptions extends MessagingOptions {
  /** Run the shared dead-letter relay (max-deliveries advisories → DLQ). Default true. */
  deadLetterRelay?: boolean;
}

@Global()
@Module({})
export class MessagingModule implements OnModuleInit {
  constructor(
    private readonly health: HealthRegistry,
    private readonly client: NatsClient,
  ) {}

  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: NatsClient, useFactory: () => new NatsClient(options).connect() },
        {
          provide: JetStreamPublisher,
          useFactory: (client: NatsClient) => new JetStreamPublisher(client),
          inject: [NatsClient],
        },
        {
          provide: DeadLetterPublisher,
          useFactory: (client: NatsClient, metrics: MetricsService) => {
            const deadLetters = metrics.counter({
              name: 'matrix_dead_letters_total',
              help: 'Messages stored in the dead-letter stream, by source stream, durable and why (rejected, retries_exhausted, no_outcome)',
              labelNames: ['stream', 'consumer', 'reason_kind'],
            });
            return new DeadLetterPublisher(client, (stream, consumer, kind) =>
              deadLetters.inc({ stream, consumer, reason_kind: kind }),
            );
          },
          inject: [NatsClient, MetricsService],
        },
        {
          provide: CommandBus,
          useFactory: (client: NatsClient, logger: JsonLogger) => new CommandBus(client, logger),
          inject: [NatsClient, JsonLogger],
        },
        { provide: RUN_DEAD_LETTER_RELAY, useValue: options.deadLetterRelay ?? true },
        MessagingExplorer,
      ],
      exports: [NatsClient, JetStreamPublisher, DeadLetterPublisher, CommandBus],
    };
  }

  onModuleInit(): void {
    this.health.register('nats', () => this.client.ping());
  }
}
