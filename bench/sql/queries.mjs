// The queries of the SQL benchmark: docs/sql.md's worked queries, read out of the document (every ```sql
// block after a `<!-- query: name -->` line, as apps/sql-projector/test/sql-docs.integration-spec.ts reads
// them) and moved to a bench building and day — their literals replaced, nothing else — and the
// measurement of the documented people-per-zone query in three variants.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { localLiteral, utcDate } from './layout.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DOC = 'docs/sql.md';
export const PEOPLE_PER_ZONE = 'people-per-zone';

/** The worked queries of docs/sql.md by name, in the document's order. */
export function docQueries() {
  const text = fs.readFileSync(path.join(ROOT, DOC), 'utf8');
  const queries = new Map(
    [...text.matchAll(/<!-- query: ([a-z0-9-]+) -->\n```sql\n([\s\S]*?)```/g)].map((m) => [
      m[1],
      m[2].trim(),
    ]),
  );
  if (!queries.has(PEOPLE_PER_ZONE)) {
    throw new Error(
      `${DOC} has no \`<!-- query: ${PEOPLE_PER_ZONE} -->\` block: the benchmark measures that query`,
    );
  }
  return queries;
}

/** The documented examples' building, day and time zone (docs/sql.md, Worked queries). */
const DOC_BUILDING = "'b-a1'";
const DOC_TIME_ZONE = "'Asia/Singapore'";
const DOC_DAY = '2022-06-01';

/**
 * `query` moved to building `pid` (time zone `region`) and local day `day` (`YYYY-MM-DD`): the building
 * literal, the time zone, every `2022-06-DD` date (the same number of days after `day`) with its offset
 * recomputed for that wall time in `region`, and the documented query's `month = '06'` / `dom = '01'`.
 * Throws when a literal of the documented example is left (the document changed in a way this does not
 * know). The trailing `;` goes (the queries are also run under `explain`).
 */
export function moveQuery(name, query, { pid, region, day }) {
  const base = Date.parse(`${DOC_DAY}T00:00:00Z`);
  const dayMs = Date.parse(`${day}T00:00:00Z`);
  const shift = (date) => utcDate(dayMs, (Date.parse(`${date}T00:00:00Z`) - base) / 86_400_000);
  const moved = query
    .replace(
      /'(2022-06-\d\d)T(\d\d:\d\d:\d\d)\+08:00'/g,
      (_, date, time) => `'${localLiteral(shift(date), time, region)}'`,
    )
    .replace(/date '(2022-06-\d\d)'/g, (_, date) => `date '${shift(date)}'`)
    .replace(/month = '06'/g, `month = '${day.slice(5, 7)}'`)
    .replace(/dom = '01'/g, `dom = '${day.slice(8, 10)}'`)
    .replaceAll(DOC_BUILDING, `'${pid}'`)
    .replaceAll(DOC_TIME_ZONE, `'${region}'`);
  if (moved.includes('2022-') || moved.includes(DOC_BUILDING)) {
    throw new Error(
      `${DOC} query ${name}: a literal of the documented example is left after moving it: ${moved}`,
    );
  }
  return moved.replace(/;\s*$/, '');
}

/** p50/p95/p99/max (ms, nearest rank) of `values`. */
export function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (q) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN;
  const r = (x) => Math.round(x * 100) / 100;
  return { count: sorted.length, p50: r(at(0.5)), p95: r(at(0.95)), p99: r(at(0.99)), max: r(at(1)) };
}

/** Runs `text` on `client` (simple query protocol, as psql sends it); answers its rows and wall time in ms. */
export async function timed(client, text) {
  const started = performance.now();
  const result = await client.query(text);
  return { ms: performance.now() - started, rows: result.rows };
}

/** The rows of an answer as sorted JSON lines, to compare answers of the variants. */
export const canonical = (rows) => rows.map((row) => JSON.stringify(Object.values(row))).sort();

/** A short summary of an `explain analyze` text: the scans and indexes used, rows removed, execution time. */
export function planSummary(plan) {
  const scans = [
    ...plan.matchAll(
      /((?:Parallel )?(?:Seq|Index Only|Index|Bitmap Heap|Bitmap Index) Scan)(?: using (\S+))? on (\S+)/g,
    ),
  ];
  const kinds = [...new Set(scans.map((m) => `${m[1]}${m[2] ? ` using ${m[2]}` : ''} on ${m[3]}`))];
  const removed = [...plan.matchAll(/Rows Removed by (?:Filter|Index Recheck): (\d+)/g)].reduce(
    (a, m) => a + Number(m[1]),
    0,
  );
  const ms = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1];
  const initPlan = /InitPlan/.test(plan);
  const launched = /Workers Launched: (\d+)/.exec(plan)?.[1];
  return {
    scans: kinds,
    rowsRemoved: removed,
    executionMs: ms ? Number(ms) : null,
    initPlan,
    workers: launched === undefined ? 0 : Number(launched),
  };
}

