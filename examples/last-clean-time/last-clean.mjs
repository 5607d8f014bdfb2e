// A downstream service that keeps the last clean time of every zone from the TASK_COMPLETED events of
// the workforce module, read from NATS through a durable consumer (it resumes where it stopped), and
// prints the zone's new state as one JSON line per event.
//   NATS_URL=127.0.0.1:4222 node examples/last-clean-time/last-clean.mjs
import { connect } from '@nats-io/transport-node';
import { bindMatrixEvents } from '@matrix-platform/sdk/nats';

const nc = await connect({ servers: process.env.NATS_URL ?? '127.0.0.1:4222' });
const events = await bindMatrixEvents(nc, {
  subject: 'matrix.*.scworkforcemanagement.TASK_COMPLETED.*',
  durable: process.env.DURABLE ?? 'example-last-clean-time',
  // The platform's NATS_NAMESPACE, when it runs in one (tests do); empty for the documented subjects.
  namespace: process.env.NATS_NAMESPACE ?? '',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => events.close());

/** zone id → { zoneName, building, lastCleanAt (epoch seconds) } */
const lastClean = new Map();

for await (const { event } of events) {
  const { Zone, ZoneName, AEnd } = event.Meta;
  const at = AEnd || event.UnixTimeInt;
  // Events can arrive late (a redelivery): keep the latest time.
  if (!((lastClean.get(Zone)?.lastCleanAt ?? 0) > at)) {
    lastClean.set(Zone, { zoneName: ZoneName, building: event.Principal, lastCleanAt: at });
  }
  const state = lastClean.get(Zone);
  console.log(
    JSON.stringify({
      zone: Zone,
      ...state,
      lastCleanAtIso: new Date(state.lastCleanAt * 1000).toISOString(),
    }),
  );
}
await nc.drain();
