// Workforce benchmark: the incident path under load with N incidents stored in one building.
//
//   npm run bench:workforce -- [--incidents 1000000] [--clients 50] [--duration 30] [--warmup 3]
//                              [--zones 500] [--range-days 7] [--zone-rate 500] [--create-rate 200]
//                              [--no-pin] [--no-build] [--out r.json] [--docs]
//
// What it measures, each for `--warmup` s + `--duration` s with `--clients` closed-loop clients:
//   1. `scteams.createIncidentWithoutAssignee` through the gateway's actions API (SC-HMAC v1), forwarded
//      over NATS (`workforce.action.call.v1`) to incident-service: p50/p95/p99/max, req/s, errors;
//   2. for those creates, request sent → INCIDENT_CREATED_OPEN received on a NATS subscription to
//      `<ns>.matrix.<building>.scworkforcemanagement.>` (matched by the TaskId of the answer): p50/p95/p99;
//   3. `scteams.getUnassignedIncidentsForZone` for the last `--range-days` days, zones in turn;
//   4. the raw baseline, same run: plain NATS request/reply to a trivial responder (nats-responder.mjs)
//      with a create's body and answer bytes; every figure is also given as a ratio to it.
// Then 1 and 3 again paced (open loop) at `--create-rate` and `--zone-rate` requests/s shared by the same
// clients, latency from each request's intended send time (0 skips), each beside raw NATS request/reply
// paced at the same rate: the latency a client sees when the machine is not saturated.
// Zone queries run before the creates, so they see the seeded state (creates add open incidents).
//
// How: builds the gateway, incident-service and matrix-cli bundles; finds or starts NATS and PostgreSQL
// (tools/infra, test mode); creates a throwaway database and NATS namespace; provisions, migrates both
// services, bootstraps a tenant; starts gateway and incident-service (on CPU 0 with taskset and ≥ 2 CPUs;
// the load generator load.mjs on CPU 1; PostgreSQL and NATS not pinned); creates one building of
// `--zones` zones and 20 seats over REST; seeds `--incidents` incidents straight in SQL (seed.mjs: rows as
// the service writes them, most resolved, 3 open per zone; its time is printed, not part of the figures);
// prints `explain analyze` of the zone query; measures; prints a markdown table with the machine line;
// `--docs` replaces the block between the workforce markers in docs/benchmarks.md. Everything is removed
// at the end, also on failure or Ctrl-C; the run is bounded to 45 min. Any error exits 1.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import {
  cleanupOnExit,
  log,
  machine,
  nodeProcesses,
  sleep,
  tasksetAvailable,
  wholeFlags,
} from '../lib/harness.mjs';
import {
  figuresRow,
  fmt,
  loadRunner,
  met,
  otherBenchmarks,
  ratio,
  rawBaseline,
  writeDocs,
} from './measure.mjs';
import { MODULE, startWorkforce } from './platform.mjs';
import { seedIncidents } from './seed.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MARK = { start: '<!-- bench:workforce:start -->', end: '<!-- bench:workforce:end -->' };
const HARD_LIMIT_MS = 45 * 60_000;
const SEATS = 20;

const { values: flags } = parseArgs({
  options: {
    incidents: { type: 'string', default: '1000000' },
    clients: { type: 'string', default: '50' },
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    zones: { type: 'string', default: '500' },
    'range-days': { type: 'string', default: '7' },
    'zone-rate': { type: 'string', default: '500' },
    'create-rate': { type: 'string', default: '200' },
    'no-pin': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string' },
    docs: { type: 'boolean', default: false },
  },
});
const whole = wholeFlags(flags);
const settings = {
  incidents: whole('incidents', 0, 20_000_000),
  clients: whole('clients', 1, 500),
  durationMs: whole('duration', 1, 600) * 1000,
  warmupMs: whole('warmup', 0, 60) * 1000,
  zones: whole('zones', 1, 5000),
  rangeDays: whole('range-days', 1, 3650),
  zoneRate: whole('zone-rate', 0, 100_000),
  createRate: whole('create-rate', 0, 100_000),
};

