import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { natsEnv } from '@matrix/platform';
import { validate as validateDockerfile, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils';
import {
  configMapHash,
  hasKubectl,
  kubectlKustomize,
  loadYaml,
  renderKustomization,
  type Manifest,
} from './support/kustomize';
import {
  allContainers,
  connectionAllowed,
  filesUnder,
  parseDockerfile,
  podPeer,
  podTemplate,
  productionImports,
  quantity,
  readApps,
  root,
  selects,
  type LabelSelector,
  type Peer,
} from './support/manifests';
import { strictSchemaErrors } from './support/strict-schema';

/*
 * docker/ and k8s/ checked statically (no Docker engine or cluster here): every YAML file parses, each
 * kustomize overlay renders and validates against the Kubernetes schemas (kubernetes-models; unknown
 * fields too, support/strict-schema.ts), and the
 * rendered objects have the properties the platform relies on. Apps, ports, env names and migration
 * owners come from apps/ (project.json serve targets, README env tables), not from lists in here.
 */

const apps = readApps();
const services = apps.filter((app) => app.serveArgs?.length === 0);
const oneShots = apps.filter((app) => (app.serveArgs?.length ?? 0) > 0);
const owners = apps.filter((app) => app.migrates);
const appNamed = (name: string) => apps.find((app) => app.name === name);
const defaultPort = (name: string) => Number(appNamed(name)?.env.get('HTTP_PORT'));

/** The services the HorizontalPodAutoscaler scales; incident-service runs fixed replicas (docs/deployment.md). */
const AUTOSCALED = [
  'matrix-api-gateway',
  'push-ingress',
  'event-router',
  'sensor-normaliser',
  'sql-projector',
];
/** The Namespace annotation that holds the PostgreSQL connection budget (k8s/base/namespace.yaml). */
const BUDGET_ANNOTATION = 'matrix/postgres-connection-budget';
/**
 * Connections the budget keeps free for one-off commands: `matrix-api-gateway bootstrap` (kubectl exec,
 * a pool of 2) and one more session (an operator's psql or a metrics exporter as a non-superuser).
 */
const BUDGET_HEADROOM = 3;
/**
 * Source files that open PostgreSQL connections outside the service's own database budget, and why:
 * sql-projector's sink pools reach customers' databases (docs/sql.md), and the gateway's bootstrap is a
 * one-off command (BUDGET_HEADROOM).
 */
const OUTSIDE_BUDGET = [
  'apps/sql-projector/src/sinks/sink-target.ts',
  'apps/matrix-api-gateway/src/credentials/bootstrap.command.ts',
];

/**
 * The connections a service's pod holds besides its DATABASE_POOL_MAX pool, read from its source: one per
 * leader lock (LeaderGate subclass, LeaderLoop, AdvisoryLeader), LISTEN session (PgListener) and
 * dedicated Client; two per OutboxModule (the relay's lock and its LISTEN); and each further pg Pool's
 * size, from its own `*_POOL_MAX` variable. A new connection in the code changes this count, and so the
 * budget check, without anyone remembering to.
 */
function dedicatedConnections(app: string, poolVariables: Map<string, number>): number {
  const files = filesUnder(`apps/${app}/src`, /\.ts$/).filter(
    (file) => !/\.(spec|integration-spec)\.ts$/.test(file) && !OUTSIDE_BUDGET.includes(file),
  );
  const code = files
    .map((file) => readFileSync(path.join(root, file), 'utf8'))
    .join('\n')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|\s)\/\/.*$/gm, '$1');
  const count = (pattern: RegExp) => code.match(pattern)?.length ?? 0;
  const single =
    count(/\bextends LeaderGate\b/g) +
    count(/\bnew (LeaderLoop|AdvisoryLeader|PgListener|Client)\(/g) +
    2 * count(/\bOutboxModule\.forRoot\(/g);
  const pools = count(/\bnew Pool\(/g);
  expect([app, 'pools with their own *_POOL_MAX', poolVariables.size]).toEqual([
    app,
    'pools with their own *_POOL_MAX',
    pools,
  ]);
  return single + [...poolVariables.values()].reduce((sum, n) => sum + n, 0);
}
/** Read by node itself, not by the app's config. */
const RUNTIME_ENV = ['NODE_OPTIONS'];
/** Secrets the operator creates (docs/deployment.md); any other Secret referenced must be rendered. */
const OPERATOR_SECRETS = ['matrix-database', 'matrix-api-gateway'];

/** Env names an app accepts: its README table, or for matrix-cli the NATS fragment it loads. */
function acceptedEnv(app: string): Set<string> {
  const info = appNamed(app);
  if (!info) throw new Error(`no app ${app}`);
  if (info.env.size > 0) return new Set([...info.env.keys(), ...RUNTIME_ENV]);
  const main = readFileSync(path.join(root, 'apps', app, 'src/main.ts'), 'utf8');
  const loads = [...main.matchAll(/loadEnv\(([^,)]+)/g)].map((m) => m[1]?.trim());
  expect(loads).toEqual(loads.map(() => 'natsEnv'));
  return new Set([...Object.keys(natsEnv), ...RUNTIME_ENV]);
}

/** The app an image runs: the last path segment of its name (`registry/matrix/push-ingress:1.0`). */
const imageApp = (image = '') =>
  image
    .split('@')[0]
    ?.replace(/:[^/:]*$/, '')
    .split('/')
    .pop() ?? '';
const imageTag = (image = '') => /:([^/:@]+)(@|$)/.exec(image)?.[1];

describe('docker/Dockerfile', () => {
  const dockerfile = readFileSync(path.join(root, 'docker/Dockerfile'), 'utf8');
  const stages = parseDockerfile(dockerfile);
  const stage = (name: string) => stages.find((s) => s.name === name);
  const args = (name: string, instruction: string) =>
    (stage(name)?.lines ?? []).filter(([i]) => i === instruction).map(([, a]) => a);
  const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

  it('passes a static lint (dockerfile-utils, the Docker language server validator) with every check an error', () => {
    const strict: ValidatorSettings = {
      deprecatedMaintainer: ValidationSeverity.ERROR,
      directiveCasing: ValidationSeverity.ERROR,
      emptyContinuationLine: ValidationSeverity.ERROR,
      instructionCasing: ValidationSeverity.ERROR,
      instructionCmdMultiple: ValidationSeverity.ERROR,
      instructionEntrypointMultiple: ValidationSeverity.ERROR,
      instructionHealthcheckMultiple: ValidationSeverity.ERROR,
      instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
      instructionWorkdirRelative: ValidationSeverity.ERROR,
    };
    const problems = (content: string) =>
      validateDockerfile(content, strict).map((d) => `${d.range.start.line + 1}: ${d.message}`);
    expect(problems(dockerfile)).toEqual([]);
    // The lint finds what it should: a relative WORKDIR, a second CMD, an unknown instruction.
    expect(
      problems(`${dockerfile}\nWORKDIR app\nCMD ["a"]\nCMD ["b"]\nRUNN true\n`).length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('builds the bundle of ARG APP with the dev dependencies in a build stage', () => {
    expect(args('build', 'ARG')).toContain('APP');
    expect(args('build', 'RUN').some((run) => /\bnpm ci\b/.test(run) && !run.includes('--omit=dev'))).toBe(
      true,
    );
    expect(args('build', 'RUN')).toContainEqual(
      expect.stringContaining('node tools/esbuild/build.mjs "$APP"'),
    );
  });

  it('runs on production node_modules only, as a non-root user, with NODE_ENV=production', () => {
    const copies = args('runtime', 'COPY');
    const depsStage = /--from=(\S+) \/app\/node_modules/.exec(copies.join('\n'))?.[1] ?? '';
    expect(args(depsStage, 'RUN')).toContainEqual(expect.stringMatching(/npm ci --omit=dev/));
    expect(copies).toContainEqual(expect.stringMatching(/--from=build \/app\/dist\/apps\/\$\{APP\}\//));
    expect(args('runtime', 'ENV')).toContain('NODE_ENV=production');
    const user = args('runtime', 'USER').pop() ?? 'root';
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/); // numeric, so runAsNonRoot can verify it
  });

  it('starts node on dist/apps/<APP>/main.cjs through an entrypoint that takes APP from the build argument', () => {
    expect(args('runtime', 'ENV')).toContain('MATRIX_APP=${APP}');
    const [entrypoint] = JSON.parse(args('runtime', 'ENTRYPOINT')[0] ?? '[]') as string[];
    const copied = args('runtime', 'COPY').find((copy) => copy.endsWith(` /usr/local/bin/${entrypoint}`));
    const script = path.join(root, copied?.split(' ').at(-2) ?? 'missing');
    expect(readFileSync(script, 'utf8')).toMatch(
      /^exec node --enable-source-maps "\/app\/dist\/apps\/\$\{MATRIX_APP\}\/main\.cjs" "\$@"$/m,
    );
    expect(statSync(script).mode & 0o111).not.toBe(0);
  });

  it('the default target is a service with EXPOSE, HTTP_PORT and a HEALTHCHECK on /health/live via fetch', () => {
    expect(stages.at(-1)?.name).toBe('service');
    expect(stage('cli')?.from).toBe('runtime');
    expect(args('service', 'EXPOSE')).toEqual(['${PORT}']);
    expect(args('service', 'ENV')).toContain('HTTP_PORT=${PORT}');
    const [healthcheck = ''] = args('service', 'HEALTHCHECK');
    const command = JSON.parse(healthcheck.replace(/^.*?CMD /, '')) as string[];
    expect(command).toEqual(['node', '/app/healthcheck.cjs', '/health/live']);
    const script = readFileSync(path.join(root, 'docker/healthcheck.cjs'), 'utf8');
    expect(script).toMatch(/fetch\(`http:\/\/127\.0\.0\.1:\$\{port\}\$\{path\}`/);
    expect(script).toContain('process.env.HTTP_PORT');
  });

  it('copies only what exists and what .dockerignore lets into the context', () => {
    expect(ignored).toEqual(
      expect.arrayContaining(['node_modules', 'dist', '.nx', 'tmp', '.matrix', '.git']),
    );
    const sources = stages
      .flatMap((s) => s.lines)
      .filter(([i, a]) => i === 'COPY' && !a.includes('--from='))
      .flatMap(([, a]) =>
        a
          .split(' ')
          .filter((word) => !word.startsWith('--'))
          .slice(0, -1),
      );
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(statSync(path.join(root, source), { throwIfNoEntry: false })).toBeDefined();
      expect(ignored.filter((p) => source === p || source.startsWith(`${p}/`))).toEqual([]);
    }
  });

  it('production node_modules (npm ci --omit=dev) hold every package the bundles load', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const builtins = new Set(builtinModules);
    const missing = [...productionImports()].filter(
      ([name]) => !name.startsWith('node:') && !builtins.has(name) && !(name in pkg.dependencies),
    );
    expect(missing).toEqual([]);
  });
});

interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; target?: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  restart?: string;
  cap_drop?: string[];
  read_only?: boolean;
  [key: string]: unknown;
}

/** Service keys of the Compose Specification (compose-spec.json), to catch misspelt ones. */
const COMPOSE_SERVICE_KEYS = new Set(
  `annotations attach blkio_config build cap_add cap_drop cgroup cgroup_parent command configs container_name
  cpu_count cpu_percent cpu_period cpu_quota cpu_rt_period cpu_rt_runtime cpu_shares cpus cpuset credential_spec
  depends_on deploy develop device_cgroup_rules devices dns dns_opt dns_search domainname entrypoint env_file
  environment expose extends external_links extra_hosts gpus group_add healthcheck hostname image init ipc
  isolation labels label_file links logging mac_address mem_limit mem_reservation mem_swappiness memswap_limit
  network_mode networks oom_kill_disable oom_score_adj pid pids_limit platform ports post_start pre_stop
  privileged profiles pull_policy read_only restart runtime scale secrets security_opt shm_size stdin_open
  stop_grace_period stop_signal storage_opt sysctls tmpfs tty ulimits user userns_mode uts volumes volumes_from
  working_dir`.split(/\s+/),
);

describe('docker/compose.yaml', () => {
  const [compose] = loadYaml(path.join(root, 'docker/compose.yaml')) as {
    services: Record<string, ComposeService>;
    [key: string]: unknown;
  }[];
  const all = Object.entries(compose?.services ?? {});
  const runs = (app: string, command: string[] = []) =>
    all.filter(
      ([, s]) => s.build?.args?.['APP'] === app && (s.command ?? []).join(' ') === command.join(' '),
    );

  it('uses only Compose Specification keys', () => {
    expect(Object.keys(compose ?? {}).filter((k) => !k.startsWith('x-'))).toEqual(
      expect.arrayContaining(['services']),
    );
    for (const [name, service] of all) {
      expect([name, Object.keys(service).filter((k) => !COMPOSE_SERVICE_KEYS.has(k))]).toEqual([name, []]);
    }
  });

  it('gives every long-running service a healthcheck and every one-shot restart "no"', () => {
    for (const [name, service] of all) {
      const oneShot = service.restart === 'no';
      expect([name, oneShot ? service.healthcheck?.disable : service.healthcheck?.test?.[0]]).toEqual([
        name,
        oneShot ? true : expect.stringMatching(/^CMD(-SHELL)?$/),
      ]);
    }
  });

  it.each(services.map((app) => app.name))(
    '%s is built from the Dockerfile on its own port, on 127.0.0.1',
    (app) => {
      const [[, service] = ['', {} as ComposeService]] = runs(app);
      const port = defaultPort(app);
      expect(service.build).toMatchObject({
        context: '..',
        dockerfile: 'docker/Dockerfile',
        args: { PORT: String(port) },
      });
      expect(service.ports).toEqual([`127.0.0.1:${port}:${port}`]);
      expect(service.healthcheck?.test).toEqual(['CMD', 'node', '/app/healthcheck.cjs', '/health/ready']);
      expect(service).toMatchObject({ cap_drop: ['ALL'], read_only: true });
    },
  );

  it('runs each one-shot serve command (matrix-cli provision) before the services', () => {
    for (const app of oneShots) {
      const [[name, service] = ['', {} as ComposeService]] = runs(app.name, app.serveArgs);
      expect(service.build?.target).toBe('cli');
      for (const { name: dependent } of services) {
        expect(runs(dependent)[0]?.[1].depends_on?.[name]?.condition).toBe('service_completed_successfully');
      }
    }
  });

  it('runs every schema owner’s migrations before that owner starts, and waits for healthy infrastructure', () => {
    expect(owners.length).toBeGreaterThan(0);
    for (const owner of owners) {
      const [[migrate] = ['']] = runs(owner.name, ['migrate']);
      const [, service] = runs(owner.name)[0] ?? [];
      expect(service?.depends_on?.[migrate]?.condition).toBe('service_completed_successfully');
    }
    for (const [name, service] of all) {
      const env = Object.keys(service.environment ?? {});
      const needs = [
        ...(env.includes('NATS_URL') ? ['nats'] : []),
        ...(env.includes('DATABASE_URL') ? ['postgres'] : []),
      ];
      for (const infra of needs) {
        // Some chain of depends_on ends in `infra: service_healthy` (e.g. via a migrate service).
        const seen = new Set<string>();
        const waits = (from: string): boolean =>
          Object.entries(compose?.services[from]?.depends_on ?? {}).some(([next, { condition }]) =>
            next === infra
              ? condition === 'service_healthy'
              : !seen.has(next) && !!seen.add(next) && waits(next),
          );
        expect([name, infra, waits(name)]).toEqual([name, infra, true]);
      }
    }
  });

  it('sets every variable a service requires and only ones the apps accept; ports on 127.0.0.1 only', () => {
    for (const [name, service] of all) {
      const app = service.build?.args?.['APP'];
      if (app) {
        const env = Object.keys(service.environment ?? {});
        expect([name, env.filter((k) => !acceptedEnv(app).has(k))]).toEqual([name, []]);
        const missing = service.command
          ? []
          : (appNamed(app)?.required ?? []).filter((k) => !env.includes(k));
        expect([name, 'required', missing]).toEqual([name, 'required', []]);
      }
      for (const port of service.ports ?? []) {
        expect([name, port]).toEqual([name, expect.stringMatching(/^127\.0\.0\.1:/)]);
      }
      expect([name, service.cap_drop]).toEqual([name, ['ALL']]);
    }
  });
});

describe('k8s/', () => {
  const yamlFiles = filesUnder('k8s', /\.ya?ml$/);

  it('every YAML file under docker/ and k8s/ parses, and every k8s file is used by a kustomization', () => {
    const all = [...filesUnder('docker', /\.ya?ml$/), ...yamlFiles];
    expect(all.length).toBeGreaterThan(5);
    for (const file of all) expect(() => loadYaml(path.join(root, file))).not.toThrow();
    const referenced = new Set<string>();
    for (const kustomization of yamlFiles.filter((f) => f.endsWith('kustomization.yaml'))) {
      referenced.add(kustomization);
      const [config] = loadYaml(path.join(root, kustomization)) as {
        resources?: string[];
        patches?: { path?: string }[];
      }[];
      const dir = path.dirname(kustomization);
      for (const ref of [...(config?.resources ?? []), ...(config?.patches ?? []).map((p) => p.path ?? '')]) {
        referenced.add(path.join(dir, ref));
      }
    }
    expect(yamlFiles.filter((file) => !referenced.has(file))).toEqual([]);
  });

  it('the in-test renderer names generated ConfigMaps as kustomize 5 does', () => {
    // Suffixes kubectl kustomize (kustomize v5.5.0) gave these literals; `<`, `>`, `&` are escaped as Go does.
    expect(configMapHash({ A: 'b' })).toBe('b9t2424hkf');
    expect(configMapHash({ Q: 'a<b>&c', E: '' })).toBe('dmc2f79gh2');
    expect(configMapHash({ NATS_URL: 'nats://nats:4222', NATS_NAMESPACE: '', LOG_LEVEL: 'info' })).toBe(
      'fg4k4cdt6b',
    );
  });

  it('the strict schema check names unknown fields at any depth and values of the wrong type', () => {
    const deployment = (container: Record<string, unknown>): Manifest => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'probe' },
      spec: {
        selector: { matchLabels: { app: 'probe' } },
        template: { metadata: { labels: { app: 'probe' } }, spec: { containers: [container] } },
      },
    });
    const errors = strictSchemaErrors(
      [
        deployment({ name: 'ok', image: 'probe:1', ports: [{ containerPort: 80 }] }),
        deployment({ name: 'typo', image: 'probe:1', imagePullPolicyy: 'Always' }),
        deployment({ name: 'type', image: 'probe:1', ports: [{ containerPort: '80' }] }),
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'cm', labelz: {} },
          data: {},
        } as unknown as Manifest,
      ],
      root,
    );
    expect(errors).toEqual([
      expect.stringMatching(
        /^Deployment\/probe: .*'"?imagePullPolicyy"?' does not exist in type 'IContainer'/,
      ),
      expect.stringMatching(/^Deployment\/probe: Type 'string' is not assignable to type 'number'/),
      expect.stringMatching(/^ConfigMap\/cm: .*'"?labelz"?' does not exist in type/),
    ]);
  });

  const kubectl = hasKubectl();
  (kubectl ? it : it.skip).each(['base', 'overlays/dev', 'overlays/prod'])(
    'the in-test renderer agrees with kubectl kustomize on k8s/%s',
    (dir) => {
      const key = (m: Manifest) => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
      const byKey = (list: Manifest[]) => Object.fromEntries(list.map((m) => [key(m), m]));
      const full = path.join(root, 'k8s', dir);
      expect(byKey(renderKustomization(full))).toEqual(byKey(kubectlKustomize(full) ?? []));
    },
  );
});

