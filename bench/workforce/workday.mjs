// Workforce benchmark, the working day: shifts, task groups and auto-assignment with a property's month of
// shifts stored.
//
//   npm run bench:workday -- [--seats 500] [--zones 500] [--days 30] [--zones-per-seat 25] [--task-groups 4]
//                            [--clients 50] [--duration 30] [--warmup 3] [--read-rate 200] [--assign-rate 100]
//                            [--no-pin] [--no-build] [--out r.json] [--docs]
//
// Seeds, through the actions API (Basic auth; not measured): availability for every seat (every day, all
// day); for every seat one `createShift` of `--days` shifts (today's and the same local hours on each of the
// days before, `Repeat.RepeatDates`), each 16 h around now's local time, serving `--zones-per-seat` zones
// (every zone served by as many seats), with `--task-groups` task groups each; then in SQL, as the shift
// and task ops would leave them, the past days' shifts COMPLETED with their task groups COMPLETED at their
// planned times, and today's shifts STARTED with their task groups PUBLISHED.
// Measures, each for `--warmup` s + `--duration` s with `--clients` closed-loop clients (SC-HMAC v1):
//   1. "who is on shift for this zone now": `scteams.getAvailabilityForIncident` {Incident{End: now, Zone}},
//      zones in turn; every answer must name at least one candidate;
//   2. "last clean time of a zone": `scteams.getLastNTasks` {TasksFor: ZONE, Limit: 1} over the stored days,
//      the zones with a completed task group in turn; every answer must be its last COMPLETED task group;
//   3. both again paced at `--read-rate` req/s (open loop, latency from the intended send time);
//   4. auto-assignment: `scteams.createIncidentWithoutAssignee` with `AutoAssigned: true` paced at
//      `--assign-rate`/s, every answer ASSIGNED, and create sent → INCIDENT_CREATED on NATS (matched by TaskId);
//   5. the raw baseline: NATS request/reply to a trivial responder with a last-clean request and answer,
//      closed loop and paced at the same rates; every figure is also given as a ratio to it.
// Everything is removed at the end, also on failure or Ctrl-C; the run is bounded to 45 min; any error or
// missing event exits 1. `--docs` replaces the block between the workday markers in docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cleanupOnExit, log, machine, nodeProcesses, tasksetAvailable, wholeFlags } from '../lib/harness.mjs';
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

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MARK = { start: '<!-- bench:workday:start -->', end: '<!-- bench:workday:end -->' };
const HARD_LIMIT_MS = 45 * 60_000;
const TIME_ZONE = 'Europe/Berlin';
const SHIFT_HOURS = 16;

const { values: flags } = parseArgs({
  options: {
    seats: { type: 'string', default: '500' },
    zones: { type: 'string', default: '500' },
    days: { type: 'string', default: '30' },
    'zones-per-seat': { type: 'string', default: '25' },
    'task-groups': { type: 'string', default: '4' },
    clients: { type: 'string', default: '50' },
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    'read-rate': { type: 'string', default: '200' },
    'assign-rate': { type: 'string', default: '100' },
    'no-pin': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string' },
    docs: { type: 'boolean', default: false },
  },
});
const whole = wholeFlags(flags);
const settings = {
  seats: whole('seats', 1, 999),
  zones: whole('zones', 1, 5000),
  days: whole('days', 1, 366),
  zonesPerSeat: whole('zones-per-seat', 1, 200),
  taskGroups: whole('task-groups', 1, 20),
  clients: whole('clients', 1, 500),
  durationMs: whole('duration', 1, 600) * 1000,
  warmupMs: whole('warmup', 0, 60) * 1000,
  readRate: whole('read-rate', 0, 100_000),
  assignRate: whole('assign-rate', 0, 100_000),
};
settings.zonesPerSeat = Math.min(settings.zonesPerSeat, settings.zones);

const { onCleanup, cleanup } = cleanupOnExit(HARD_LIMIT_MS);
const pin = !flags['no-pin'] && os.availableParallelism() >= 2 && tasksetAvailable();
const { startNode, runNode } = nodeProcesses({ pin, onCleanup });
const runLoad = loadRunner(runNode, {
  concurrency: settings.clients,
  warmupMs: settings.warmupMs,
  durationMs: settings.durationMs,
});