/** Variants of the people-per-zone query: who runs it on which table. */
export const VARIANTS = [
  { key: 'tenant', label: 'tenant role, RLS, `matrix.sensor_data`' },
  { key: 'superuser', label: 'superuser, `matrix.sensor_data`' },
  { key: 'flat', label: 'superuser, `bench.sensor_data_flat` (unpartitioned, unindexed)' },
];
const FLAT = 'bench.sensor_data_flat';

/**
 * The documented people-per-zone query for `inputs` (`{ pid, region, day }`), each input run by the three
 * variants one after the other (their order turned by one each input, so a slow spell of the machine
 * falls on all three alike): `tenant` as the tenant role (`clients.tenant`), `superuser` and `flat` as the
 * superuser, each on a session of its own (`clients.superuser`, `clients.flat`), `flat` on the copy. Own
 * sessions, because the flat copy's scan is costly enough for JIT, and a session that has loaded the JIT
 * library makes every later parallel worker of it load the library too (tens of ms each on this machine).
 * The first `warmup` inputs are run but not counted.
 * Throws at the first input whose answers differ between the variants, or that the tenant answers with
 * no rows. Answers the wall times and rows per variant and the `explain analyze` of the first input.
 */
export async function measurePeoplePerZone({ clients, template, inputs, warmup, log }) {
  const times = { tenant: [], superuser: [], flat: [] };
  const rows = [];
  const textOf = (input) => {
    const text = moveQuery(PEOPLE_PER_ZONE, template, input);
    const parts = text.split('from matrix.sensor_data');
    if (parts.length !== 2) {
      throw new Error(
        `${DOC} ${PEOPLE_PER_ZONE}: expected one "from matrix.sensor_data" to point at ${FLAT}: ${text}`,
      );
    }
    return { tenant: text, superuser: text, flat: parts.join(`from ${FLAT}`) };
  };
  const clientOf = (key) => clients[key];
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    const texts = textOf(input);
    const answers = {};
    for (let k = 0; k < VARIANTS.length; k++) {
      const { key } = VARIANTS[(i + k) % VARIANTS.length];
      const { ms, rows: answer } = await timed(clientOf(key), texts[key]);
      answers[key] = canonical(answer);
      if (i >= warmup) times[key].push(ms);
    }
    const [a, b, c] = VARIANTS.map(({ key }) => answers[key]);
    if (a.length === 0) {
      throw new Error(
        `people per zone, ${input.pid} on ${input.day}: the tenant role got no rows (is its property's data there?)`,
      );
    }
    if (a.join('\n') !== b.join('\n') || a.join('\n') !== c.join('\n')) {
      const first = (x, y) => x.find((line, j) => line !== y[j]) ?? '(none)';
      throw new Error(
        `people per zone, ${input.pid} on ${input.day}: the answers differ — tenant ${a.length} rows, ` +
          `superuser ${b.length}, flat copy ${c.length}; first tenant row not in superuser's: ${first(a, b)}; ` +
          `first superuser row not in the flat copy's: ${first(b, c)}`,
      );
    }
    if (i >= warmup) rows.push(a.length);
    if ((i + 1) % 25 === 0 || i === inputs.length - 1) log(`  ${i + 1} of ${inputs.length} inputs`);
  }
  const texts = textOf(inputs[warmup] ?? inputs[0]);
  const plans = {};
  for (const { key } of VARIANTS) {
    const { rows: plan } = await timed(clientOf(key), `explain (analyze, buffers) ${texts[key]}`);
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    plans[key] = { text, ...planSummary(text) };
  }
  return {
    query: texts.tenant,
    inputs: inputs.length - warmup,
    rows: {
      min: Math.min(...rows),
      max: Math.max(...rows),
      mean: rows.reduce((s, x) => s + x, 0) / rows.length,
    },
    variants: Object.fromEntries(VARIANTS.map(({ key }) => [key, percentiles(times[key])])),
    plans,
  };
}
