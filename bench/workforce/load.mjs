// Load generator of the workforce benchmark (run by run.mjs as its own process, on CPU 1 when
// pinning).
//
//   node bench/workforce/load.mjs '<json spec>'
//
// `kind: "create"`: SC-HMAC-signed `scteams.createIncidentWithoutAssignee` calls to the gateway's actions
// API, each with its own incident (a unique Name, so the request key differs; zones in turn; `Start` now).
// Every answer must be 200 SUCCESS "Incident created" with an open incident. The process also subscribes
// to the run's `<ns>.matrix.<building>.scworkforcemanagement.>` and notes when each INCIDENT_CREATED_OPEN
// arrives; create → event is measured from sending the request to the arrival of the event whose
// `Meta.TaskId` the answer named (events may arrive before the HTTP answer). After the last answer it
// waits up to `eventGraceMs` for missing events and reports how many never came.
//
// `kind: "zone"`: `scteams.getUnassignedIncidentsForZone` calls, zones in turn, for `[StartTime, EndTime]`;
// every answer must be 200 SUCCESS with a list of open incidents of that zone.
//
// With `autoAssigned`, creates carry `AutoAssigned: true` and must be answered ASSIGNED; the event awaited
// is then INCIDENT_CREATED (the assignment), which follows the create's INCIDENT_CREATED_OPEN.
//
// `kind: "onshift"`: `scteams.getAvailabilityForIncident` for `Incident{End: now, Zone}` (who would get an
// auto-assigned incident of the zone now), zones in turn; every answer must be 200 SUCCESS naming the zone
// with at least one candidate on shift.
//
// `kind: "lastclean"`: `scteams.getLastNTasks` with `TasksFor: ZONE, Limit: 1` over [`startTime`,
// `endTime`] (the zone's last completed task group: its last clean time), zones in turn; every answer must
// be 200 SUCCESS with one COMPLETED task group of that zone.
//
// `kind: "nats"`: the raw baseline, plain NATS requests with `payload` to `subject`, answered by
// nats-responder.mjs; every reply must have the responder's length.
//
// `concurrency` clients (HTTP: one keep-alive socket each), `warmupMs` then `durationMs`; only requests
// *started* in the measured window count. Closed loop by default: each client sends its next request when
// the answer to the last one arrives. With `rate` (requests/s, all clients together) the load is paced
// (open loop): client i sends its k-th request at start + (i + k × concurrency) / rate, and latency is
// measured from that intended time, so a request that waited for its client's previous answer counts its
// wait too (no coordinated omission); when the window ends with a client still behind, the sends it could
// not make in time count as errors ("not offered in time"). Prints one JSON line of results on stdout.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { connect } from '@nats-io/transport-node';
import { hardTimeLimit, readSpec } from '../lib/child.mjs';

const spec = readSpec('load.mjs', ['kind', 'concurrency', 'durationMs']);
const warmupMs = spec.warmupMs ?? 0;
const timeoutMs = spec.timeoutMs ?? 10_000;
const eventGraceMs = spec.eventGraceMs ?? 10_000;
hardTimeLimit('load.mjs', warmupMs + spec.durationMs + timeoutMs + eventGraceMs + 20_000);

const now = () => performance.timeOrigin + performance.now();
const started = now();
const measureFrom = started + warmupMs;
const measureTo = measureFrom + spec.durationMs;

/** @type {number[]} */
const latencies = [];
/** @type {Record<string, number>} */
const errorKinds = {};
let errors = 0;
/** Paced requests of the window never sent because their client was still behind when it ended. */
let notOffered = 0;
/** How many of a client's intended sends, from `first` on, fall inside the measured window. */
const countNotOffered = (first) =>
  Math.max(
    0,
    Math.ceil((measureTo - Math.max(first, measureFrom)) / ((spec.concurrency / spec.rate) * 1000)),
  );
let warmupRequests = 0;
let bytes = 0;
let items = 0;
const fail = (kind) => {
  errors += 1;
  errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
};

// ------------------------------------------------------------------------------------ HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });

function signed(op) {
  const { module, propid, accessKey, secretKey } = spec.auth;
  const time = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', Buffer.from(secretKey, 'utf8'))
    .update(`${module}/${propid}/${op}/${accessKey}/${time}`, 'utf8')
    .digest('hex');
  return {
    'x-sc-identity': 'external',
    'x-sc-time': time,
    authorization: `SCHMAC_V1;${accessKey};${signature}`,
  };
}

