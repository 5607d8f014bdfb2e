import type { JetStreamPublisher } from '../publisher/jetstream-publisher';
import type { NatsClient } from '../connection/nats-client';
import { JetStreamOutboxSink } from './jetstream-outbox-sink';

describe('JetStreamOutboxSink', () => {
  const published: unknown[] = [];
  const publisher = { publish: (message: unknown) => (published.push(message), Promise.resolve({})) };
  const nats = {
    get nc(): never {
      throw new Error('no connection in this test');
    },
  };
  const sink = new JetStreamOutboxSink(
    nats as unknown as NatsClient,
    publisher as unknown as JetStreamPublisher,
  );

  it('publishes an event with the row’s message id', async () => {
    await sink.publishEvent({
      subject: 'matrix.b1.scgrids.ZONE_CREATED.LOW',
      payload: { a: 1 },
      msgId: 'outbox:7',
    });
    expect(published).toEqual([
      { subject: 'matrix.b1.scgrids.ZONE_CREATED.LOW', payload: { a: 1 }, msgId: 'outbox:7' },
    ]);
  });

  it('refuses a KV change for a bucket that is not one of the Matrix buckets, before touching NATS', async () => {
    await expect(sink.putKv('NO_SUCH_BUCKET', 'k', 1)).rejects.toThrow(
      'outbox row for unknown KV bucket NO_SUCH_BUCKET',
    );
    await expect(sink.deleteKv('NO_SUCH_BUCKET', 'k')).rejects.toThrow(/unknown KV bucket/);
  });
});