describe.each(['dev', 'prod'])('k8s/overlays/%s', (overlay) => {
  const dir = path.join(root, 'k8s/overlays', overlay);
  let rendered: Manifest[] = [];
  beforeAll(() => {
    rendered = kubectlKustomize(dir) ?? renderKustomization(dir);
  });
  const ofKind = (kind: string) => rendered.filter((m) => m.kind === kind);
  const find = (kind: string, name: string) => ofKind(kind).find((m) => m.metadata.name === name);
  const deployment = (name: string) => find('Deployment', name);
  /** A ConfigMap from a configMapGenerator: its name carries kustomize's hash suffix. */
  const generatedConfigMap = (name: string) =>
    ofKind('ConfigMap').find((m) => new RegExp(`^${name}-[a-z0-9]{10}$`).test(m.metadata.name));
  const spec = <T>(m: Manifest | undefined) => (m?.['spec'] ?? {}) as T;
  const workloads = () => rendered.filter((m) => podTemplate(m) !== undefined);
  const policies = () => ofKind('NetworkPolicy') as unknown as INetworkPolicy[];
  const containerEnv = (container: IContainer, name: string) => container.env?.find((e) => e.name === name);
  const mainContainer = (m: Manifest | undefined) => podTemplate(m)?.spec?.containers[0];

  it('validates against the Kubernetes schemas, unknown fields included, and lands in the matrix namespace', async () => {
    expect(rendered.length).toBeGreaterThan(20);
    expect(strictSchemaErrors(rendered, root)).toEqual([]);
    for (const m of rendered) {
      const models = (await import(`kubernetes-models/${m.apiVersion}/${m.kind}`)) as Record<
        string,
        new (data: unknown) => { validate(): void }
      >;
      const Model = models[m.kind];
      if (!Model) throw new Error(`no schema for ${m.apiVersion} ${m.kind}`);
      expect(() => new Model(m).validate()).not.toThrow();
      expect(m.metadata.namespace ?? (m.kind === 'Namespace' ? undefined : 'none')).toBe(
        m.kind === 'Namespace' ? undefined : 'matrix',
      );
    }
    expect(find('Namespace', 'matrix')).toBeDefined();
  });

  it('has a Deployment for every app with a serve target, and a Job for every one-shot serve command', () => {
    expect(services.length).toBeGreaterThanOrEqual(6);
    for (const app of services) {
      expect([app.name, imageApp(mainContainer(deployment(app.name))?.image)]).toEqual([app.name, app.name]);
    }
    const jobContainers = ofKind('Job').flatMap((job) => allContainers(podTemplate(job) ?? {}));
    for (const app of oneShots) {
      expect(
        jobContainers.filter(
          (c) => imageApp(c.image) === app.name && c.args?.join(' ') === app.serveArgs?.join(' '),
        ),
      ).toHaveLength(1);
    }
  });

  it('every schema owner’s pods run its own migrate first, in its image, and nothing else migrates', () => {
    expect(owners.length).toBeGreaterThan(0);
    for (const m of workloads()) {
      const template = podTemplate(m) ?? {};
      const migrating = allContainers(template).filter((c) => c.args?.join(' ') === 'migrate');
      const owner = m.kind === 'Deployment' && owners.some((o) => o.name === m.metadata.name);
      const where = `${m.kind}/${m.metadata.name}`;
      expect([where, migrating.map((c) => imageApp(c.image))]).toEqual([
        where,
        owner ? [m.metadata.name] : [],
      ]);
      if (!owner) continue;
      const [init] = template.spec?.initContainers ?? [];
      expect([where, init?.args, init?.image]).toEqual([where, ['migrate'], mainContainer(m)?.image]);
      expect(containerEnv(init ?? ({} as IContainer), 'DATABASE_URL')?.valueFrom?.secretKeyRef?.name).toBe(
        'matrix-database',
      );
    }
  });

  it('a change to matrix-config changes the pod template of every workload that reads it, so each rolls', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'matrix-k8s-'));
    try {
      cpSync(path.join(root, 'k8s'), path.join(copy, 'k8s'), { recursive: true });
      const base = path.join(copy, 'k8s/base/kustomization.yaml');
      const text = readFileSync(base, 'utf8');
      expect(text).toContain('- NATS_NAMESPACE=\n');
      writeFileSync(base, text.replace('- NATS_NAMESPACE=\n', '- NATS_NAMESPACE=blue\n'));
      const changedDir = path.join(copy, 'k8s/overlays', overlay);
      const changed = kubectlKustomize(changedDir) ?? renderKustomization(changedDir);
      const templates = (list: Manifest[]) =>
        new Map(
          list
            .filter((m) => podTemplate(m) !== undefined)
            .map((m) => [`${m.kind}/${m.metadata.name}`, JSON.stringify(podTemplate(m))]),
        );
      const before = templates(rendered);
      const after = templates(changed);
      expect([...after.keys()]).toEqual([...before.keys()]);
      const readsConfig = (template = '') => template.includes('"matrix-config-');
      for (const app of services) {
        expect([app.name, readsConfig(before.get(`Deployment/${app.name}`))]).toEqual([app.name, true]);
      }
      for (const [key, template] of before) {
        // The provisioning Job takes the NATS values themselves (its template cannot change in place).
        const expected =
          readsConfig(template) || (key.startsWith('Job/') && template.includes('NATS_NAMESPACE'));
        expect([key, after.get(key) !== template]).toEqual([key, expected]);
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('a matrix-config change other than its NATS values leaves the provisioning Job as it is', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'matrix-k8s-'));
    try {
      cpSync(path.join(root, 'k8s'), path.join(copy, 'k8s'), { recursive: true });
      const base = path.join(copy, 'k8s/base/kustomization.yaml');
      const text = readFileSync(base, 'utf8');
      writeFileSync(base, text.replace('- LOG_LEVEL=info\n', '- LOG_LEVEL=info\n      - SOME_SETTING=x\n'));
      const changedDir = path.join(copy, 'k8s/overlays', overlay);
      const changed = kubectlKustomize(changedDir) ?? renderKustomization(changedDir);
      const jobs = (list: Manifest[]) => list.filter((m) => m.kind === 'Job');
      expect(jobs(rendered).length).toBeGreaterThan(0);
      expect(jobs(changed)).toEqual(jobs(rendered));
      expect(ofKind('ConfigMap').map((c) => c.metadata.name)).not.toEqual(
        changed.filter((m) => m.kind === 'ConfigMap').map((c) => c.metadata.name),
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('names the provisioning Job per release, so a new version is a new Job rather than an edit of a finished one', () => {
    const jobs = ofKind('Job');
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      const version = job.metadata.labels?.['app.kubernetes.io/version'] ?? '';
      const base = job.metadata.labels?.['app.kubernetes.io/name'] ?? '';
      expect(version).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
      expect(job.metadata.name).toBe(`${base}-${version}`);
      // The Job's name is a label value of its pods (job-name): a DNS subdomain of at most 63 characters.
      expect(job.metadata.name).toMatch(/^(?=.{1,63}$)[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
      for (const c of allContainers(podTemplate(job) ?? {})) {
        const tag = imageTag(c.image);
        if (tag) expect([c.name, tag]).toEqual([c.name, version]);
      }
    }
  });

  it('images carry an explicit tag, never latest', () => {
    for (const m of workloads()) {
      for (const c of allContainers(podTemplate(m) ?? {})) {
        expect([c.name, imageTag(c.image)]).toEqual([c.name, expect.stringMatching(/^(?!latest$)./)]);
      }
    }
  });

  it.each(services.map((s) => s.name))('%s: probes, port, Service and PodDisruptionBudget match', (app) => {
    const template = podTemplate(deployment(app)) ?? {};
    const container = mainContainer(deployment(app));
    const port = defaultPort(app);
    expect(containerEnv(container ?? ({} as IContainer), 'HTTP_PORT')?.value ?? String(port)).toBe(
      String(port),
    );
    const named = container?.ports?.find((p) => p.containerPort === port);
    expect(named?.name).toBeDefined();
    // Probes and scrapes on METRICS_PORT (its own named port), which the Service does not expose.
    const metricsPort = Number(containerEnv(container ?? ({} as IContainer), 'METRICS_PORT')?.value);
    expect(metricsPort).not.toBe(port);
    const metrics = container?.ports?.find((p) => p.containerPort === metricsPort);
    expect(metrics?.name).toBe('metrics');
    const probe = (kind: 'startupProbe' | 'livenessProbe' | 'readinessProbe') => container?.[kind]?.httpGet;
    for (const [kind, pathName] of [
      ['startupProbe', '/health/live'],
      ['livenessProbe', '/health/live'],
      ['readinessProbe', '/health/ready'],
    ] as const) {
      expect([kind, probe(kind)?.path, [metrics?.name, metricsPort].includes(probe(kind)?.port)]).toEqual([
        kind,
        pathName,
        true,
      ]);
    }
    const labels = (template.metadata?.labels ?? {}) as Record<string, string>;
    const service = ofKind('Service').find((s) =>
      selects({ matchLabels: spec<{ selector?: Record<string, string> }>(s).selector }, labels),
    );
    const servicePort = spec<{ ports: { port: number; targetPort: unknown }[] }>(service).ports.find(
      (p) => p.port === port,
    );
    expect([port, named?.name]).toContain(servicePort?.targetPort);
    const exposed = spec<{ ports: { port: number; targetPort: unknown }[] }>(service).ports;
    expect(exposed.some((p) => [metricsPort, 'metrics'].includes(p.targetPort as never))).toBe(false);
    const pdb = ofKind('PodDisruptionBudget').find((p) =>
      selects(spec<{ selector: LabelSelector }>(p).selector, labels),
    );
    expect(spec<{ maxUnavailable?: unknown }>(pdb).maxUnavailable).toBe(1);
    expect(template.metadata?.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(metricsPort),
      'prometheus.io/path': '/metrics',
    });
  });

  it.each(services.map((s) => s.name))(
    '%s: resources, heap within the limit, and time for a graceful shutdown',
    (app) => {
      const template = podTemplate(deployment(app)) ?? {};
      const container = mainContainer(deployment(app)) ?? ({} as IContainer);
      const { requests = {}, limits = {} } = container.resources ?? {};
      expect(quantity(requests['cpu'])).toBeGreaterThan(0);
      expect(quantity(limits['memory'])).toBeGreaterThanOrEqual(quantity(requests['memory']));
      const heapMiB = Number(
        /--max-old-space-size=(\d+)/.exec(containerEnv(container, 'NODE_OPTIONS')?.value ?? '')?.[1],
      );
      expect(heapMiB * 2 ** 20).toBeLessThanOrEqual(0.8 * quantity(limits['memory']));
      const shutdownMs = Number(
        containerEnv(container, 'SHUTDOWN_TIMEOUT_MS')?.value ??
          appNamed(app)?.env.get('SHUTDOWN_TIMEOUT_MS'),
      );
      const preStopS = Number(container.lifecycle?.preStop?.exec?.command?.find((w) => /^\d+$/.test(w)) ?? 0);
      expect(template.spec?.terminationGracePeriodSeconds).toBeGreaterThan(shutdownMs / 1000 + preStopS);
    },
  );

  it('every pod runs non-root, read-only, without privilege escalation or capabilities, under RuntimeDefault seccomp', () => {
    expect(workloads().length).toBeGreaterThan(services.length);
    for (const m of workloads()) {
      const pod = (podTemplate(m) as IPodTemplateSpec).spec;
      const where = `${m.kind}/${m.metadata.name}`;
      expect([where, pod?.securityContext]).toEqual([
        where,
        expect.objectContaining({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }),
      ]);
      expect(pod?.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(pod?.automountServiceAccountToken).toBe(false);
      for (const c of allContainers(podTemplate(m) ?? {})) {
        expect([where, c.name, c.securityContext]).toEqual([
          where,
          c.name,
          expect.objectContaining({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          }),
        ]);
      }
    }
  });

  it('every Matrix container gets only env its app accepts, NATS_URL, each required variable, and DATABASE_URL from a Secret', () => {
    const configMaps = new Map(
      ofKind('ConfigMap').map((c) => [c.metadata.name, (c['data'] ?? {}) as Record<string, string>]),
    );
    const secrets = new Map(
      ofKind('Secret').map((s) => [
        s.metadata.name,
        { ...(s['stringData'] as object), ...(s['data'] as object) },
      ]),
    );
    for (const m of workloads()) {
      for (const c of allContainers(podTemplate(m) ?? {})) {
        const app = imageApp(c.image);
        if (!appNamed(app)) continue; // NATS, PostgreSQL
        const fromConfigMaps = (c.envFrom ?? []).flatMap((source) => {
          expect(source.secretRef).toBeUndefined();
          const data = configMaps.get(source.configMapRef?.name ?? '');
          expect(data).toBeDefined();
          return Object.keys(data ?? {});
        });
        const names = [...fromConfigMaps, ...(c.env ?? []).map((e) => e.name)];
        const where = `${m.metadata.name}/${c.name}`;
        expect([where, names.filter((n) => !acceptedEnv(app).has(n))]).toEqual([where, []]);
        expect([where, names.includes('NATS_URL')]).toEqual([where, true]);
        if (m.kind === 'Deployment' && !c.args?.length) {
          // The service itself; a one-shot command (an init container's migrate) needs only what it reads.
          const missing = (appNamed(app)?.required ?? []).filter((n) => !names.includes(n));
          expect([where, 'required', missing]).toEqual([where, 'required', []]);
        }
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.configMapKeyRef ?? e.valueFrom?.secretKeyRef;
          if (e.valueFrom?.configMapKeyRef) {
            expect(configMaps.get(ref?.name ?? '')?.[ref?.key ?? '']).toBeDefined();
          }
          // matrix-database is the operator's Secret (docs/deployment.md); any other must be rendered here.
          if (e.valueFrom?.secretKeyRef && !OPERATOR_SECRETS.includes(ref?.name ?? '')) {
            expect(Object.keys(secrets.get(ref?.name ?? '') ?? {})).toContain(ref?.key);
          }
        }
        if (acceptedEnv(app).has('DATABASE_URL')) {
          expect([where, containerEnv(c, 'DATABASE_URL')?.valueFrom?.secretKeyRef?.name]).toEqual([
            where,
            'matrix-database',
          ]);
        }
      }
    }
    const secret = secrets.get('matrix-database') as Record<string, string> | undefined;
    if (secret) expect(secret['url']).toMatch(/^postgres(ql)?:\/\//);
  });

  it('autoscales the services that share work and never fights the autoscaler', () => {
    const hpas = ofKind('HorizontalPodAutoscaler').map((h) =>
      spec<{ scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number }>(h),
    );
    expect(hpas.map((h) => h.scaleTargetRef.name).sort()).toEqual([...AUTOSCALED].sort());
    for (const app of services) {
      const hpa = hpas.find(
        (h) => h.scaleTargetRef.kind === 'Deployment' && h.scaleTargetRef.name === app.name,
      );
      const replicas = spec<{ replicas?: number }>(deployment(app.name)).replicas;
      expect([app.name, hpa ? replicas : typeof replicas]).toEqual([app.name, hpa ? undefined : 'number']);
      if (hpa) expect(hpa.minReplicas).toBeLessThanOrEqual(hpa.maxReplicas);
    }
  });

  it('holds PostgreSQL connections at full scale, mid-rollout, within the budget the Namespace declares', () => {
    const budget = Number(find('Namespace', 'matrix')?.metadata.annotations?.[BUDGET_ANNOTATION]);
    expect(budget).toBeGreaterThan(0);
    const rows: string[] = [];
    let connections = BUDGET_HEADROOM;
    for (const app of services) {
      const d = deployment(app.name);
      const container = mainContainer(d) ?? ({} as IContainer);
      if (!containerEnv(container, 'DATABASE_URL')) continue;
      const value = (name: string) => Number(containerEnv(container, name)?.value ?? app.env.get(name));
      const pool = value('DATABASE_POOL_MAX');
      const poolVariables = new Map(
        [...acceptedEnv(app.name)]
          .filter((name) => name.endsWith('_POOL_MAX') && name !== 'DATABASE_POOL_MAX')
          .map((name) => [name, value(name)]),
      );
      const perPod = pool + dedicatedConnections(app.name, poolVariables);
      const hpa = ofKind('HorizontalPodAutoscaler')
        .map((h) => spec<{ scaleTargetRef: { name: string }; maxReplicas: number }>(h))
        .find((h) => h.scaleTargetRef.name === app.name);
      const replicas = hpa?.maxReplicas ?? spec<{ replicas?: number }>(d).replicas ?? 1;
      // A rollout adds maxSurge pods, and at least one: a new pod may start while an old one still drains.
      const surge = spec<{ strategy?: { rollingUpdate?: { maxSurge?: number | string } } }>(d).strategy
        ?.rollingUpdate?.maxSurge;
      const extra = Math.max(
        1,
        typeof surge === 'string' ? Math.ceil((parseInt(surge, 10) / 100) * replicas) : (surge ?? 1),
      );
      expect([app.name, [pool, perPod, replicas, extra].every(Number.isInteger)]).toEqual([app.name, true]);
      connections += (replicas + extra) * perPod;
      rows.push(`${app.name} (${replicas}+${extra})×${perPod}`);
    }
    expect(rows).toHaveLength(owners.length);
    // The rows and the sum show in the failure message.
    expect({ rows, connections, budget, fits: connections <= budget }).toEqual({
      rows,
      connections,
      budget,
      fits: true,
    });
    if (overlay === 'prod') {
      // docs/deployment.md (Connection budget) states the same sum.
      const doc = readFileSync(path.join(root, 'docs/deployment.md'), 'utf8');
      expect(doc).toContain(`${connections} of ${budget}`);
    }
  });

  it('Jobs clean up after themselves and retry on failure', () => {
    for (const job of ofKind('Job')) {
      expect(spec<{ ttlSecondsAfterFinished?: number }>(job).ttlSecondsAfterFinished).toBeGreaterThan(0);
      expect(['OnFailure', 'Never']).toContain(podTemplate(job)?.spec?.restartPolicy);
    }
  });

  it('NATS runs as a 3-node JetStream cluster whose routes name every pod of the headless Service', () => {
    const nats = find('StatefulSet', 'nats');
    const {
      replicas = 0,
      serviceName = '',
      volumeClaimTemplates = [],
    } = spec<{
      replicas?: number;
      serviceName?: string;
      volumeClaimTemplates?: unknown[];
    }>(nats);
    expect(replicas).toBe(3);
    expect(volumeClaimTemplates).toHaveLength(1);
    expect(spec(find('Service', serviceName))).toMatchObject({
      clusterIP: 'None',
      publishNotReadyAddresses: true,
    });
    const configName = podTemplate(nats)?.spec?.volumes?.find((v) => v.configMap)?.configMap?.name ?? '';
    const conf =
      ((find('ConfigMap', configName)?.['data'] ?? {}) as Record<string, string>)['nats.conf'] ?? '';
    expect(conf).toMatch(/jetstream\s*\{[^}]*store_dir/);
    const routes = [...conf.matchAll(/nats:\/\/([^\s:]+):6222/g)].map((m) => m[1]);
    expect(routes).toEqual(Array.from({ length: replicas }, (_, i) => `nats-${i}.${serviceName}`));
    const url = new URL(
      ((generatedConfigMap('matrix-config')?.['data'] ?? {}) as Record<string, string>)['NATS_URL'] ?? '',
    );
    const client = find('Service', url.hostname);
    expect(spec<{ ports: { port: number }[] }>(client).ports.map((p) => p.port)).toContain(Number(url.port));
    expect(
      selects(
        { matchLabels: spec<{ selector: Record<string, string> }>(client).selector },
        podPeer(podTemplate(nats) ?? {}).labels,
      ),
    ).toBe(true);
  });

  it('NATS is level with the official chart: GOMEMLIMIT at ~90 % of the limit, host and zone spread, a config reloader, a metrics exporter the monitoring namespace reaches', () => {
    const nats = podTemplate(find('StatefulSet', 'nats'));
    const containers = nats?.spec?.containers ?? [];
    const server = containers.find((c) => c.name === 'nats');
    /** MiB of a Kubernetes quantity (`1Gi`) or a Go memory limit (`900MiB`). */
    const mib = (quantity: string) => {
      const match = /^(\d+)(Mi|Gi)B?$/.exec(quantity);
      if (!match) throw new Error(`unexpected quantity ${quantity}`);
      return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
    };
    const limit = mib(String(server?.resources?.limits?.['memory'] ?? ''));
    const goMemLimit = mib(String(containerEnv(server ?? { name: '' }, 'GOMEMLIMIT')?.value ?? ''));
    expect(goMemLimit / limit).toBeGreaterThanOrEqual(0.85);
    expect(goMemLimit / limit).toBeLessThanOrEqual(0.9);
    expect((nats?.spec?.topologySpreadConstraints ?? []).map((c) => c.topologyKey).sort()).toEqual([
      'kubernetes.io/hostname',
      'topology.kubernetes.io/zone',
    ]);
    // The reloader signals nats-server through its pid file: one process namespace, the pid volume shared.
    const reloader = containers.find((c) => c.name === 'reloader');
    expect(nats?.spec?.shareProcessNamespace).toBe(true);
    expect(reloader?.args).toEqual(expect.arrayContaining(['-pid', '/var/run/nats/nats.pid']));
    const pidMount = (c: IContainer | undefined) =>
      c?.volumeMounts?.find((m) => m.mountPath === '/var/run/nats')?.name;
    expect(pidMount(reloader)).toBe(pidMount(server));
    const exporter = containers.find((c) => c.name === 'metrics');
    const port = exporter?.ports?.find((p) => p.name === 'metrics')?.containerPort ?? 0;
    expect(exporter?.args).toEqual(expect.arrayContaining([`-port=${port}`, '-jsz=all']));
    const monitoring: Peer = { labels: {}, namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' } };
    expect(connectionAllowed(policies(), monitoring, podPeer(nats ?? {}), port)).toBe(true);
  });

  it('NetworkPolicies deny by default and allow exactly the paths the platform needs', () => {
    expect(
      policies().some(
        (p) => JSON.stringify(p.spec?.podSelector) === '{}' && !p.spec?.ingress && !p.spec?.egress,
      ),
    ).toBe(true);
    const nats = podPeer(podTemplate(find('StatefulSet', 'nats')) ?? {});
    const postgres = find('StatefulSet', 'postgres');
    const dns: Peer = {
      labels: { 'k8s-app': 'kube-dns' },
      namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
    };
    const prometheus: Peer = { labels: {}, namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' } };
    const internet: Peer = { labels: {}, external: true };
    const allowed = (from: Peer, to: Peer, port: number, protocol?: string) =>
      connectionAllowed(policies(), from, to, port, protocol);

    expect(allowed(nats, nats, 6222)).toBe(true);
    for (const m of workloads()) {
      const pod = podPeer(podTemplate(m) ?? {});
      const apps = allContainers(podTemplate(m) ?? {})
        .map((c) => imageApp(c.image))
        .filter((a) => appNamed(a));
      const where = `${m.kind}/${m.metadata.name}`;
      expect([where, allowed(pod, dns, 53, 'UDP')]).toEqual([where, true]);
      if (apps.length === 0) continue;
      expect([where, 'nats', allowed(pod, nats, 4222)]).toEqual([where, 'nats', true]);
      const usesDb = apps.some((a) => acceptedEnv(a).has('DATABASE_URL'));
      expect([where, 'postgres', allowed(pod, { ...internet }, 5432)]).toEqual([where, 'postgres', usesDb]);
      if (postgres) {
        const db = podPeer(podTemplate(postgres) ?? {});
        expect([where, 'in-cluster postgres', allowed(pod, db, 5432)]).toEqual([
          where,
          'in-cluster postgres',
          usesDb,
        ]);
      }
      if (m.kind !== 'Deployment') continue;
      const port = defaultPort(m.metadata.name);
      const isPublic = ['matrix-api-gateway', 'push-ingress'].includes(m.metadata.name);
      expect([where, 'public', allowed(internet, pod, port)]).toEqual([where, 'public', isPublic]);
      const metricsPort = pod.ports?.['metrics'] ?? NaN;
      expect([where, 'metrics', allowed(prometheus, pod, metricsPort)]).toEqual([where, 'metrics', true]);
      expect([where, 'metrics from outside', allowed(internet, pod, metricsPort)]).toEqual([
        where,
        'metrics from outside',
        false,
      ]);
      expect([where, 'metrics from nats', allowed(nats, pod, metricsPort)]).toEqual([
        where,
        'metrics from nats',
        false,
      ]);
      expect([where, 'from nats', allowed(nats, pod, port)]).toEqual([where, 'from nats', false]);
      // Push delivery: a subscription URL may name any port, so event-router reaches every TCP port of a
      // public address, and none inside the private ranges the cluster lives in (nor does any other pod).
      const pushes = m.metadata.name === 'event-router';
      for (const ip of ['8.8.8.8', '2001:4860:4860::8888']) {
        for (const target of [443, 80, 8443, 9000]) {
          const to: Peer = { ...internet, ip };
          expect([where, ip, target, allowed(pod, to, target)]).toEqual([where, ip, target, pushes]);
        }
        expect([where, ip, 'udp', allowed(pod, { ...internet, ip }, 443, 'UDP')]).toEqual([
          where,
          ip,
          'udp',
          false,
        ]);
      }
      for (const ip of [
        '10.96.0.1',
        '172.20.3.4',
        '192.168.1.10',
        '169.254.169.254',
        '100.64.0.7',
        '127.0.0.1',
        'fd00::1',
      ]) {
        expect([where, ip, allowed(pod, { ...internet, ip }, 8443)]).toEqual([where, ip, false]);
      }
    }
  });

  it('NATS admits only its users: the users block of Secret nats-auth, a seed of its own for each Matrix container, and downstream pods from any namespace on 4222 only', () => {
    const template = podTemplate(find('StatefulSet', 'nats')) ?? {};
    const volumes = template.spec?.volumes ?? [];
    const mounts = template.spec?.containers[0]?.volumeMounts ?? [];
    const mountOf = (volume?: string) => mounts.find((m) => m.name === volume)?.mountPath;
    const config = volumes.find((v) => v.configMap);
    const conf =
      ((find('ConfigMap', config?.configMap?.name ?? '')?.['data'] ?? {}) as Record<string, string>)[
        'nats.conf'
      ] ?? '';
    const include = /^\s*include\s+"?([^"\s]+)"?/m.exec(conf)?.[1] ?? '';
    const auth = volumes.find((v) => v.secret?.secretName === 'nats-auth');
    expect(path.posix.join(mountOf(config?.name) ?? '', include)).toBe(`${mountOf(auth?.name)}/auth.conf`);
    expect(auth?.secret?.items).toEqual([{ key: 'auth.conf', path: 'auth.conf' }]);

    let seeded = 0;
    for (const m of workloads()) {
      const pod = podTemplate(m) ?? {};
      for (const c of pod.spec?.containers ?? []) {
        const app = imageApp(c.image);
        if (!appNamed(app)) continue;
        const where = `${m.kind}/${m.metadata.name}/${c.name}`;
        const file = containerEnv(c, 'NATS_NKEY_SEED_FILE')?.value ?? '';
        const mount = c.volumeMounts?.find((vm) => file.startsWith(`${vm.mountPath}/`));
        const secret = pod.spec?.volumes?.find((v) => v.name === mount?.name)?.secret;
        expect([where, secret?.secretName, mount?.readOnly]).toEqual([where, `matrix-nats-${app}`, true]);
        expect(secret?.items?.map((item) => path.posix.join(mount?.mountPath ?? '', item.path))).toEqual([
          file,
        ]);
        seeded += 1;
      }
    }
    expect(seeded).toBeGreaterThanOrEqual(7);

    const nats = podPeer(template);
    const from = (labels: Record<string, string>): Peer => ({
      labels,
      namespaceLabels: { 'kubernetes.io/metadata.name': 'cleaning-team' },
    });
    const allowed = (peer: Peer, port: number) => connectionAllowed(policies(), peer, nats, port);
    const downstream = from({ 'matrix.io/nats-downstream': 'true' });
    expect([allowed(downstream, 4222), allowed(downstream, 6222), allowed(downstream, 8222)]).toEqual([
      true,
      false,
      false,
    ]);
    expect(allowed(from({}), 4222)).toBe(false);
  });
});