const { onCleanup, cleanup } = cleanupOnExit(HARD_LIMIT_MS);
const pin = !flags['no-pin'] && os.availableParallelism() >= 2 && tasksetAvailable();
const { startNode, runNode } = nodeProcesses({ pin, onCleanup });

// ------------------------------------------------------------------------------------ processes

const runLoad = loadRunner(runNode, {
  concurrency: settings.clients,
  warmupMs: settings.warmupMs,
  durationMs: settings.durationMs,
});

// ------------------------------------------------------------------------------------ the run

async function main() {
  const { infra, tenant, port, pid, zones, seats, actionsPath, auth, stopServices } = await startWorkforce({
    name: 'workforce',
    ns: 'wf',
    build: !flags['no-build'],
    onCleanup,
    startNode,
    runNode,
    zones: settings.zones,
    seats: SEATS,
    timeZone: 'Europe/Berlin',
    pin,
  });

  const nowMs = Date.now();
  log(`seeding ${settings.incidents} incidents in ${zones.length} zones…`);
  const seeded = await seedIncidents({
    databaseUrl: infra.databaseUrl,
    incidents: settings.incidents,
    org: tenant.org,
    propId: tenant.propid,
    pid,
    zones,
    seats,
    createdBy: tenant.accessKey,
    nowMs,
    log,
  });
  log(
    `seeded ${seeded.incidents} incidents (${seeded.open} open) and ${seeded.timeline} timeline rows in ${(seeded.ms / 1000).toFixed(1)} s (not part of the figures)`,
  );

  // The zone query's plan on the seeded table, with the repository's exact statement.
  const startTime = Math.floor(nowMs / 1000) - settings.rangeDays * 86_400;
  const endTime = Math.floor(nowMs / 1000) + 3600;
  const planZone = zones[Math.floor(zones.length / 2)].id;
  const plan = await explainZoneQuery(infra.databaseUrl, pid, planZone, startTime, endTime);
  log(`explain analyze of the zone query (last ${settings.rangeDays} days):\n${plan}`);
  // The same over the whole history (StartTime 0, as some clients and the e2e spec ask): every incident
  // of the zone is in the index range, so this shows how the query scales with the stored incidents.
  const planAll = await explainZoneQuery(infra.databaseUrl, pid, planZone, 0, endTime);
  log(`explain analyze of the zone query (whole history):\n${planAll}`);

  // One create by hand: checks the path end to end (answer and event) and gives the baseline its bytes.
  const eventSubject = `${infra.namespace}.matrix.${pid}.${MODULE}.>`;
  const sample = await sampleCreate({
    port,
    path: actionsPath('scteams.createIncidentWithoutAssignee'),
    auth: auth('scteams.createIncidentWithoutAssignee'),
    zone: zones[0].id,
    natsUrl: infra.nats.url,
    eventSubject,
  });
  log(`sample create: ${sample.answer.length} bytes answered, event after ${sample.eventMs.toFixed(1)} ms`);

  const zoneIds = zones.map((z) => z.id);
  const common = { host: '127.0.0.1', port, zones: zoneIds };
  const results = {};
  log(`zone queries: ${settings.warmupMs / 1000} s warm-up + ${settings.durationMs / 1000} s…`);
  results.zone = await runLoad({
    ...common,
    kind: 'zone',
    op: 'scteams.getUnassignedIncidentsForZone',
    path: actionsPath('scteams.getUnassignedIncidentsForZone'),
    auth: auth('scteams.getUnassignedIncidentsForZone'),
    startTime,
    endTime,
  });
  if (settings.zoneRate > 0) {
    log(`zone queries paced at ${settings.zoneRate}/s…`);
    results.zonePaced = await runLoad({
      ...common,
      kind: 'zone',
      op: 'scteams.getUnassignedIncidentsForZone',
      path: actionsPath('scteams.getUnassignedIncidentsForZone'),
      auth: auth('scteams.getUnassignedIncidentsForZone'),
      startTime,
      endTime,
      rate: settings.zoneRate,
    });
  }
  log(`creates: ${settings.warmupMs / 1000} s warm-up + ${settings.durationMs / 1000} s…`);
  results.create = await runLoad({
    ...common,
    kind: 'create',
    op: 'scteams.createIncidentWithoutAssignee',
    path: actionsPath('scteams.createIncidentWithoutAssignee'),
    auth: auth('scteams.createIncidentWithoutAssignee'),
    natsUrl: infra.nats.url,
    eventSubject,
  });
  if (settings.createRate > 0) {
    log(`creates paced at ${settings.createRate}/s…`);
    results.createPaced = await runLoad({
      ...common,
      kind: 'create',
      op: 'scteams.createIncidentWithoutAssignee',
      path: actionsPath('scteams.createIncidentWithoutAssignee'),
      auth: auth('scteams.createIncidentWithoutAssignee'),
      natsUrl: infra.nats.url,
      eventSubject,
      rate: settings.createRate,
    });
  }
  await stopServices();

  // The raw baseline: NATS request/reply with a create's body and answer, responder on CPU 0.
  const baseline = await rawBaseline({
    startNode,
    runLoad,
    onCleanup,
    natsUrl: infra.nats.url,
    namespace: infra.namespace,
    body: sample.body,
    answer: sample.answer,
    rates: [settings.zoneRate, settings.createRate],
    log,
  });
  results.raw = baseline.raw;
  if (baseline.paced[settings.zoneRate]) results.rawZoneRate = baseline.paced[settings.zoneRate];
  if (baseline.paced[settings.createRate]) results.rawCreateRate = baseline.paced[settings.createRate];

  const report = {
    date: new Date().toISOString(),
    commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim(),
    machine: machine({ pin }),
    load: os.loadavg()[0],
    otherBenchmarks: otherBenchmarks('bench/workforce/run.mjs'),
    settings,
    seeded,
    plan,
    planAll,
    requestBytes: Buffer.byteLength(sample.body),
    results,
  };
  if (flags.out) fs.writeFileSync(path.resolve(flags.out), `${JSON.stringify(report, null, 2)}\n`);
  const text = markdown(report);
  process.stdout.write(`${text}\n`);
  if (flags.docs) writeDocs(text, MARK, 'Workforce (incidents)');
  const failed = Object.entries(results).filter(([, r]) => r.errors > 0 || r.events?.missing > 0);
  if (failed.length > 0) {
    log(
      `errors: ${failed.map(([name, r]) => `${name} ${JSON.stringify(r.errorKinds)} ${r.events ? `${r.events.missing} events missing` : ''}`).join('; ')}`,
    );
    process.exitCode = 1;
  }
}

