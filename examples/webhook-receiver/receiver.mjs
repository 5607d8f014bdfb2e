// A push endpoint for a Matrix subscription (docs/delivery.md): verifies each POST's Standard Webhooks
// signature with the subscription's secret, parses the batch into typed Matrix events or sensor data
// points, drops repeats by webhook-id, and prints one JSON line per event or point.
//   MATRIX_WEBHOOK_SECRET=whsec_… PORT=8000 node examples/webhook-receiver/receiver.mjs
import http from 'node:http';
import { WebhookReceiver, webhookHandler } from '@matrix-platform/sdk/webhooks';

const secret = process.env.MATRIX_WEBHOOK_SECRET;
if (!secret) {
  console.error('set MATRIX_WEBHOOK_SECRET to the subscription secret (whsec_…)');
  process.exit(2);
}
const port = Number(process.env.PORT ?? 8000);
const host = process.env.HOST ?? '127.0.0.1';

const receiver = new WebhookReceiver({ secret });
/** webhook-ids handled: a retry, resend or replay of a batch carries the same id. Keep them for a while. */
const handled = new Set();

const server = http.createServer(
  webhookHandler(receiver, async (batch) => {
    if (handled.has(batch.webhookId)) return;
    // Store the batch here; a throw answers 500 and the platform sends the batch again later.
    if (batch.kind === 'matrix-events') {
      for (const event of batch.events) {
        print({
          webhookId: batch.webhookId,
          event: event.Event,
          routingKey: event.RoutingKey,
          meta: event.Meta,
        });
      }
    } else {
      for (const point of batch.points) {
        print({
          webhookId: batch.webhookId,
          encoding: batch.encoding,
          device: point.DEVID,
          type: point.DevType,
          zone: point.InsID,
          unixT: point.unixT,
          v: point.v,
        });
      }
    }
    handled.add(batch.webhookId);
  }),
);

function print(line) {
  console.log(JSON.stringify(line));
}

server.listen(port, host, () => print({ listening: `http://${host}:${server.address().port}/` }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
