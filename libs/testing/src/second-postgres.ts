import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';

const run = promisify(execFile);

/**
 * A PostgreSQL server of its own for a test: a fresh cluster (initdb) on a free port of 127.0.0.1, with
 * trust authentication for `postgres`, that the test can stop and start again — e.g. a customer's
 * database that goes away under load. Real PostgreSQL, the same binaries as the test run's server.
 */
export interface SecondPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  readonly port: number;
  /** Stops the server (fast shutdown: sessions are ended); its data stays. */
  stop(): Promise<void>;
  /** Stops it as a crash would (immediate shutdown: no checkpoint, recovery from WAL at the next start). */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

/** The directory holding initdb and pg_ctl: PG_BIN_DIR, else `pg_config --bindir`, else the newest Debian one. */
async function binDir(): Promise<string> {
  if (process.env['PG_BIN_DIR']) return process.env['PG_BIN_DIR'];
  try {
    const { stdout } = await run('pg_config', ['--bindir']);
    const dir = stdout.trim();
    if (existsSync(join(dir, 'initdb'))) return dir;
  } catch {
    // No pg_config on the PATH: look for the server packages.
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error('no PostgreSQL server binaries (initdb) found: set PG_BIN_DIR to their directory');
  }
  return join(root, versions[0]!, 'bin');
}

/**
 * Creates and starts a second PostgreSQL server. PostgreSQL refuses to run as root, so as root the server
 * runs as the `postgres` system user (which the server packages create).
 */
export async function startSecondPostgres(): Promise<SecondPostgres> {
  const bin = await binDir();
  const dir = mkdtempSync(join(tmpdir(), 'matrix-pg-'));
  const asRoot = process.getuid?.() === 0;
  const exec = async (tool: string, args: string[]) => {
    const command = join(bin, tool);
    try {
      if (asRoot) await run('runuser', ['-u', 'postgres', '--', command, ...args]);
      else await run(command, args);
    } catch (error) {
      const { stderr, message } = error as { stderr?: string; message: string };
      throw new Error(`${tool} failed: ${stderr?.trim() || message}`);
    }
  };
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = join(dir, 'data');
  await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c full_page_writes=off`;
  let running = false;
  const start = async () => {
    await exec('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-o',
      options,
      '-w',
      '-t',
      '60',
      'start',
    ]);
    running = true;
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (!running) return;
    await exec('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
    running = false;
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop: () => stop('fast'),
    kill: () => stop('immediate'),
    async destroy() {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