async function explainZoneQuery(databaseUrl, pid, zoneId, from, to) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // IncidentsRepository.openInRange with a zone, as getUnassignedIncidentsForZone calls it.
    const { rows } = await client.query(
      `explain (analyze, buffers, costs off)
       select * from workforce.incidents
       where ($1::text is null or pid = $1) and ($8::text is null or prop_id = $8)
         and status = 'NOT_ASSIGNED' and start_by between $2 and $3
         and ($5::text is null or zone_id = $5)
         and ($6::bigint is null or (start_by, task_id) > ($6, $7))
       order by start_by, task_id limit $4`,
      [pid, from, to, 1000, zoneId, null, null, null],
    );
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.end();
  }
}

/** One signed create and its event: the answer's bytes and the body (for the raw baseline). */
async function sampleCreate({ port, path: urlPath, auth, zone, natsUrl, eventSubject }) {
  const nc = await connect({ servers: natsUrl.split(','), name: 'bench-workforce-sample' });
  try {
    let resolveEvent;
    const event = new Promise((resolve) => (resolveEvent = resolve));
    let taskId;
    const arrived = new Map();
    nc.subscribe(eventSubject, {
      callback: (_error, message) => {
        const id = message.json()?.Meta?.TaskId;
        arrived.set(id, performance.now());
        if (id === taskId) resolveEvent();
      },
    });
    await nc.flush();
    const start = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      Incident: {
        Start: start,
        End: start + 1800,
        Name: 'Bench incident sample',
        Priority: 'N',
        Tasks: [{ Name: 'Wipe mirror.' }, { Name: 'Refill soap.' }],
        Zone: zone,
        By: 'KG',
        EventSource: 'HK',
      },
    });
    const time = String(Math.floor(Date.now() / 1000));
    const { createHmac } = await import('node:crypto');
    const signature = createHmac('sha256', Buffer.from(auth.secretKey, 'utf8'))
      .update(`${auth.module}/${auth.propid}/${auth.op}/${auth.accessKey}/${time}`, 'utf8')
      .digest('hex');
    const sent = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}${urlPath}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-sc-identity': 'external',
        'x-sc-time': time,
        authorization: `SCHMAC_V1;${auth.accessKey};${signature}`,
      },
      body,
    });
    const answer = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200)
      throw new Error(`sample create: HTTP ${response.status} ${answer.toString().slice(0, 500)}`);
    taskId = JSON.parse(answer.toString('utf8')).data.TaskId;
    if (arrived.has(taskId)) resolveEvent();
    const timeout = sleep(15_000).then(() => {
      throw new Error(`sample create: no INCIDENT_CREATED_OPEN for ${taskId} on ${eventSubject} within 15 s`);
    });
    await Promise.race([event, timeout]);
    return { answer, body, eventMs: arrived.get(taskId) - sent };
  } finally {
    await nc.close();
  }
}

