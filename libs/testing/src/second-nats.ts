import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectEventually } from './expect-eventually';
import { freePort } from './free-port';

/**
 * A nats-server with JetStream of its own for a test, on a free port of 127.0.0.1 with its own store, that the
 * test can kill and start again (same port, same store) — e.g. NATS restarting under load. Real nats-server,
 * the binary the test run's server is (NATS_SERVER_BIN, else `nats-server` on the PATH, else /usr/sbin).
 */
export interface SecondNats {
  /** `nats://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** SIGKILL: no lame duck, nothing flushed by the server; JetStream recovers its store at the next start. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store, once it accepts connections. */
  start(): Promise<void>;
  /** Kills it and deletes its store. */
  destroy(): Promise<void>;
  /** What the server logged (to explain a failure). */
  log(): string;
}

function natsServerBinary(): string {
  const fromEnv = process.env['NATS_SERVER_BIN'];
  if (fromEnv) return fromEnv;
  try {
    return execFileSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).trim();
  } catch {
    if (existsSync('/usr/sbin/nats-server')) return '/usr/sbin/nats-server';
    throw new Error('nats-server not found: install it or set NATS_SERVER_BIN');
  }
}

function accepts(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

/** Starts a JetStream nats-server; `config` (nats-server config text) is added to its file when given. */
export async function startSecondNats(options: { config?: string } = {}): Promise<SecondNats> {
  const binary = natsServerBinary();
  const dir = mkdtempSync(join(tmpdir(), 'matrix-nats-'));
  const port = await freePort();
  const configFile = join(dir, 'nats.conf');
  writeFileSync(
    configFile,
    `listen: 127.0.0.1:${port}\njetstream { store_dir: "${join(dir, 'store')}" }\n${options.config ?? ''}\n`,
  );
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  let output = '';
  const start = async () => {
    const process = spawn(binary, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = process;
    process.stdout?.on('data', (chunk) => (output += chunk));
    process.stderr?.on('data', (chunk) => (output += chunk));
    exited = new Promise((resolve) => process.once('exit', resolve));
    try {
      await expectEventually(
        async () => {
          if (process.exitCode !== null) throw new Error(`nats-server exited:\n${output.slice(-2000)}`);
          await accepts(port);
        },
        { timeoutMs: 30_000, intervalMs: 50 },
      );
    } catch (error) {
      process.kill('SIGKILL'); // never leave a server behind that did not come up in time
      throw error;
    }
  };
  const kill = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };
  try {
    await start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    kill,
    start,
    async destroy() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => output,
  };
}
