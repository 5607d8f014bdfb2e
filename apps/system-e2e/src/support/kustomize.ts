import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/*
 * Renders a kustomization for the deploy-manifest spec: `kubectl kustomize` where kubectl is installed,
 * else the small subset of kustomize that k8s/ uses (resources, namespace, images, strategic-merge
 * patches, literal configMapGenerators with their hash suffix, labels without selectors, replacements
 * of whole or delimited fields). The spec checks that both agree wherever kubectl exists, so the fallback
 * stays honest.
 */

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

type Json = Record<string, unknown>;

const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'configMapGenerator',
  'patches',
  'labels',
  'images',
  'replacements',
]);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass']);

interface Kustomization {
  namespace?: string;
  resources?: string[];
  configMapGenerator?: {
    name: string;
    behavior?: 'create' | 'merge';
    literals?: string[];
    options?: { labels?: Record<string, string> };
    [field: string]: unknown;
  }[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  patches?: { path?: string; patch?: string; target?: unknown }[];
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  replacements?: Replacement[];
}

interface Selector {
  kind?: string;
  name?: string;
}
interface DelimiterOptions {
  delimiter?: string;
  index?: number;
}
interface Replacement {
  source: Selector & { fieldPath?: string; options?: DelimiterOptions };
  targets: { select: Selector; fieldPaths: string[]; options?: DelimiterOptions }[];
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

/** Go's json.Marshal of a string map: keys sorted, and `<`, `>`, `&`, U+2028, U+2029 escaped. */
function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sorted(v[k])]),
        )
      : v;
  return JSON.stringify(sorted(value)).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * kustomize's name suffix of a generated ConfigMap (api/hasher): the first 10 hex digits of the sha256 of
 * `{"data":…,"kind":"ConfigMap","name":""}`, with 0, 1, 3, a, e spelt g, h, k, m, t. The name is empty:
 * kustomize looks it up under a path that does not exist.
 */
export function configMapHash(data: Record<string, string>): string {
  const hex = createHash('sha256')
    .update(goJson({ data, kind: 'ConfigMap', name: '' }))
    .digest('hex');
  const spelt: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => spelt[c] ?? c).join('');
}

const matches = (m: Manifest, select: Selector) =>
  (!select.kind || m.kind === select.kind) && (!select.name || m.metadata.name === select.name);

/**
 * A replacement's field path into its steps: `metadata.labels.[app.kubernetes.io/version]` (a key with
 * dots), `spec.template.spec.containers.[name=provision].env.[name=NATS_URL].value` (list items by a field).
 */
function fieldPath(spec: string): string[] {
  return (spec.match(/\[[^\]]*\]|[^.]+/g) ?? []).map((k) => k.replace(/^\[|\]$/g, ''));
}

/** One step down: a map's key, or the item of a list whose `field` is `value` (step `field=value`). */
function step(at: unknown, key: string): unknown {
  const select = /^([^=]+)=(.*)$/.exec(key);
  if (select && Array.isArray(at)) {
    return at.find((item) => isObject(item) && item[select[1] ?? ''] === select[2]);
  }
  return isObject(at) ? at[key] : undefined;
}

function getField(m: Manifest, spec: string): unknown {
  return fieldPath(spec).reduce<unknown>(step, m);
}

/** Sets a field as a replacement does: whole, or one part of a delimited value (appended past the end). */
function setField(m: Manifest, spec: string, value: string, options: DelimiterOptions = {}): void {
  const keys = fieldPath(spec);
  const last = keys.pop() ?? '';
  const at = keys.reduce<unknown>(step, m);
  if (!isObject(at)) throw new Error(`replacement target ${spec} not found in ${m.kind}/${m.metadata.name}`);
  if (options.delimiter === undefined) {
    at[last] = value;
    return;
  }
  const parts = String(at[last] ?? '').split(options.delimiter);
  const index = options.index ?? 0;
  if (index >= parts.length) parts.push(value);
  else if (index < 0) parts.unshift(value);
  else parts[index] = value;
  at[last] = parts.join(options.delimiter);
}

function sourceValue(out: Manifest[], source: Replacement['source']): string {
  const found = out.filter((m) => matches(m, source));
  if (found.length !== 1) {
    throw new Error(`replacement source ${JSON.stringify(source)} matches ${found.length}`);
  }
  const value = getField(found[0] as Manifest, source.fieldPath ?? 'metadata.name');
  if (typeof value !== 'string') throw new Error(`replacement source ${source.fieldPath} is not a string`);
  const { delimiter, index = 0 } = source.options ?? {};
  return delimiter === undefined ? value : (value.split(delimiter)[index] ?? '');
}

