import { readdirSync, readFileSync, statSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import path from 'node:path';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { Manifest } from './kustomize';

/* What the deploy-manifest spec reads from the repository, and a NetworkPolicy evaluator. */

export const root = path.resolve(__dirname, '../../../..');

/** Files under `dir` (relative to the repository root) whose names match `pattern`. */
export function filesUnder(dir: string, pattern: RegExp): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(path.join(root, at))) {
      const rel = path.join(at, entry);
      if (statSync(path.join(root, rel)).isDirectory()) walk(rel);
      else if (pattern.test(entry)) found.push(rel);
    }
  };
  walk(dir);
  return found.sort();
}

export interface AppInfo {
  name: string;
  /** Arguments after `main.cjs` in the Nx `serve` target: [] for a service, e.g. ['provision']. */
  serveArgs?: string[];
  /** Name → default, from the README's env table (between the env-table markers). */
  env: Map<string, string>;
  /** Variables without a default (`—`): the app does not start without them. */
  required: string[];
  /** The README documents `node dist/apps/<app>/main.cjs migrate`. */
  migrates: boolean;
}

/** The README env table as name → default cell (`(empty)` → '', `—` stays: required). */
function readmeEnv(readme: string): Map<string, string> {
  const table = /<!-- env-table:start -->([\s\S]*?)<!-- env-table:end -->/.exec(readme)?.[1] ?? '';
  const env = new Map<string, string>();
  for (const row of table.split('\n')) {
    const cells = row.split(/(?<!\\)\|/).map((cell) => cell.trim()); // `a \| b` stays one cell
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[1] ?? '')?.[1];
    if (name) env.set(name, (cells[3] ?? '').replace(/^`|`$/g, '').replace('(empty)', ''));
  }
  return env;
}

/** Every app under apps/ with its serve target, README env table and whether it migrates. */
export function readApps(): AppInfo[] {
  return readdirSync(path.join(root, 'apps'))
    .filter((name) => statSync(path.join(root, 'apps', name, 'project.json'), { throwIfNoEntry: false }))
    .map((name) => {
      const project = JSON.parse(readFileSync(path.join(root, 'apps', name, 'project.json'), 'utf8')) as {
        targets?: Record<string, { options?: { command?: string } }>;
      };
      const command = project.targets?.['serve']?.options?.command;
      const serveArgs = command
        ?.split(/\s+/)
        .slice(command.split(/\s+/).findIndex((w) => w.endsWith('.cjs')) + 1);
      const readmePath = path.join(root, 'apps', name, 'README.md');
      const readme = statSync(readmePath, { throwIfNoEntry: false }) ? readFileSync(readmePath, 'utf8') : '';
      const migrates = readme.includes(`dist/apps/${name}/main.cjs migrate`);
      const env = readmeEnv(readme);
      const required = [...env].filter(([, value]) => /^(—|-)$/.test(value)).map(([key]) => key);
      return { name, serveArgs, env, required, migrates };
    });
}

