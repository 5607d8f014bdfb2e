import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expectEventually, freePort } from '@matrix/testing';

export { freePort };

const root = path.resolve(__dirname, '../../../..');

export const SERVICES = [
  'matrix-api-gateway',
  'push-ingress',
  'event-router',
  'incident-service',
  'sensor-normaliser',
  'sql-projector',
] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * Runs a built bundle once (e.g. `matrix-cli provision`, `sql-projector migrate`) and fails on a non-zero
 * exit; answers what it printed (stdout and stderr).
 */
export async function runOnce(
  app: string,
  command: string,
  env: NodeJS.ProcessEnv,
  args: readonly string[] = [],
): Promise<string> {
  const child = spawn(process.execPath, [path.join(root, 'dist/apps', app, 'main.cjs'), command, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`${app} ${command} exited ${code}:\n${output}`);
  return output;
}

/** One running service process (the real built bundle) on a free port. */
export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  output = '';

  constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): this {
    const bundle = path.join(root, 'dist/apps', this.name, 'main.cjs');
    this.child = spawn(process.execPath, ['--enable-source-maps', bundle], {
      env: { ...process.env, ...this.env, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk) => (this.output += chunk));
    this.child.stderr?.on('data', (chunk) => (this.output += chunk));
    this.exited = new Promise((resolve) => this.child?.on('exit', resolve));
    return this;
  }

  async waitReady(timeoutMs = 30000): Promise<void> {
    await expectEventually(
      async () => {
        if (this.child?.exitCode !== null) {
          throw new Error(`${this.name} exited:\n${this.output.slice(-2000)}`);
        }
        const response = await fetch(`${this.url}/health/ready`);
        if (response.status !== 200) throw new Error(`${this.name} not ready: ${await response.text()}`);
      },
      { timeoutMs, intervalMs: 100 },
    );
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM and wait for the exit code. */
  async stop(): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill('SIGTERM');
    return this.exited ?? null;
  }
}

/** What the gateway's `bootstrap` command answers: an organisation, its property, the property's admin key. */
export interface BootstrappedTenant {
  readonly org: string;
  readonly propid: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly role: string;
}

/** The whole platform, started from the built bundles against one namespace and database. */
export class Platform {
  readonly services = new Map<ServiceName, ServiceProcess>();
  /** Second (and further) replicas, started by `startReplicas`. */
  private readonly extraReplicas: ServiceProcess[] = [];

  /** `envFor`: what one app gets on top of `env`, e.g. its own NATS credentials. */
  constructor(
    readonly env: NodeJS.ProcessEnv,
    readonly envFor: (app: string) => NodeJS.ProcessEnv = () => ({}),
  ) {}

  /** The environment `app` runs with. */
  envOf(app: string): NodeJS.ProcessEnv {
    return { ...this.env, ...this.envFor(app) };
  }

  async start(names: readonly ServiceName[] = SERVICES): Promise<void> {
    await this.provision(names);
    await this.startServices(names);
  }

  /** Provisions the topology and KV buckets, and runs the migrations of those of `names` that own a schema. */
  async provision(names: readonly ServiceName[] = SERVICES): Promise<void> {
    // nats-server reserves every stream's max_bytes in its store: a suite's platform takes 2 GiB of it, not
    // the 7 GiB default meant for a server of its own, so suites side by side fit on a small CI disk.
    await runOnce('matrix-cli', 'provision', { NATS_JETSTREAM_BUDGET: '2GiB', ...this.envOf('matrix-cli') });
    for (const owner of ['sql-projector', 'matrix-api-gateway', 'event-router', 'incident-service']) {
      if (names.includes(owner as ServiceName)) await runOnce(owner, 'migrate', this.envOf(owner));
    }
  }

  /** Starts the services and waits until every one is ready. */
  async startServices(names: readonly ServiceName[] = SERVICES): Promise<void> {
    for (const name of names) {
      this.services.set(name, new ServiceProcess(name, await freePort(), this.envOf(name)).start());
    }
    await Promise.all([...this.services.values()].map((service) => service.waitReady()));
  }

  /**
   * Starts one more process of each of `names` (a second replica beside the one `startServices` started) on a
   * port of its own, and waits until they are ready: `replica(name, 1)` is the first of them.
   */
  async startReplicas(names: readonly ServiceName[]): Promise<ServiceProcess[]> {
    const started = [];
    for (const name of names) {
      const replica = new ServiceProcess(name, await freePort(), this.envOf(name)).start();
      this.extraReplicas.push(replica);
      started.push(replica);
    }
    await Promise.all(started.map((replica) => replica.waitReady()));
    return started;
  }

  /** Replica `index` of a service: 0 is `service(name)`, 1… those of `startReplicas`. */
  replica(name: ServiceName, index: number): ServiceProcess {
    if (index === 0) return this.service(name);
    const replica = this.extraReplicas.filter((r) => r.name === name)[index - 1];
    if (!replica) throw new Error(`${name} has no replica ${index}`);
    return replica;
  }

  /** Replaces a (killed) extra replica by a fresh process on the same port. */
  async restartReplica(name: ServiceName, index: number): Promise<ServiceProcess> {
    if (index === 0) return this.restart(name);
    const old = this.replica(name, index);
    const fresh = new ServiceProcess(name, old.port, this.envOf(name)).start();
    this.extraReplicas[this.extraReplicas.indexOf(old)] = fresh;
    await fresh.waitReady();
    return fresh;
  }

  /** Runs the gateway's `bootstrap` command for an organisation and property and answers its JSON line. */
  async bootstrapTenant(org: string, property: string, timeZone: string): Promise<BootstrappedTenant> {
    const output = await runOnce('matrix-api-gateway', 'bootstrap', {
      ...this.envOf('matrix-api-gateway'),
      BOOTSTRAP_ORG: org,
      BOOTSTRAP_PROPERTY: property,
      BOOTSTRAP_TIME_ZONE: timeZone,
    });
    const line = output
      .trim()
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('{'));
    if (!line) throw new Error(`matrix-api-gateway bootstrap printed no JSON line:\n${output}`);
    return JSON.parse(line) as BootstrappedTenant;
  }

  service(name: ServiceName): ServiceProcess {
    const service = this.services.get(name);
    if (!service) throw new Error(`${name} is not running`);
    return service;
  }

  /** Replaces a (killed) service by a fresh process on the same port. */
  async restart(name: ServiceName): Promise<ServiceProcess> {
    const old = this.service(name);
    const fresh = new ServiceProcess(name, old.port, this.envOf(name)).start();
    this.services.set(name, fresh);
    await fresh.waitReady();
    return fresh;
  }

  /** Stops every process with SIGTERM; answers the exit code of each service's first replica. */
  async stop(): Promise<Record<string, number | null>> {
    const [codes] = await Promise.all([
      Promise.all([...this.services.values()].map(async (s) => [s.name, await s.stop()] as const)),
      Promise.all(this.extraReplicas.map((replica) => replica.stop())),
    ]);
    return Object.fromEntries(codes);
  }
}
