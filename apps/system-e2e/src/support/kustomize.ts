import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/*
 * Renders a kustomization for the deploy-manifest spec: `kubectl kustomize` where kubectl is installed,
 * else the small subset of kustomize that k8s/ uses (resources, namespace, images, strategic-merge
 * patches). The spec checks that both agree wherever kubectl exists, so the fallback stays honest.
 */

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

type Json = Record<string, unknown>;

const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images', 'patches']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass']);

interface Kustomization {
  namespace?: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  patches?: { path?: string; patch?: string; target?: unknown }[];
}

/** Every document of a YAML file, failing on any syntax error or warning. */
export function loadYaml(file: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'), { merge: true });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) throw new Error(`${file}: ${problems.map((p) => p.message).join('; ')}`);
  }
  return list.map((doc) => doc.toJS()).filter((value) => value !== null && value !== undefined);
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isNamedList = (value: unknown): value is Json[] =>
  Array.isArray(value) && value.every((item) => isObject(item) && typeof item['name'] === 'string');

/** Strategic merge as kustomize does it for what k8s/ patches: maps merge, `name`-keyed lists merge by name. */
export function strategicMerge(base: unknown, patch: unknown): unknown {
  if (isObject(base) && isObject(patch)) {
    const merged: Json = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith('$')) throw new Error(`patch directive ${key} is not supported`);
      if (value === null) delete merged[key];
      else merged[key] = key in base ? strategicMerge(base[key], value) : value;
    }
    return merged;
  }
  if (isNamedList(base) && isNamedList(patch)) {
    // Like kustomize: the patch's items first (merged into their namesakes), then the others.
    const patched = patch.map((item) => {
      const existing = base.find((candidate) => candidate['name'] === item['name']);
      return existing ? (strategicMerge(existing, item) as Json) : item;
    });
    const names = new Set(patch.map((item) => item['name']));
    return [...patched, ...base.filter((item) => !names.has(item['name']))];
  }
  return patch;
}

/** `registry/name:tag@digest` into its parts. */
function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withTag = '', digest] = image.split('@');
  const slash = withTag.lastIndexOf('/');
  const colon = withTag.lastIndexOf(':');
  if (colon > slash) return { name: withTag.slice(0, colon), tag: withTag.slice(colon + 1), digest };
  return { name: withTag, digest };
}

/** Applies kustomize `images` entries to every container and init container, wherever it is nested. */
function setImages(value: unknown, images: NonNullable<Kustomization['images']>): unknown {
  if (Array.isArray(value)) return value.map((item) => setImages(item, images));
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, child] of Object.entries(value)) out[key] = setImages(child, images);
  if (typeof out['image'] === 'string' && typeof out['name'] === 'string') {
    const current = splitImage(out['image']);
    const rule = images.find((image) => image.name === current.name);
    if (rule) {
      const tag = rule.newTag ?? current.tag;
      const digest = rule.digest ?? current.digest;
      out['image'] = `${rule.newName ?? current.name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
    }
  }
  return out;
}

/** The in-test renderer: the subset of kustomize that k8s/ uses; anything else fails loudly. */
export function renderKustomization(dir: string): Manifest[] {
  const [config] = loadYaml(path.join(dir, 'kustomization.yaml')) as (Kustomization & Json)[];
  if (!config) throw new Error(`${dir}/kustomization.yaml is empty`);
  const unsupported = Object.keys(config).filter((key) => !SUPPORTED_FIELDS.has(key));
  if (unsupported.length > 0) {
    throw new Error(`${dir}: kustomization fields the in-test renderer lacks: ${unsupported.join(', ')}`);
  }
  let out: Manifest[] = [];
  for (const resource of config.resources ?? []) {
    const target = path.join(dir, resource);
    out.push(
      ...(statSync(target).isDirectory() ? renderKustomization(target) : (loadYaml(target) as Manifest[])),
    );
  }
  for (const ref of config.patches ?? []) {
    if (!ref.path || ref.patch || ref.target) {
      throw new Error(`${dir}: only patches with a path are supported`);
    }
    for (const patch of loadYaml(path.join(dir, ref.path)) as Manifest[]) {
      const at = out.findIndex((m) => m.kind === patch.kind && m.metadata.name === patch.metadata.name);
      if (at < 0) throw new Error(`${dir}: patch ${patch.kind}/${patch.metadata.name} matches no resource`);
      out[at] = strategicMerge(out[at], patch) as Manifest;
    }
  }
  const namespace = config.namespace;
  if (namespace) {
    out = out.map((m) => (CLUSTER_SCOPED.has(m.kind) ? m : { ...m, metadata: { ...m.metadata, namespace } }));
  }
  if (config.images) out = out.map((m) => setImages(m, config.images ?? []) as Manifest);
  return out;
}

/** `kubectl kustomize <dir>`, or undefined where kubectl is not installed. */
export function kubectlKustomize(dir: string): Manifest[] | undefined {
  const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  if (run.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${run.stderr || run.error}`);
  return parseAllDocuments(run.stdout).map((doc) => doc.toJS() as Manifest);
}

export const hasKubectl = (): boolean => !spawnSync('kubectl', ['version', '--client']).error;