// ------------------------------------------------------------------------------------ report

function markdown(r) {
  const { machine: m, settings: s, results } = r;
  const raw = results.raw;
  const row = (label, x, target) =>
    figuresRow(label, x, raw, [x.rps === undefined ? '–' : ratio(x.rps, raw.rps), target]);
  const c = results.create;
  const e = c.events;
  const z = results.zone;
  /** A paced row: ratios to raw NATS paced at the same rate. */
  const pacedRow = (label, x, base, target) => figuresRow(label, x, base, [target]);
  const paced = [];
  if (results.zonePaced) {
    paced.push(
      pacedRow(
        `\`scteams.getUnassignedIncidentsForZone\` at ${s.zoneRate}/s`,
        results.zonePaced,
        results.rawZoneRate,
        `p95 < 20 ms: ${met(results.zonePaced.p95 < 20 && results.zonePaced.errors === 0)}`,
      ),
    );
  }
  if (results.createPaced) {
    const cp = results.createPaced;
    paced.push(
      pacedRow(
        `\`scteams.createIncidentWithoutAssignee\` at ${s.createRate}/s`,
        cp,
        results.rawCreateRate,
        `p95 < 30 ms: ${met(cp.p95 < 30 && cp.errors === 0)}`,
      ),
      pacedRow(
        `create sent → INCIDENT_CREATED_OPEN at ${s.createRate}/s`,
        { ...cp.events, rps: undefined },
        results.rawCreateRate,
        `p99 < 150 ms: ${met(cp.events.p99 < 150 && cp.events.missing === 0)}`,
      ),
    );
  }
  for (const [name, rate] of [
    ['rawZoneRate', s.zoneRate],
    ['rawCreateRate', s.createRate],
  ]) {
    if (results[name])
      paced.push(pacedRow(`raw NATS request/reply at ${rate}/s`, results[name], results[name], '–'));
  }
  return [
    MARK.start,
    `Run ${r.date.slice(0, 16).replace('T', ' ')} UTC at commit \`${r.commit}\`: \`npm run bench:workforce -- --incidents ${s.incidents} ` +
      `--clients ${s.clients} --duration ${s.durationMs / 1000} --warmup ${s.warmupMs / 1000} --zones ${s.zones} --range-days ${s.rangeDays}` +
      ` --zone-rate ${s.zoneRate} --create-rate ${s.createRate}` +
      `${m.pinned ? '' : ' --no-pin'}\`.`,
    `${m.nproc} CPUs (${m.cpuModel}) · ${m.memoryGiB} GiB · Node ${m.node} · kernel ${m.kernel} · ` +
      `${s.clients} clients · ${r.seeded.incidents} incidents stored (${r.seeded.open} open) in ${s.zones} zones of one building · ` +
      `${s.warmupMs / 1000} s warm-up + ${s.durationMs / 1000} s each` +
      `${m.pinned ? ' · gateway + incident-service (+ raw responder) on CPU 0, load generator on CPU 1' : ' · not pinned'} · ` +
      `1-min load average ${r.load.toFixed(1)} at the end` +
      (r.otherBenchmarks.length ? ` · also running: ${r.otherBenchmarks.join('; ')}` : ''),
    '',
    '| path | count | p50 ms | p95 ms | p99 ms | max ms | req/s | errors | ÷ raw p50 / p95 / p99 | req/s ÷ raw | target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    row(
      '`scteams.createIncidentWithoutAssignee` (actions API, SC-HMAC)',
      c,
      `p95 < 30 ms: ${met(c.p95 < 30 && c.errors === 0)}`,
    ),
    row(
      'create sent → INCIDENT_CREATED_OPEN on NATS',
      { ...e, rps: undefined },
      `p99 < 150 ms: ${met(e.p99 < 150 && e.missing === 0)}`,
    ),
    row(
      `\`scteams.getUnassignedIncidentsForZone\` (last ${s.rangeDays} days)`,
      z,
      `p95 < 20 ms: ${met(z.p95 < 20 && z.errors === 0)}`,
    ),
    row('raw NATS request/reply (baseline)', raw, '–'),
    '',
    ...(paced.length
      ? [
          `Paced (open loop): the same ${s.clients} clients sharing a fixed request rate, latency from each request's intended send time; ratios to raw NATS request/reply paced at the same rate in this run.`,
          '',
          '| path, offered rate | count | p50 ms | p95 ms | p99 ms | max ms | req/s | errors | ÷ raw p50 / p95 / p99 | target |',
          '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
          ...paced,
          '',
        ]
      : []),
    `Seeding (not measured): ${r.seeded.incidents} incidents and ${r.seeded.timeline} timeline rows in ${fmt(r.seeded.ms / 1000)} s. ` +
      `Creates: ${c.requests} answered, ${e.expected} events expected, ${e.missing} missing, ${e.duplicates} duplicates. ` +
      `Zone queries: ${fmt(z.itemsPerResponse)} open incidents per answer, ${z.bytesPerResponse} bytes. ` +
      `Baseline: ${r.requestBytes}-byte requests, ${raw.bytesPerResponse}-byte replies (a create's body and answer).`,
    `Zone query plan on the seeded table (\`explain analyze\` of the repository's statement, one zone): ` +
      `last ${s.rangeDays} days ${planSummary(r.plan)}; whole history ${planSummary(r.planAll)}.`,
    MARK.end,
  ].join('\n');
}

/** `index incidents_zone, 3 rows, 3 removed by filter, 0.19 ms` from an `explain analyze` text. */
function planSummary(plan) {
  const index = /(?:Index|Bitmap Index|Index Only) Scan (?:using|on) (\S+)/.exec(plan)?.[1];
  const scan = /Scan[^\n]*\(actual time=[^ ]+ rows=(\d+)/.exec(plan)?.[1];
  const removed = [...plan.matchAll(/Rows Removed by Filter: (\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
  const ms = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1];
  return `${index ? `index ${index}` : '**no index**'}, ${scan ?? '?'} rows, ${removed} removed by filter, ${ms ?? '?'} ms`;
}

try {
  await main();
} catch (error) {
  log(`failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit();
