import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../../..');

/** Builds libs/sdk into examples/node_modules/@matrix-platform/sdk (`node examples/link-sdk.mjs`). */
export function linkSdk(): void {
  const run = spawnSync(process.execPath, [path.join(root, 'examples/link-sdk.mjs')], { encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(`examples/link-sdk.mjs exited ${run.status}:\n${run.stdout}${run.stderr}`);
  }
}

/** One example script (examples/<file>) running as its own node process; its stdout is JSON lines. */
export class ExampleProcess {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  stdout = '';
  stderr = '';

  constructor(
    readonly file: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  start(): this {
    this.child = spawn(process.execPath, [path.join(root, 'examples', this.file)], {
      cwd: root,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk) => (this.stdout += chunk));
    this.child.stderr?.on('data', (chunk) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child?.on('exit', resolve));
    return this;
  }

  /** Every complete stdout line, parsed. */
  lines<T = Record<string, unknown>>(): T[] {
    return this.stdout
      .split('\n')
      .slice(0, -1)
      .map((line) => JSON.parse(line) as T);
  }

  /** The exit code once the script ended by itself. */
  finished(): Promise<number | null> {
    return this.exited ?? Promise.resolve(null);
  }

  /** SIGTERM, and the exit code. */
  async stop(): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill('SIGTERM');
    return this.finished();
  }
}
