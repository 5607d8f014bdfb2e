// What every benchmark under bench/ needs around its measurements: a log line prefix, a sleep, whole
// number flags with their ranges, cleanup that runs once — at the end, on failure, on Ctrl-C or
// SIGTERM, and when the run outlives its hard limit — and a throwaway database and NATS namespace.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { buildApp } from '../../tools/esbuild/build.mjs';
import { dropDatabase, ensureDatabase, ensureNats, ensurePostgres } from '../../tools/infra/infra.mjs';

export const log = (message) => process.stderr.write(`[bench] ${message}\n`);

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `whole(name, min, max)`: the flag `--name` as a whole number in [min, max], else a clear error. */
export function wholeFlags(flags) {
  return (name, min, max) => {
    const value = Number(flags[name]);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
    }
    return value;
  };
}

/**
 * Cleanup steps, run once in reverse order of registration (a failing step is logged, the rest still
 * run). SIGINT/SIGTERM clean up and exit 130; a run longer than `hardLimitMs` cleans up and exits 1.
 */
export function cleanupOnExit(hardLimitMs) {
  /** @type {{ name: string, run: () => Promise<unknown> }[]} */
  const steps = [];
  let cleaning;
  const cleanup = () => {
    cleaning ??= (async () => {
      for (const { name, run } of steps.reverse()) {
        try {
          await run();
        } catch (error) {
          log(`cleanup "${name}" failed: ${error.message}`);
        }
      }
    })();
    return cleaning;
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      log(`${signal}: cleaning up`);
      void cleanup().then(() => process.exit(130));
    });
  }
  setTimeout(() => {
    log(`the run took longer than ${hardLimitMs / 60_000} min: cleaning up and stopping`);
    void cleanup().then(() => process.exit(1));
  }, hardLimitMs).unref();
  return { onCleanup: (name, run) => steps.push({ name, run }), cleanup };
}

/** Keeps the last `max` characters of a process's output, for error messages. */
export function tail(max = 4000) {
  let text = '';
  return { push: (chunk) => (text = (text + chunk.toString()).slice(-max)), text: () => text.trim() };
}

/** Deletes every stream of a NATS namespace (`<NS>_…`), KV buckets (`KV_<NS>_…`) included. */
export async function deleteNamespace(natsUrl, namespace) {
  const nc = await connect({ servers: natsUrl.split(','), name: 'bench-cleanup', timeout: 5000 });
  try {
    const jsm = await jetstreamManager(nc);
    const prefix = `${namespace.toUpperCase()}_`;
    const names = [];
    for await (const info of jsm.streams.list()) {
      const name = info.config.name;
      if (name.startsWith(prefix) || name.startsWith(`KV_${prefix}`)) names.push(name);
    }
    for (const name of names) await jsm.streams.delete(name);
    log(`deleted ${names.length} stream(s) of namespace ${namespace}`);
  } finally {
    await nc.drain();
  }
}

/**
 * A run's own world: builds `apps` (unless `build` is false), finds or starts NATS and PostgreSQL
 * (test mode), creates a throwaway database `bench_<name>_<id>` and NATS namespace `bench_<ns>_<id>`, and
 * registers their removal with `onCleanup`. Answers them and the environment every service of the run
 * shares (`DATABASE_URL`, `NATS_URL`, `NATS_NAMESPACE`, `LOG_LEVEL=warn`).
 */