/** `YYYYMMDD` of `epochSeconds` on the building's wall clock. */
function localDate(epochSeconds) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
      .formatToParts(new Date(epochSeconds * 1000))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}${parts.month}${parts.day}`;
}

async function main() {
  const platform = await startWorkforce({
    name: 'workday',
    ns: 'wd',
    build: !flags['no-build'],
    onCleanup,
    startNode,
    runNode,
    zones: settings.zones,
    seats: settings.seats,
    timeZone: TIME_ZONE,
    pin,
  });
  const { infra, tenant, port, pid, zones, seats, actionsPath, auth } = platform;
  const basic = `Basic ${Buffer.from(`${tenant.accessKey}:${tenant.secretKey}`).toString('base64')}`;
  const action = async (op, body) => {
    const response = await fetch(`http://127.0.0.1:${port}${actionsPath(op)}`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 200) {
      throw new Error(`${op}: ${response.status} ${text.slice(0, 500)}\n${platform.serviceOutput()}`);
    }
    return { json: JSON.parse(text), bytes: Buffer.from(text, 'utf8') };
  };

  // ---------------------------------------------------------------------------------- seeding
  const seedStarted = Date.now();
  const now = Math.floor(seedStarted / 1000);
  log(`availability of ${seats.length} seats…`);
  for (const seatId of seats) {
    await action('scteams.createSeatAvailability', {
      Availability: {
        SeatId: seatId,
        DaysOfWeek: [0, 1, 2, 3, 4, 5, 6],
        TimeSlots: [{ StartTime: 0, EndTime: 86_400, Name: 'all day' }],
      },
    });
  }
  // Today's shift runs from 8 h before now to 8 h after; the same local hours on each earlier day.
  const start = now - (SHIFT_HOURS / 2) * 3600;
  const end = start + SHIFT_HOURS * 3600;
  const repeatDates = [];
  for (let d = 1; d < settings.days; d++) repeatDates.push(localDate(start - d * 86_400));
  const slot = Math.floor((SHIFT_HOURS * 3600) / settings.taskGroups);
  log(`${settings.days} days of shifts for ${seats.length} seats, ${settings.taskGroups} task groups each…`);
  for (const [i, seatId] of seats.entries()) {
    const served = Array.from(
      { length: settings.zonesPerSeat },
      (_, k) => zones[(i * settings.zonesPerSeat + k) % zones.length],
    );
    await action('scteams.createShift', {
      SeatId: seatId,
      Repeat: { RepeatDates: repeatDates },
      Schedule: [
        {
          shift: {
            Start: start,
            End: end,
            TimeZone: TIME_ZONE,
            Zones: Object.fromEntries(served.map((z) => [z.id, z.name])),
            Breaks: [],
            Description: 'bench',
          },
          taskGroup: Array.from({ length: settings.taskGroups }, (_, t) => ({
            Start: start + t * slot,
            End: start + (t + 1) * slot,
            Name: `Round ${t + 1}`,
            Priority: 'N',
            Tasks: [{ Name: 'Wipe mirror.' }, { Name: 'Refill soap.' }],
            TimeZone: TIME_ZONE,
            Type: 'TASK',
            Zone: served[t % served.length].id,
            ZoneName: served[t % served.length].name,
          })),
        },
      ],
      Publish: false,
    });
  }
  const counts = await settleDay(infra.databaseUrl, pid, now);
  const seedMs = Date.now() - seedStarted;
  log(
    `seeded ${counts.shifts} shifts (${counts.started} on now) and ${counts.taskGroups} task groups (${counts.completed} completed) in ${(seedMs / 1000).toFixed(1)} s (not part of the figures)`,
  );

  // One of each read by hand: checks them and gives the baseline its bytes.
  const zoneIds = zones.map((z) => z.id);
  // The zones some seat cleaned in the stored days (each seat's task groups are in a few of its zones).
  const cleaned = counts.cleanedZones;
  if (cleaned.length === 0) throw new Error('no completed task group was seeded');
  const lastCleanBody = {
    StartTime: now - settings.days * 86_400,
    EndTime: now,
    Limit: 1,
    TasksFor: 'ZONE',
    zoneId: cleaned[0],
  };
  const sampleClean = await action('scteams.getLastNTasks', lastCleanBody);
  if (sampleClean.json.data?.[0]?.Status !== 'COMPLETED')
    throw new Error(`getLastNTasks: no completed task group: ${sampleClean.bytes.toString().slice(0, 500)}`);
  const sampleShift = await action('scteams.getAvailabilityForIncident', {
    Incident: { End: now, Zone: zoneIds[0] },
  });
  if (!(sampleShift.json.data?.Candidates?.length > 0))
    throw new Error(
      `getAvailabilityForIncident: nobody on shift: ${sampleShift.bytes.toString().slice(0, 500)}`,
    );

  const common = { host: '127.0.0.1', port, zones: zoneIds };
  const read = (kind, op, extra = {}) => ({
    ...common,
    kind,
    op,
    path: actionsPath(op),
    auth: auth(op),
    ...extra,
  });
  const onShift = read('onshift', 'scteams.getAvailabilityForIncident');
  const lastClean = read('lastclean', 'scteams.getLastNTasks', {
    zones: cleaned,
    startTime: lastCleanBody.StartTime,
    endTime: lastCleanBody.EndTime,
  });
  const results = {};
  log('who is on shift for a zone now…');
  results.onShift = await runLoad(onShift);
  log('last clean time of a zone…');
  results.lastClean = await runLoad(lastClean);
  if (settings.readRate > 0) {
    log(`both paced at ${settings.readRate}/s…`);
    results.onShiftPaced = await runLoad({ ...onShift, rate: settings.readRate });
    results.lastCleanPaced = await runLoad({ ...lastClean, rate: settings.readRate });
  }
  if (settings.assignRate > 0) {
    log(`auto-assigned creates paced at ${settings.assignRate}/s…`);
    results.assign = await runLoad({
      ...read('create', 'scteams.createIncidentWithoutAssignee'),
      autoAssigned: true,
      natsUrl: infra.nats.url,
      eventSubject: `${infra.namespace}.matrix.${pid}.${MODULE}.>`,
      rate: settings.assignRate,
    });
  }
  await platform.stopServices();
  const baseline = await rawBaseline({
    startNode,
    runLoad,
    onCleanup,
    natsUrl: infra.nats.url,
    namespace: infra.namespace,
    body: JSON.stringify(lastCleanBody),
    answer: sampleClean.bytes,
    rates: [settings.readRate, settings.assignRate],
    log,
  });

  const report = {
    date: new Date().toISOString(),
    commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim(),
    machine: machine({ pin }),
    load: os.loadavg()[0],
    otherBenchmarks: otherBenchmarks('bench/workforce/workday.mjs'),
    settings,
    seeded: { ...counts, cleanedZones: counts.cleanedZones.length, ms: seedMs },
    results,
    baseline,
  };
  if (flags.out) fs.writeFileSync(path.resolve(flags.out), `${JSON.stringify(report, null, 2)}\n`);
  const text = markdown(report);
  process.stdout.write(`${text}\n`);
  if (flags.docs) writeDocs(text, MARK, 'Workforce (working day)');
  const failed = Object.entries(results).filter(([, r]) => r.errors > 0 || r.events?.missing > 0);
  if (failed.length > 0) {
    log(
      `errors: ${failed.map(([name, r]) => `${name} ${JSON.stringify(r.errorKinds)} ${r.events ? `${r.events.missing} events missing` : ''}`).join('; ')}`,
    );
    process.exitCode = 1;
  }
}

