import { Injectable, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthRegistry, PlatformModule } from '@matrix/platform';
import { expectEventually, testNatsUrl, uniqueNamespace } from '@matrix/testing';
import { NatsClient } from '../src/lib/connection/nats-client';
import { ConsumeBatch } from '../src/lib/consumer/consume-batch.decorator';
import type { InboundMessage } from '../src/lib/consumer/inbound-message';
import { Outcome, type HandlerOutcome } from '../src/lib/consumer/outcome';
import { MessagingModule } from '../src/lib/messaging.module';
import { JetStreamPublisher } from '../src/lib/publisher/jetstream-publisher';
import type { CommandSpec } from '../src/lib/request-reply/command';
import { CommandBus } from '../src/lib/request-reply/command-bus';
import { HandleCommand } from '../src/lib/request-reply/handle-command.decorator';
import { deleteTopology, provisionTopology } from '../src/lib/topology/provision';
import { DLQ_STREAM, WORK, anyJson, workConsumer } from './messaging-harness';

const NEST = workConsumer('nest', { ackWaitMs: 5000, backoffMs: [5000, 5000] });
const NEST_BATCH = workConsumer('nestbatch', { ackWaitMs: 5000, backoffMs: [5000, 5000] });
const TOPOLOGY = { streams: [WORK, DLQ_STREAM], consumers: [NEST, NEST_BATCH] };
const ECHO: CommandSpec<{ text: string }, { echoed: string }> = {
  subject: 'test.echo.say.v1',
  decodeRequest: (json) => ({ ok: true, value: json as { text: string } }),
  decodeReply: (json) => ({ ok: true, value: json as { echoed: string } }),
};

const handled: number[] = [];
const batches: number[][] = [];
let release: (() => void) | undefined;

@Injectable()
class TestHandlers {
  @ConsumeBatch(NEST, { decode: anyJson, maxMessages: 1, maxWaitMs: 0 })
  async onWork([message]: InboundMessage<unknown>[]): Promise<HandlerOutcome[]> {
    const n = (message!.data as { n: number }).n;
    if (n === 99) await new Promise<void>((resolve) => (release = resolve));
    handled.push(n);
    return [Outcome.done()];
  }

  @ConsumeBatch(NEST_BATCH, { decode: anyJson, maxMessages: 3, maxWaitMs: 60_000 })
  async onBatch(messages: InboundMessage<unknown>[]): Promise<HandlerOutcome[]> {
    batches.push(messages.map((message) => (message.data as { n: number }).n));
    return messages.map((message) =>
      (message.data as { n: number }).n === 2 ? Outcome.skipped('two is skipped') : Outcome.done(),
    );
  }

  @HandleCommand(ECHO)
  async echo(request: { text: string }): Promise<{ echoed: string }> {
    return { echoed: request.text.toUpperCase() };
  }
}

const namespace = uniqueNamespace('nest');
let app: INestApplicationContext;
let admin: NatsClient;

beforeAll(async () => {
  admin = await new NatsClient({ servers: [testNatsUrl()], name: 'test-nest-admin', namespace }).connect();
  await provisionTopology(admin.jsm, TOPOLOGY, admin.namespace);
  app = await NestFactory.createApplicationContext(
    {
      module: class TestAppModule {},
      imports: [
        PlatformModule.forRoot({ service: 'messaging-test', logLevel: 'error' }),
        MessagingModule.forRoot({
          servers: [testNatsUrl()],
          name: 'test-nest',
          namespace,
          deadLetterRelay: false,
        }),
      ],
      providers: [TestHandlers],
    },
    { logger: false },
  );
  await app.init();
});

afterAll(async () => {
  await deleteTopology(admin.jsm, TOPOLOGY, admin.namespace);
  await admin.drain();
});

describe('MessagingModule in a Nest application', () => {
  it('reports NATS and its consumers ready', async () => {
    const report = await expectEventually(async () => {
      const result = await app.get(HealthRegistry).readiness();
      expect(result.ready).toBe(true);
      return result;
    });
    expect(Object.keys(report.checks).sort()).toEqual(['consumers', 'nats']);
  });

  it('delivers to a @ConsumeBatch handler of one message at a time and answers @HandleCommand requests', async () => {
    await app.get(JetStreamPublisher).publish({ subject: 'work.nest.a', payload: { n: 1 }, msgId: 'nest-1' });
    await expectEventually(() => expect(handled).toEqual([1]));
    await expect(app.get(CommandBus).request(ECHO, { text: 'hi' })).resolves.toEqual({ echoed: 'HI' });
  });

  it('delivers batches to @ConsumeBatch handlers', async () => {
    await app
      .get(JetStreamPublisher)
      .publishAll(
        [1, 2, 3].map((n) => ({ subject: `work.nestbatch.k${n}`, payload: { n }, msgId: `nestbatch-${n}` })),
      );
    await expectEventually(async () => {
      expect(batches).toEqual([[1, 2, 3]]);
      const info = await admin.jsm.consumers.info(
        admin.namespace.stream(WORK.name),
        admin.namespace.durable(NEST_BATCH.durable),
      );
      expect(info.num_ack_pending + info.num_pending).toBe(0);
    });
  });

  it('finishes the message in flight before the application closes, then drains NATS', async () => {
    await app
      .get(JetStreamPublisher)
      .publish({ subject: 'work.nest.b', payload: { n: 99 }, msgId: 'nest-99' });
    await expectEventually(() => expect(release).not.toBe(undefined));
    const client = app.get(NatsClient);
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);

    release!();
    await closing;
    expect(handled).toEqual([1, 99]);
    expect(client.nc.isClosed()).toBe(true);
    const info = await admin.jsm.consumers.info(
      admin.namespace.stream(WORK.name),
      admin.namespace.durable(NEST.durable),
    );
    expect(info.num_ack_pending + info.num_pending).toBe(0);
  });
});
