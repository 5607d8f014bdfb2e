#!/usr/bin/env node
// Prints the folders of every app and library and the folders each one imports (production code, as
// dependency-cruiser resolves it with .dependency-cruiser.cjs), as the Markdown that docs/architecture.md
// holds between its folder-graph markers. apps/system-e2e/src/folder-graph.spec.ts fails when the page
// and the code disagree; `node tools/folder-graph.mjs --write` rewrites the page.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PAGE = path.join(root, 'docs/architecture.md');
const START = '<!-- folder-graph:start (node tools/folder-graph.mjs --write) -->';
const END = '<!-- folder-graph:end -->';

/** `apps/<name>/src/<folder>/…` or `libs/<name>/src/[lib/]<folder>/…` → [project, folder]; a file directly in src/ (or src/lib/) → [project, '']. */
function place(file) {
  const match = /^(apps|libs)\/([^/]+)\/src\/(?:lib\/)?(.*)$/.exec(file);
  if (!match) return undefined;
  const [, group, name, rest] = match;
  const slash = rest.indexOf('/');
  return [`${group}/${name}`, slash < 0 ? '' : `${rest.slice(0, slash)}/`];
}

export function folderGraph() {
  const run = spawnSync(
    path.join(root, 'node_modules/.bin/depcruise'),
    ['apps', 'libs', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
    { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (run.status !== 0 && !run.stdout) throw new Error(`depcruise failed: ${run.stderr}`);
  const { modules } = JSON.parse(run.stdout);
  const projects = new Map(); // project → folder → Set of folders it imports
  for (const module of modules) {
    const from = place(module.source);
    if (!from) continue;
    const [project, folder] = from;
    const folders = projects.get(project) ?? projects.set(project, new Map()).get(project);
    const imports = folders.get(folder) ?? folders.set(folder, new Set()).get(folder);
    for (const dependency of module.dependencies) {
      const to = place(dependency.resolved);
      if (to && to[0] === project && to[1] !== folder && to[1] !== '') imports.add(to[1]);
    }
  }
  const lines = [];
  for (const project of [...projects.keys()].sort()) {
    const folders = projects.get(project);
    const named = [...folders.keys()].filter((folder) => folder !== '').sort();
    if (named.length < 2) continue;
    lines.push(`**${project}**`, '', '| folder | imports |', '| --- | --- |');
    for (const folder of named) {
      const imports = [...folders.get(folder)].sort();
      lines.push(
        `| \`${folder}\` | ${imports.length ? imports.map((name) => `\`${name}\``).join(', ') : '—'} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** The page with `graph` between the markers. */
export function pageWith(graph, page = readFileSync(PAGE, 'utf8')) {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/architecture.md lacks the markers ${START} … ${END}`);
  return `${page.slice(0, start + START.length)}\n\n${graph}\n${page.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const graph = folderGraph();
  if (process.argv.includes('--write')) writeFileSync(PAGE, pageWith(graph));
  else process.stdout.write(`${graph}\n`);
}