/**
 * The stored month as the shift and task ops would leave it: earlier days' shifts COMPLETED at their
 * planned times with their task groups COMPLETED; today's (covering `now`) STARTED with their task groups
 * PUBLISHED and the shift's auto clock-out deadline (End + END_SHIFT_OVERSHOOT 4200 s); then `vacuum analyze`.
 */
async function settleDay(databaseUrl, pid, now) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(
      `update workforce.shifts set status = 'COMPLETED', a_start = start_at, a_end = end_at, timer_at = null, timer_kind = null
       where pid = $1 and end_at <= $2`,
      [pid, now],
    );
    await client.query(
      `update workforce.shifts set status = 'STARTED', a_start = start_at,
              timer_at = to_timestamp(end_at + 4200), timer_kind = 'auto-clockout'
       where pid = $1 and start_at <= $2 and end_at > $2`,
      [pid, now],
    );
    await client.query(
      `update workforce.task_groups t set status = 'COMPLETED', a_start = t.start_at, a_end = t.end_at
       from workforce.shifts s where s.shift_id = t.shift_id and s.pid = $1 and s.status = 'COMPLETED'`,
      [pid],
    );
    await client.query(
      `update workforce.task_groups t set status = 'PUBLISHED'
       from workforce.shifts s where s.shift_id = t.shift_id and s.pid = $1 and s.status = 'STARTED'`,
      [pid],
    );
    await client.query('commit');
    await client.query('vacuum analyze workforce.shifts');
    await client.query('vacuum analyze workforce.task_groups');
    const {
      rows: [counts],
    } = await client.query(
      `select (select count(*) from workforce.shifts where pid = $1)::int as shifts,
              (select count(*) from workforce.shifts where pid = $1 and status = 'STARTED')::int as started,
              (select count(*) from workforce.task_groups where pid = $1)::int as "taskGroups",
              (select count(*) from workforce.task_groups where pid = $1 and status = 'COMPLETED')::int as completed`,
      [pid],
    );
    const { rows } = await client.query(
      `select distinct zone_id from workforce.task_groups where pid = $1 and status = 'COMPLETED' order by 1`,
      [pid],
    );
    return { ...counts, cleanedZones: rows.map((row) => row.zone_id) };
  } finally {
    await client.end();
  }
}