/** Renders a kustomization's own steps in kustomize's order; generated ConfigMaps keep their names here. */
function accumulate(dir: string, generated: Set<string>): Manifest[] {
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
      ...(statSync(target).isDirectory() ? accumulate(target, generated) : (loadYaml(target) as Manifest[])),
    );
  }
  for (const generator of config.configMapGenerator ?? []) {
    const extra = Object.keys(generator).filter(
      (k) => !['name', 'behavior', 'literals', 'options'].includes(k),
    );
    const extraOptions = Object.keys(generator.options ?? {}).filter((k) => k !== 'labels');
    if (extra.length > 0 || extraOptions.length > 0) {
      throw new Error(
        `${dir}: configMapGenerator fields the in-test renderer lacks: ${[...extra, ...extraOptions]}`,
      );
    }
    const data: Record<string, string> = {};
    for (const literal of generator.literals ?? []) {
      const at = literal.indexOf('=');
      if (at < 1) throw new Error(`${dir}: literal ${literal} is not KEY=value`);
      data[literal.slice(0, at)] = literal.slice(at + 1);
    }
    const labels = generator.options?.labels;
    const existing = out.find((m) => m.kind === 'ConfigMap' && m.metadata.name === generator.name);
    if ((generator.behavior ?? 'create') === 'create') {
      if (existing) throw new Error(`${dir}: ConfigMap ${generator.name} exists already`);
      out.push({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: generator.name, ...(labels ? { labels } : {}) },
        data,
      });
      generated.add(generator.name);
    } else if (generator.behavior === 'merge') {
      if (!existing) throw new Error(`${dir}: no ConfigMap ${generator.name} to merge into`);
      existing['data'] = { ...(existing['data'] as object), ...data };
      if (labels) existing.metadata.labels = { ...existing.metadata.labels, ...labels };
    } else {
      throw new Error(`${dir}: configMapGenerator behavior ${String(generator.behavior)} is not supported`);
    }
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
  for (const { pairs, includeSelectors, includeTemplates } of config.labels ?? []) {
    if (includeSelectors || includeTemplates) throw new Error(`${dir}: labels on selectors or templates`);
    out = out.map((m) => ({ ...m, metadata: { ...m.metadata, labels: { ...m.metadata.labels, ...pairs } } }));
  }
  if (config.images) out = out.map((m) => setImages(m, config.images ?? []) as Manifest);
  for (const replacement of config.replacements ?? []) {
    const value = sourceValue(out, replacement.source);
    for (const target of replacement.targets) {
      for (const m of out.filter((candidate) => matches(candidate, target.select))) {
        for (const spec of target.fieldPaths) setField(m, spec, value, target.options);
      }
    }
  }
  return out;
}

/** Points every configMapRef, configMapKeyRef and configMap volume at the renamed ConfigMaps. */
function renameReferences(value: unknown, names: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => renameReferences(item, names));
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, child] of Object.entries(value)) {
    const renamed = renameReferences(child, names);
    const name = isObject(renamed) ? renamed['name'] : undefined;
    out[key] =
      ['configMapRef', 'configMapKeyRef', 'configMap'].includes(key) &&
      typeof name === 'string' &&
      names.has(name)
        ? { ...(renamed as Json), name: names.get(name) }
        : renamed;
  }
  return out;
}

/** The in-test renderer: the subset of kustomize that k8s/ uses; anything else fails loudly. */
export function renderKustomization(dir: string): Manifest[] {
  const generated = new Set<string>();
  const out = accumulate(dir, generated);
  // Last, as kustomize does: generated ConfigMaps get the hash of their final data, and references follow.
  const names = new Map<string, string>();
  for (const m of out) {
    if (m.kind === 'ConfigMap' && generated.has(m.metadata.name)) {
      const hashed = `${m.metadata.name}-${configMapHash((m['data'] ?? {}) as Record<string, string>)}`;
      names.set(m.metadata.name, hashed);
      m.metadata = { ...m.metadata, name: hashed };
    }
  }
  return out.map((m) => (m.kind === 'ConfigMap' ? m : (renameReferences(m, names) as Manifest)));
}

/** `kubectl kustomize <dir>`, or undefined where kubectl is not installed. */
export function kubectlKustomize(dir: string): Manifest[] | undefined {
  const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  if (run.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${run.stderr || run.error}`);
  return parseAllDocuments(run.stdout).map((doc) => doc.toJS() as Manifest);
}

export const hasKubectl = (): boolean => !spawnSync('kubectl', ['version', '--client']).error;
