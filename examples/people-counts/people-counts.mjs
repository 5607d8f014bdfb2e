// An integrator's script on the SDK: creates a zone with a people counter in a building, posts three
// readings to push-ingress with an ingest key of the building, then reads the zone's past people counts
// back over REST v1 (they are there once the pipeline has normalised and stored them) and prints them.
//   MATRIX_GATEWAY_URL=http://127.0.0.1:8080 MATRIX_INGEST_URL=http://127.0.0.1:8081 \
//   MATRIX_ACCESS_KEY=… MATRIX_SECRET_KEY=… MATRIX_PROPID=… MATRIX_PID=… MATRIX_LEVEL_ID=… \
//   node examples/people-counts/people-counts.mjs
import { MatrixClient, scHmacAuth } from '@matrix-platform/sdk';

const NAMES = ['GATEWAY_URL', 'INGEST_URL', 'ACCESS_KEY', 'SECRET_KEY', 'PROPID', 'PID', 'LEVEL_ID'];
const missing = NAMES.filter((name) => !process.env[`MATRIX_${name}`]);
if (missing.length > 0) {
  console.error(`set ${missing.map((name) => `MATRIX_${name}`).join(', ')}`);
  process.exit(2);
}
const env = Object.fromEntries(NAMES.map((name) => [name, process.env[`MATRIX_${name}`]]));
const pid = env.PID;

const client = new MatrixClient({
  baseUrl: env.GATEWAY_URL,
  auth: scHmacAuth({ accessKey: env.ACCESS_KEY, secretKey: env.SECRET_KEY, propId: env.PROPID }),
});
const path = { pid };

// 1. A zone on the level, and a people counter's device slot in it (REST v1).
const name = `Washroom ${new Date().toISOString().slice(11, 19)}`;
const { data: zones } = await client.rest.POST('/v1/buildings/{pid}/zones', {
  params: { path },
  body: { zones: [{ name, lid: env.LEVEL_ID }] },
});
const zone = zones.items[0];
const { data: slot } = await client.rest.POST('/v1/buildings/{pid}/device-slots', {
  params: { path },
  body: { type: 'SMARTCLEAN#PPLCTR', zoneId: zone.insId, display: `${name} people counter` },
});

// 2. An ingest key of the building, and three readings posted with it. push-ingress is not part of the
// gateway's REST v1, so this one call is a plain fetch.
const { data: ingestKey } = await client.rest.POST('/v1/buildings/{pid}/ingest-keys', {
  params: { path },
  body: { name: 'people-counts example' },
});
const minute = 60_000;
const start = Math.floor(Date.now() / minute) * minute - 3 * minute;
const counts = [3, 5, 2];
const readings = counts.map((count, i) => ({
  DEVID: slot.alias,
  DevType: 'SMARTCLEAN#PPLCTR',
  unixT: start + i * minute,
  v: { count, out_count: 0 },
  PID: pid,
  InsID: zone.insId,
}));
// The gateway answers a new key once it is in the INGEST_KEYS bucket push-ingress reads, so it works at once.
const posted = await fetch(`${env.INGEST_URL}/v1/sensor-data`, {
  method: 'POST',
  headers: { authorization: `Bearer ${ingestKey.key}`, 'content-type': 'application/json' },
  body: JSON.stringify(readings),
});
if (posted.status !== 202) throw new Error(`push-ingress answered ${posted.status}: ${await posted.text()}`);

// 3. The zone's past people counts (REST v1, every page), once all three are stored.
const iso = (ms) => new Date(ms).toISOString().replace('Z', '+00:00');
const query = {
  pid,
  zone: zone.insId,
  type: 'SMARTCLEAN#PPLCTR',
  from: iso(start),
  to: iso(start + 10 * minute),
};
let points = [];
for (let attempt = 0; points.length < counts.length; attempt++) {
  if (attempt === 60) throw new Error(`only ${points.length} of ${counts.length} readings stored after 30 s`);
  if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  points = [];
  for await (const point of client.rest.paginate('/v1/sensor-data', { params: { query } }))
    points.push(point);
}
const peopleCounts = points.map((point) => ({ time: point.time, count: point.v.count }));
console.log(
  JSON.stringify({
    zone: { id: zone.insId, name },
    device: slot.alias,
    peopleCounts,
    total: peopleCounts.reduce((sum, reading) => sum + reading.count, 0),
  }),
);