function markdown(r) {
  const { machine: m, settings: s, results, baseline } = r;
  const raw = baseline.raw;
  const closed = (label, x, target) =>
    figuresRow(label, x, raw, [x.rps === undefined ? '–' : ratio(x.rps, raw.rps), target]);
  const paced = (label, x, rate, target) => figuresRow(label, x, baseline.paced[rate], [target]);
  const read20 = (x) => `p95 < 20 ms: ${met(x.p95 < 20 && x.errors === 0)}`;
  const rows = [
    closed(
      '"who is on shift for this zone now" (`getAvailabilityForIncident`)',
      results.onShift,
      read20(results.onShift),
    ),
    closed(
      '"last clean time of a zone" (`getLastNTasks` ZONE, 1)',
      results.lastClean,
      read20(results.lastClean),
    ),
    closed('raw NATS request/reply (baseline)', raw, '–'),
  ];
  const open = [];
  if (results.onShiftPaced) {
    open.push(
      paced(
        `who is on shift, at ${s.readRate}/s`,
        results.onShiftPaced,
        s.readRate,
        read20(results.onShiftPaced),
      ),
      paced(
        `last clean time, at ${s.readRate}/s`,
        results.lastCleanPaced,
        s.readRate,
        read20(results.lastCleanPaced),
      ),
    );
  }
  if (results.assign) {
    const a = results.assign;
    open.push(
      paced(`auto-assigned \`createIncidentWithoutAssignee\`, at ${s.assignRate}/s`, a, s.assignRate, '–'),
      paced(
        `create sent → INCIDENT_CREATED (assigned), at ${s.assignRate}/s`,
        { ...a.events, rps: undefined },
        s.assignRate,
        `p99 < 250 ms: ${met(a.events.p99 < 250 && a.events.missing === 0 && a.errors === 0)}`,
      ),
    );
  }
  for (const [rate, figures] of Object.entries(baseline.paced)) {
    open.push(paced(`raw NATS request/reply, at ${rate}/s`, figures, rate, '–'));
  }
  return [
    MARK.start,
    `Run ${r.date.slice(0, 16).replace('T', ' ')} UTC at commit \`${r.commit}\`: \`npm run bench:workday -- --seats ${s.seats} --zones ${s.zones} ` +
      `--days ${s.days} --zones-per-seat ${s.zonesPerSeat} --task-groups ${s.taskGroups} --clients ${s.clients} --duration ${s.durationMs / 1000} ` +
      `--warmup ${s.warmupMs / 1000} --read-rate ${s.readRate} --assign-rate ${s.assignRate}${m.pinned ? '' : ' --no-pin'}\`.`,
    `${m.nproc} CPUs (${m.cpuModel}) · ${m.memoryGiB} GiB · Node ${m.node} · kernel ${m.kernel} · ${s.clients} clients · ` +
      `${r.seeded.shifts} shifts (${r.seeded.started} on shift now) and ${r.seeded.taskGroups} task groups (${r.seeded.completed} completed) ` +
      `of ${s.seats} seats in ${s.zones} zones of one building · ${s.warmupMs / 1000} s warm-up + ${s.durationMs / 1000} s each` +
      `${m.pinned ? ' · gateway + incident-service (+ raw responder) on CPU 0, load generator on CPU 1' : ' · not pinned'} · ` +
      `1-min load average ${r.load.toFixed(1)} at the end` +
      (r.otherBenchmarks.length ? ` · also running: ${r.otherBenchmarks.join('; ')}` : ''),
    '',
    '| path (closed loop) | count | p50 ms | p95 ms | p99 ms | max ms | req/s | errors | ÷ raw p50 / p95 / p99 | req/s ÷ raw | target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    `Paced (open loop): the same ${s.clients} clients sharing a fixed rate, latency from each request's intended send time; ratios to raw NATS request/reply paced at the same rate in this run.`,
    '',
    '| path, offered rate | count | p50 ms | p95 ms | p99 ms | max ms | req/s | errors | ÷ raw p50 / p95 / p99 | target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...open,
    '',
    `Seeding (not measured): ${fmt(r.seeded.ms / 1000)} s. Who is on shift: ${fmt(results.onShift.itemsPerResponse)} candidates per answer, ` +
      `${results.onShift.bytesPerResponse} bytes. Last clean time: zones with a completed task group in turn (${r.seeded.cleanedZones} of ${s.zones}), ${results.lastClean.bytesPerResponse} bytes.` +
      (results.assign
        ? ` Auto-assigned creates: ${results.assign.requests} answered, ${results.assign.events.expected} events expected, ` +
          `${results.assign.events.missing} missing, ${results.assign.events.duplicates} duplicates.`
        : ''),
    MARK.end,
  ].join('\n');
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
