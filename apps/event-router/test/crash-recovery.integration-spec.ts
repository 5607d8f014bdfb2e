import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROUTER_COMMANDS } from '@matrix/contracts';
import { expectEventually, freePort } from '@matrix/testing';
import { OWNER, Receiver, RouterEnvironment } from './router-harness';

/*
 * The built event-router bundle, killed with SIGKILL while it delivers (a request in flight, batches
 * queued) and started again: no batch is lost, and a batch delivered twice keeps its webhook-id.
 */

const root = path.resolve(__dirname, '../../..');
const bundle = path.join(root, 'dist/apps/event-router/main.cjs');
const env = new RouterEnvironment();
const receiver = new Receiver();
let child: ChildProcess | undefined;
let output = '';

async function startBundle(): Promise<ChildProcess> {
  const port = await freePort();
  const process_ = spawn(process.execPath, ['--enable-source-maps', bundle], {
    env: {
      ...process.env,
      ...env.env({ LOG_LEVEL: 'warn', ROUTER_LEASE_MS: '2000' }),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process_.stdout?.on('data', (c) => (output += c));
  process_.stderr?.on('data', (c) => (output += c));
  await expectEventually(
    async () => {
      if (process_.exitCode !== null) throw new Error(`event-router exited:\n${output.slice(-2000)}`);
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  return process_;
}

async function kill(process_: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (process_.exitCode !== null) return;
  const exited = new Promise((resolve) => process_.once('exit', resolve));
  process_.kill(signal);
  await exited;
}

beforeAll(async () => {
  const build = spawnSync(process.execPath, [path.join(root, 'tools/esbuild/build.mjs'), 'event-router'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  await env.start('router_crash');
  await receiver.start();
});

afterAll(async () => {
  if (child) await kill(child, 'SIGTERM');
  await receiver.stop();
  await env.stop();
});

describe('event-router killed mid-delivery', () => {
  it('loses no batch after SIGKILL and a restart, and a repeated batch keeps its webhook-id', async () => {
    // Slow answers: there is always a request in flight and batches waiting.
    receiver.delayMs = 300;
    child = await startBundle();
    await env.commands.request(ROUTER_COMMANDS.create, {
      owner: OWNER,
      scope: null,
      input: {
        kind: 'matrix-events',
        url: receiver.url,
        patterns: ['matrix.K1.#'],
        batch: { maxSize: 2, maxWaitMs: 0 },
      },
    });
    const total = 40;
    for (let n = 0; n < total; n++) await env.publishEvent('K1', 'scgrids', 'ZONE_CREATED', 'NORMAL', n);

    // Killed while the third request waits for its answer.
    await expectEventually(() => expect(receiver.requests.length).toBeGreaterThanOrEqual(3), {
      intervalMs: 10,
    });
    await kill(child, 'SIGKILL');
    const inFlight = receiver.requests.at(-1)!;
    expect(receiver.requests.length).toBeLessThan(total / 2);
    receiver.delayMs = 0;
    child = await startBundle();

    const seen = () =>
      receiver
        .delivered<{ Meta: { N: number } }>()
        .flat()
        .map((e) => e.Meta.N);
    await expectEventually(
      () => expect(new Set(seen())).toEqual(new Set(Array.from({ length: total }, (_, n) => n))),
      {
        timeoutMs: 30_000,
      },
    );
    // In order: each event first arrives after the one before it.
    const firsts = Array.from({ length: total }, (_, n) => seen().indexOf(n));
    expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
    // Every copy of an event came under the same webhook-id.
    const idsOf = new Map<number, Set<string>>();
    for (const request of receiver.requests) {
      for (const event of JSON.parse(request.body) as { Meta: { N: number } }[]) {
        const ids = idsOf.get(event.Meta.N) ?? new Set<string>();
        ids.add(request.headers['webhook-id'] as string);
        idsOf.set(event.Meta.N, ids);
      }
    }
    expect([...idsOf.values()].every((ids) => ids.size === 1)).toBe(true);
    // The batch in flight at the kill was sent again, under its webhook-id.
    const again = receiver.requests.filter((r) => r.headers['webhook-id'] === inFlight.headers['webhook-id']);
    expect(again.length).toBeGreaterThanOrEqual(2);
    expect(new Set(again.map((r) => r.body)).size).toBe(1);
  });
});
