// What the workforce benchmarks (run.mjs, workday.mjs) share to measure and report: running load.mjs,
// the raw NATS request/reply baseline, number formatting and replacing their block of docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from '../lib/harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
export const DOCS = path.join(ROOT, 'docs/benchmarks.md');

/** `runLoad(spec)`: runs load.mjs (on CPU 1 when pinning) with `defaults` under `spec`; its figures. */
export const loadRunner = (runNode, defaults) => async (spec) => {
  const full = { ...defaults, ...spec };
  const out = await runNode(
    [path.join(HERE, 'load.mjs'), JSON.stringify(full)],
    { PATH: process.env.PATH },
    { timeoutMs: full.warmupMs + full.durationMs + 90_000, cpu: 1 },
  );
  return JSON.parse(out.trim().split('\n').pop());
};

/**
 * The raw baseline, with the services stopped: plain NATS request/reply to nats-responder.mjs (CPU 0)
 * sending `body` and answering `answer`'s bytes, closed loop and then paced at each of `rates` (0 skipped).
 * Answers `{ raw, paced: { [rate]: figures } }`.
 */
export async function rawBaseline({
  startNode,
  runLoad,
  onCleanup,
  natsUrl,
  namespace,
  body,
  answer,
  rates,
  log: say,
}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matrix-bench-workforce-'));
  onCleanup('remove temp files', async () => fs.rmSync(dir, { recursive: true, force: true }));
  const replyFile = path.join(dir, 'reply.json');
  fs.writeFileSync(replyFile, answer);
  const subject = `${namespace}.bench.workforce.echo`;
  const responder = startNode(
    'nats responder',
    [path.join(HERE, 'nats-responder.mjs'), JSON.stringify({ natsUrl, subject, replyFile })],
    { PATH: process.env.PATH },
    0,
  );
  await new Promise((resolve, reject) => {
    responder.child.stdout.on('data', (chunk) => chunk.toString().includes('ready') && resolve());
    void responder.exited.then(() => reject(new Error(`responder exited: ${responder.output.text()}`)));
  });
  const spec = { kind: 'nats', natsUrl, subject, payload: body, replyBytes: answer.length };
  say('raw NATS request/reply…');
  const raw = await runLoad(spec);
  const paced = {};
  for (const rate of new Set(rates.filter((r) => r > 0))) {
    say(`raw NATS request/reply paced at ${rate}/s…`);
    paced[rate] = await runLoad({ ...spec, rate });
  }
  await responder.stop();
  return { raw, paced };
}

/** Other benchmark or test processes running beside this one (they share the CPUs). */
export function otherBenchmarks(self) {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return [
    ...new Set(
      ps.stdout
        .split('\n')
        .filter(
          (line) => /bench\/|jest/.test(line) && !line.includes(self) && !line.includes(String(process.pid)),
        )
        .map((line) => line.trim().split(/\s+/).slice(1, 3).join(' ')),
    ),
  ];
}

export const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
export const ratio = (x, base) =>
  Number.isFinite(x) && Number.isFinite(base) && base > 0 ? String(Number((x / base).toPrecision(2))) : '–';
export const met = (ok) => (ok ? 'met' : '**not met**');

/** A table row: count, p50/p95/p99/max, req/s, errors, ratios to `base`'s percentiles, `extra` cells. */
export const figuresRow = (label, x, base, extra) =>
  `| ${label} | ${x.count} | ${fmt(x.p50, 2)} | ${fmt(x.p95, 2)} | ${fmt(x.p99, 2)} | ${fmt(x.max, 1)} | ` +
  `${x.rps === undefined ? '–' : fmt(x.rps, 0)} | ${x.errors ?? x.missing ?? 0} | ` +
  `${base ? `${ratio(x.p50, base.p50)} / ${ratio(x.p95, base.p95)} / ${ratio(x.p99, base.p99)}` : '–'} | ${extra.join(' | ')} |`;

/** Replaces the block between `marks` in docs/benchmarks.md, or appends it under `heading`. */
export function writeDocs(section, marks, heading) {
  const text = fs.readFileSync(DOCS, 'utf8');
  const start = text.indexOf(marks.start);
  const end = text.indexOf(marks.end);
  const next =
    start >= 0 && end > start
      ? `${text.slice(0, start)}${section}${text.slice(end + marks.end.length)}`
      : `${text.trimEnd()}\n\n## ${heading}\n\n${section}\n`;
  fs.writeFileSync(DOCS, next);
  log(`wrote the ${heading} section of ${path.relative(ROOT, DOCS)}`);
}