/** @returns {Promise<{ status: number, body: Buffer } | { error: string }>} */
function post(body) {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  return new Promise((resolve) => {
    const request = http.request(
      {
        agent,
        host: spec.host,
        port: spec.port,
        method: 'POST',
        path: spec.path,
        headers: {
          ...signed(spec.op),
          'content-type': 'application/json',
          'content-length': String(payload.length),
        },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
        response.on('error', (error) => resolve({ error: error.message }));
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => resolve({ error: error.message }));
    request.end(payload);
  });
}

const parse = (buffer) => {
  try {
    return JSON.parse(buffer.toString('utf8'));
  } catch {
    return undefined;
  }
};

let sequence = 0;
const tag = `${process.pid.toString(36)}${Date.now().toString(36)}`;
const PRIORITIES = ['N', 'M', 'H', 'L'];

/** Sent time of each measured create, by the TaskId its answer named. */
const sentAt = new Map();
/** Arrival time of each INCIDENT_CREATED_OPEN, by TaskId. */
const eventAt = new Map();
let duplicateEvents = 0;

const kinds = {
  create: {
    body() {
      const n = sequence++;
      const start = Math.floor(Date.now() / 1000);
      return {
        Incident: {
          Start: start,
          End: start + 1800,
          Name: `Bench incident ${tag}-${n}`,
          Priority: PRIORITIES[n % 4],
          Tasks: [{ Name: 'Wipe mirror.' }, { Name: 'Refill soap.' }],
          Zone: spec.zones[n % spec.zones.length],
          By: 'KG',
          EventSource: 'HK',
          ...(spec.autoAssigned ? { AutoAssigned: true } : {}),
        },
      };
    },
    /** @returns {string | undefined} what is wrong */
    check(json, counted, sent) {
      const data = json?.data;
      if (json?.code !== 'SUCCESS' || json.message !== 'Incident created')
        return `answer ${json?.code} ${json?.message}`;
      const status = spec.autoAssigned ? 'ASSIGNED' : 'NOT_ASSIGNED';
      if (data?.Status !== status || typeof data.TaskId !== 'string') {
        return `not ${spec.autoAssigned ? 'an assigned' : 'an open'} incident: ${data?.Status} ${JSON.stringify(data?.AutoAssignment ?? '')}`;
      }
      if (counted) sentAt.set(data.TaskId, sent);
      return undefined;
    },
  },
  onshift: {
    body() {
      const n = sequence++;
      return { Incident: { End: Math.floor(Date.now() / 1000), Zone: spec.zones[n % spec.zones.length] } };
    },
    check(json, counted, _sent, body) {
      if (json?.code !== 'SUCCESS') return `answer ${json?.code} ${json?.message}`;
      const candidates = json.data?.Candidates;
      if (json.data?.Zone !== body.Incident.Zone || !Array.isArray(candidates) || candidates.length === 0) {
        return 'no candidate on shift for the zone';
      }
      if (counted) items += candidates.length;
      return undefined;
    },
  },
  lastclean: {
    body() {
      const n = sequence++;
      return {
        StartTime: spec.startTime,
        EndTime: spec.endTime,
        Limit: 1,
        TasksFor: 'ZONE',
        zoneId: spec.zones[n % spec.zones.length],
      };
    },
    check(json, counted, _sent, body) {
      if (json?.code !== 'SUCCESS' || !Array.isArray(json.data))
        return `answer ${json?.code} ${json?.message}`;
      const [task] = json.data;
      if (
        json.data.length !== 1 ||
        task.Zone !== body.zoneId ||
        task.Status !== 'COMPLETED' ||
        !(task.AEnd > 0)
      ) {
        return 'not the last completed task group of the zone';
      }
      if (counted) items += 1;
      return undefined;
    },
  },
  zone: {
    body() {
      const n = sequence++;
      return { zoneId: spec.zones[n % spec.zones.length], StartTime: spec.startTime, EndTime: spec.endTime };
    },
    check(json, counted, _sent, body) {
      if (json?.code !== 'SUCCESS' || !Array.isArray(json.data))
        return `answer ${json?.code} ${json?.message}`;
      for (const incident of json.data) {
        if (incident.Zone !== body.zoneId || incident.Status !== 'NOT_ASSIGNED')
          return 'an incident of another zone or status';
      }
      if (counted) items += json.data.length;
      return undefined;
    },
  },
};

/** The pacing of client `index`: when its next request is due (now when closed loop). */
function schedule(index) {
  if (!spec.rate) return () => Promise.resolve(now());
  let k = 0;
  return async () => {
    const due = started + ((index + k * spec.concurrency) / spec.rate) * 1000;
    k += 1;
    // A timer may fire up to a millisecond early (libuv's cached, whole-millisecond clock): wait out the
    // rest so no request leaves before its time (which would understate its latency).
    while (due - now() >= 1) await new Promise((resolve) => setTimeout(resolve, Math.floor(due - now())));
    while (now() < due) await new Promise((resolve) => setImmediate(resolve));
    return due;
  };
}

async function httpClient(kind, index) {
  const next = schedule(index);
  for (;;) {
    const sent = await next();
    if (sent >= measureTo) return;
    // Paced and so far behind that the window is over: the rest could not be offered in time.
    if (now() >= measureTo) {
      notOffered += countNotOffered(sent);
      return;
    }
    const counted = sent >= measureFrom;
    const body = kind.body();
    const result = await post(body);
    const latency = now() - sent;
    if (!counted) warmupRequests += 1;
    if ('error' in result) {
      if (counted) fail(`network: ${result.error}`);
      continue;
    }
    if (counted) {
      latencies.push(latency);
      bytes += result.body.length;
    }
    if (result.status !== 200) {
      if (counted) fail(`HTTP ${result.status}: ${result.body.toString('utf8').slice(0, 120)}`);
      continue;
    }
    const wrong = kind.check(parse(result.body), counted, sent, body);
    if (wrong && counted) fail(wrong);
  }
}

// ------------------------------------------------------------------------------------ NATS

async function natsClient(nc, payload, index) {
  const next = schedule(index);
  for (;;) {
    const sent = await next();
    if (sent >= measureTo) return;
    // Paced and so far behind that the window is over: the rest could not be offered in time.
    if (now() >= measureTo) {
      notOffered += countNotOffered(sent);
      return;
    }
    const counted = sent >= measureFrom;
    try {
      const reply = await nc.request(spec.subject, payload, { timeout: timeoutMs });
      const latency = now() - sent;
      if (!counted) {
        warmupRequests += 1;
        continue;
      }
      latencies.push(latency);
      bytes += reply.data.length;
      if (reply.data.length !== spec.replyBytes) fail(`reply of ${reply.data.length} bytes`);
    } catch (error) {
      if (counted) fail(`nats: ${error.message}`);
    }
  }
}

// ------------------------------------------------------------------------------------ the run

const percentile = (sorted, q) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN;
const round = (x) => Math.round(x * 100) / 100;
const summary = (values) => {
  const sorted = Float64Array.from(values).sort();
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
};

let events;
if (spec.kind === 'nats' || spec.kind === 'create') {
  const nc = await connect({ servers: spec.natsUrl.split(','), name: `bench-workforce-${spec.kind}` });
  if (spec.kind === 'nats') {
    const payload = Buffer.from(spec.payload, 'utf8');
    await Promise.all(Array.from({ length: spec.concurrency }, (_, i) => natsClient(nc, payload, i)));
  } else {
    nc.subscribe(spec.eventSubject, {
      callback: (error, message) => {
        if (error) return;
        const at = now();
        const awaited = spec.autoAssigned ? 'INCIDENT_CREATED' : 'INCIDENT_CREATED_OPEN';
        if (message.subject.split('.').at(-2) !== awaited) return;
        const taskId = message.json()?.Meta?.TaskId;
        if (typeof taskId !== 'string') return;
        if (eventAt.has(taskId)) duplicateEvents += 1;
        else eventAt.set(taskId, at);
      },
    });
    await nc.flush();
    await Promise.all(Array.from({ length: spec.concurrency }, (_, i) => httpClient(kinds.create, i)));
    const lastAnswer = now();
    const missing = () => [...sentAt.keys()].filter((id) => !eventAt.has(id)).length;
    while (missing() > 0 && now() - lastAnswer < eventGraceMs) await new Promise((r) => setTimeout(r, 50));
    const delays = [];
    for (const [taskId, sent] of sentAt) {
      const at = eventAt.get(taskId);
      if (at !== undefined) delays.push(at - sent);
    }
    events = { ...summary(delays), expected: sentAt.size, missing: missing(), duplicates: duplicateEvents };
  }
  await nc.close();
} else if (spec.kind in kinds) {
  await Promise.all(Array.from({ length: spec.concurrency }, (_, i) => httpClient(kinds[spec.kind], i)));
} else {
  process.stderr.write(`load.mjs: unknown kind ${spec.kind}\n`);
  process.exit(64);
}
agent.destroy();

const requests = summary(latencies);
process.stdout.write(
  `${JSON.stringify({
    ...requests,
    requests: requests.count,
    warmupRequests,
    rps: round(latencies.length / (spec.durationMs / 1000)),
    errors: errors + notOffered,
    errorKinds: notOffered
      ? { ...errorKinds, [`not offered in time (${notOffered} requests)`]: notOffered }
      : errorKinds,
    bytesPerResponse: latencies.length ? Math.round(bytes / latencies.length) : 0,
    ...(spec.kind !== 'create' && spec.kind !== 'nats'
      ? { itemsPerResponse: round(items / Math.max(1, latencies.length)) }
      : {}),
    ...(events ? { events } : {}),
  })}\n`,
);
process.exit(0);