export async function throwawayInfra({ name, ns, apps, build, onCleanup }) {
  const id = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const dbName = `bench_${name}_${id}`;
  const namespace = `bench_${ns}_${id}`;
  if (build) {
    log(`building ${apps.join(', ')}…`);
    for (const app of apps) await buildApp(app);
  }
  const nats = await ensureNats({ mode: 'test' });
  onCleanup('stop NATS (if started here)', () => nats.stop());
  const postgres = await ensurePostgres({ mode: 'test' });
  onCleanup('stop PostgreSQL (if started here)', () => postgres.stop());
  const databaseUrl = await ensureDatabase(postgres.adminUrl, dbName);
  onCleanup(`drop database ${dbName}`, () => dropDatabase(postgres.adminUrl, dbName));
  onCleanup(`delete NATS namespace ${namespace}`, () => deleteNamespace(nats.url, namespace));
  log(`database ${dbName}, NATS namespace ${namespace}`);
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TZ: process.env.TZ,
    DATABASE_URL: databaseUrl,
    NATS_URL: nats.url,
    NATS_NAMESPACE: namespace,
    LOG_LEVEL: 'warn',
    // Tracing (docs/tracing.md) as the caller's environment sets it: off unless OTEL_* turn it on.
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('OTEL_'))),
  };
  return { id, dbName, namespace, nats, postgres, databaseUrl, env };
}

/** Whether `taskset` is there to pin processes to a CPU. */
export const tasksetAvailable = () => spawnSync('taskset', ['-V']).status === 0;

/**
 * `nodeCommand(args, cpu)`: how to run `node <args>` (pinned to `cpu` when `pin` and a cpu is given);
 * `startNode(name, args, env, cpu)`: a long-running node process whose `stop()` (also registered with
 * `onCleanup`) sends SIGTERM, then SIGKILL after 10 s, and waits.
 */
export function nodeProcesses({ pin, onCleanup }) {
  const nodeCommand = (args, cpu) =>
    pin && cpu !== undefined
      ? { command: 'taskset', args: ['-c', String(cpu), process.execPath, ...args] }
      : { command: process.execPath, args };
  const startNode = (name, args, env, cpu) => {
    const { command, args: argv } = nodeCommand(args, cpu);
    const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = tail();
    child.stdout.on('data', output.push);
    child.stderr.on('data', output.push);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const stop = async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    };
    onCleanup(`stop ${name}`, stop);
    return { name, child, output, stop, exited };
  };
  /** Runs a node script to completion (on `cpu` when pinning); resolves with its stdout, rejects with its output on failure. */
  const runNode = (args, env, { timeoutMs = 120_000, cpu } = {}) =>
    new Promise((resolve, reject) => {
      const { command, args: argv } = nodeCommand(args, cpu);
      const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      const stderr = tail();
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', stderr.push);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(stdout);
        else reject(new Error(`${args.join(' ')} exited ${signal ?? code}:\n${stderr.text()}`));
      });
    });
  return { nodeCommand, startNode, runNode };
}

/** The machine a run is on, for its report: CPUs, model (lscpu's, else Node's), memory, Node, kernel, `lscpu`'s first lines. */
export function machine({ pin }) {
  const lscpu = spawnSync('lscpu', { encoding: 'utf8' });
  const model = lscpu.status === 0 ? /Model name:\s*(.+)/.exec(lscpu.stdout)?.[1] : undefined;
  return {
    nproc: os.availableParallelism(),
    lscpu: lscpu.status === 0 ? lscpu.stdout.split('\n').slice(0, 10).join('\n') : '(lscpu not available)',
    cpuModel: model ?? os.cpus()[0]?.model ?? '?',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    kernel: os.release(),
    pinned: pin,
  };
}

/**
 * Waits until a service started with `startNode` answers `GET /health/ready` with 200 on `port` (60 s at
 * most); fails at once, with its output, when it exits first.
 */
export async function waitReady(port, service) {
  let gone = false;
  void service.exited.then(() => (gone = true));
  const until = Date.now() + 60_000;
  let last = '';
  while (Date.now() < until) {
    if (gone) throw new Error(`${service.name} exited while starting:\n${service.output.text()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (res.status === 200) return;
      last = `${res.status} ${(await res.text()).slice(0, 300)}`;
    } catch (error) {
      last = error.message;
    }
    await sleep(200);
  }
  throw new Error(`${service.name} was not ready within 60 s (${last}):\n${service.output.text()}`);
}