/** The Dockerfile as stages of [instruction, arguments] (continuations joined, comments dropped). */
export function parseDockerfile(text: string): { name: string; from: string; lines: [string, string][] }[] {
  const stages: { name: string; from: string; lines: [string, string][] }[] = [];
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  for (const line of logical) {
    const [, instruction = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = instruction.toUpperCase();
    if (upper === 'FROM') {
      const [from = '', , name = String(stages.length)] = args.split(/\s+/);
      stages.push({ name, from, lines: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1]?.lines.push([upper, args.replace(/\s+/g, ' ')]);
    }
  }
  return stages;
}

/** Packages that production code (apps/*\/src, libs/*\/src; no specs, no test harness) imports at run time. */
export function productionImports(): Map<string, string> {
  const found = new Map<string, string>(); // package -> first file
  const files = [...filesUnder('apps', /\.ts$/), ...filesUnder('libs', /\.ts$/)].filter(
    (file) =>
      /^(apps|libs)\/[^/]+\/src\//.test(file) &&
      !/\.(spec|integration-spec|e2e-spec)\.ts$/.test(file) &&
      !file.startsWith('libs/testing/') &&
      !file.startsWith('apps/system-e2e/'),
  );
  const statement = /^\s*(?:import|export)\s+(type\s+)?(?:([^'";]*?)\s+from\s+)?'([^']+)'/gm;
  for (const file of files) {
    for (const [, typeOnly, clause = '', specifier = ''] of readFileSync(
      path.join(root, file),
      'utf8',
    ).matchAll(statement)) {
      const names = /\{([^}]*)\}/.exec(clause)?.[1];
      const onlyTypes =
        names !== undefined &&
        !clause.replace(/\{[^}]*\}/, '').replace(/[\s,]/g, '') &&
        names.split(',').every((n) => !n.trim() || n.trim().startsWith('type '));
      if (typeOnly || onlyTypes || specifier.startsWith('.') || specifier.startsWith('@matrix/')) continue;
      const pkg = specifier.startsWith('@')
        ? specifier.split('/').slice(0, 2).join('/')
        : specifier.split('/')[0];
      if (pkg && !found.has(pkg)) found.set(pkg, file);
    }
  }
  return found;
}

// ---- Kubernetes helpers ------------------------------------------------------------------------

export const podTemplate = (m: Manifest | undefined): IPodTemplateSpec | undefined =>
  (m?.['spec'] as { template?: IPodTemplateSpec } | undefined)?.template;

export const allContainers = (template: IPodTemplateSpec): IContainer[] => [
  ...(template.spec?.initContainers ?? []),
  ...(template.spec?.containers ?? []),
];

export type Labels = Record<string, string>;
export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function selects(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return false;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return (
    byLabel &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      const value = labels[key];
      if (operator === 'In') return value !== undefined && values.includes(value);
      if (operator === 'NotIn') return value === undefined || !values.includes(value);
      if (operator === 'Exists') return value !== undefined;
      if (operator === 'DoesNotExist') return value === undefined;
      throw new Error(`unknown selector operator ${operator}`);
    })
  );
}

/** One end of a connection: a pod in the namespace, a pod in another namespace, or outside the cluster. */
export interface Peer {
  labels: Labels;
  namespaceLabels?: Labels;
  external?: boolean;
  /** An outside peer's address, matched against ipBlock cidr/except (without one, any ipBlock matches). */
  ip?: string;
  /** Named container ports, to resolve named ports of ingress rules. */
  ports?: Record<string, number>;
}

type Rule = { ports?: { port?: number | string; protocol?: string }[] } & {
  from?: NetworkPeer[];
  to?: NetworkPeer[];
};
type NetworkPeer = {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
};

function inRanges(ip: string, ranges: string[]): boolean {
  const list = new BlockList();
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  for (const range of ranges) {
    const [network = '', prefix = ''] = range.split('/');
    const rangeFamily = isIP(network) === 6 ? 'ipv6' : 'ipv4';
    if (rangeFamily === family) list.addSubnet(network, Number(prefix), family);
  }
  return list.check(ip, family);
}

function ipBlockMatches(block: { cidr: string; except?: string[] }, peer: Peer): boolean {
  if (!peer.external) return false;
  if (peer.ip === undefined) return true;
  return inRanges(peer.ip, [block.cidr]) && !inRanges(peer.ip, block.except ?? []);
}

function peerMatches(peers: NetworkPeer[] | undefined, peer: Peer): boolean {
  if (!peers || peers.length === 0) return true;
  return peers.some((p) => {
    if (p.ipBlock) return ipBlockMatches(p.ipBlock, peer);
    if (peer.external) return false;
    const namespaceOk = p.namespaceSelector
      ? peer.namespaceLabels !== undefined && selects(p.namespaceSelector, peer.namespaceLabels)
      : peer.namespaceLabels === undefined;
    return namespaceOk && (!p.podSelector || selects(p.podSelector, peer.labels));
  });
}

function portMatches(rule: Rule, port: number, protocol: string, target: Peer): boolean {
  if (!rule.ports || rule.ports.length === 0) return true;
  return rule.ports.some(
    (p) =>
      (p.protocol ?? 'TCP') === protocol &&
      (p.port === undefined ||
        p.port === port ||
        (typeof p.port === 'string' && target.ports?.[p.port] === port)),
  );
}

function allowedBy(
  policies: INetworkPolicy[],
  direction: 'Ingress' | 'Egress',
  subject: Peer,
  other: Peer,
  port: number,
  protocol: string,
  portOwner: Peer,
): boolean {
  const applicable = policies.filter((policy) => {
    const types = policy.spec?.policyTypes ?? ['Ingress', ...(policy.spec?.egress ? ['Egress'] : [])];
    return types.includes(direction) && selects(policy.spec?.podSelector as LabelSelector, subject.labels);
  });
  if (applicable.length === 0) return true;
  return applicable.some((policy) =>
    ((direction === 'Ingress' ? policy.spec?.ingress : policy.spec?.egress) ?? []).some(
      (rule) =>
        portMatches(rule as Rule, port, protocol, portOwner) &&
        peerMatches(((rule as Rule).from ?? (rule as Rule).to) as NetworkPeer[] | undefined, other),
    ),
  );
}

/** Whether the policies let `from` open a connection to `to` on port/protocol (egress and ingress). */
export function connectionAllowed(
  policies: INetworkPolicy[],
  from: Peer,
  to: Peer,
  port: number,
  protocol = 'TCP',
): boolean {
  const egress =
    from.external || from.namespaceLabels
      ? true
      : allowedBy(policies, 'Egress', from, to, port, protocol, to);
  const ingress =
    to.external || to.namespaceLabels ? true : allowedBy(policies, 'Ingress', to, from, port, protocol, to);
  return egress && ingress;
}

/** A pod template as a peer: its labels and named container ports. */
export function podPeer(template: IPodTemplateSpec): Peer {
  const ports: Record<string, number> = {};
  for (const container of allContainers(template)) {
    for (const port of container.ports ?? []) if (port.name) ports[port.name] = port.containerPort;
  }
  return { labels: (template.metadata?.labels ?? {}) as Labels, ports };
}

/** Kubernetes quantity (`512Mi`, `1Gi`, `250m`, `2`) as bytes or cores. */
export function quantity(value: string | number | undefined): number {
  if (value === undefined) return NaN;
  const match = /^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G)?$/.exec(String(value));
  if (!match) return NaN;
  const factor: Record<string, number> = {
    m: 1e-3,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    k: 1e3,
    M: 1e6,
    G: 1e9,
  };
  return Number(match[1]) * (match[2] ? (factor[match[2]] ?? NaN) : 1);
}
