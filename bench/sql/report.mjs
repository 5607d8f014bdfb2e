// The SQL benchmark's summary for stdout (markdown, to paste under "SQL" in docs/benchmarks.md).
import { keepsUp } from './projection.mjs';
import { VARIANTS } from './queries.mjs';

const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const int = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const met = (ok) => (ok ? 'met' : '**not met**');
/** The p95 target of issue #15 for the tenant's people-per-zone query, in ms. */
export const TENANT_P95_TARGET_MS = 50;

export function markdown(r) {
  const { machine: m, settings: s, seeded, projection: p } = r;
  const q = r.queries.peoplePerZone;
  const superP95 = q.variants.superuser.p95;
  const queryRow = ({ key, label }) => {
    const x = q.variants[key];
    const target =
      key === 'tenant' ? `p95 < ${TENANT_P95_TARGET_MS} ms: ${met(x.p95 < TENANT_P95_TARGET_MS)}` : '–';
    return `| ${label} | ${x.count} | ${fmt(x.p50, 2)} | ${fmt(x.p95, 2)} | ${fmt(x.p99, 2)} | ${fmt(x.max, 1)} | ${fmt(x.p95 / superP95, 2)} | ${target} |`;
  };
  const plan = (key) => {
    const x = q.plans[key];
    return (
      `${x.scans.join(', ') || '?'}${x.initPlan ? ' (tenant property as an InitPlan)' : ''}, ` +
      `${x.workers ? `${x.workers} parallel workers` : 'no parallel workers'}, ${int(x.rowsRemoved)} rows removed, ${fmt(x.executionMs, 2)} ms`
    );
  };
  const lines = [
    `Run ${r.date.slice(0, 16).replace('T', ' ')} UTC at commit \`${r.commit}\`: \`npm run bench:sql -- --rows ${s.rows} --queries ${s.queries} ` +
      `--seconds ${s.durationMs / 1000} --warmup ${s.warmupMs / 1000} --rate ${s.rate}\`.`,
    `${m.nproc} CPUs (${m.cpuModel}) · ${m.memoryGiB} GiB · Node ${m.node} · kernel ${m.kernel} · PostgreSQL ${r.postgres.version} ` +
      `(shared_buffers ${r.postgres.shared_buffers}, work_mem ${r.postgres.work_mem}, max_parallel_workers_per_gather ${r.postgres.max_parallel_workers_per_gather}, parallel_setup_cost ${r.postgres.parallel_setup_cost}, jit ${r.postgres.jit}) · ` +
      `nats-server ${r.natsVersion} · 1-min load average ${fmt(r.load, 1)} at the end` +
      (r.otherBenchmarks.length ? ` · also running: ${r.otherBenchmarks.join('; ')}` : ''),
    '',
    `Seeded (not measured): ${int(seeded.rows)} rows of \`matrix.sensor_data\` over ${seeded.days} days (${seeded.from.slice(0, 10)} to ${seeded.to.slice(0, 10)}, ` +
      `${seeded.partitions} partitions, ${int(seeded.tableMiB)} MiB with indexes), ${r.layout.zones} zones in ${r.layout.buildings} buildings of ` +
      `${r.layout.properties} properties, ${seeded.slots} slots; ${int(seeded.rollupRows)} rollup rows; flat copy ${int(seeded.flatMiB)} MiB. ` +
      `Times: ${Object.entries(seeded.timings)
        .map(([k, v]) => `${k} ${fmt(v, 1)} s`)
        .join(', ')}.`,
    '',
    `People per zone (docs/sql.md \`people-per-zone\`, the documented query) for one building and one local day, ${q.inputs} inputs ` +
      `(building of the tenant's property and day drawn from a seeded PRNG), each run by the three variants in turn; ` +
      `${fmt(q.rows.mean, 1)} rows per answer (${q.rows.min}–${q.rows.max}), equal in all three for every input. ` +
      `The superuser's two variants run on sessions of their own with the tenant role's defaults (${Object.entries(
        r.tenantSessionDefaults ?? {},
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}), so the first two differ by the policy alone.`,
    '',
    '| variant | queries | p50 ms | p95 ms | p99 ms | max ms | p95 ÷ superuser | target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...VARIANTS.map(queryRow),
    '',
    `Plans (\`explain analyze\`, first input): tenant ${plan('tenant')}; superuser ${plan('superuser')}; flat copy ${plan('flat')}.`,
    `Tenant isolation: the tenant role's answer for a building of the other property had ${r.queries.otherProperty.tenantRows} rows ` +
      `(the superuser's ${r.queries.otherProperty.superuserRows}).`,
    '',
    `The other worked queries of docs/sql.md, once each as the tenant role (informational): ` +
      r.queries.others.map((o) => `\`${o.name}\` ${fmt(o.ms, 1)} ms (${o.rows} rows)`).join(', ') +
      '.',
    '',
    `Event projection: Matrix events published to MATRIX_EVENTS at ${s.rate}/s for ${s.warmupMs / 1000} s warm-up + ${s.durationMs / 1000} s ` +
      `into sql-projector from dist (its read models consuming the same events).`,
    '',
    '| path | events | p50 ms | p95 ms | p99 ms | max ms | per second |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| raw: JetStream publish alone, ${p.ceiling.inFlight} in flight, nothing consuming (publish → ack) | ${p.ceiling.published} | ${fmt(p.ceiling.ackMs.p50, 2)} | ${fmt(p.ceiling.ackMs.p95, 2)} | ${fmt(p.ceiling.ackMs.p99, 2)} | ${fmt(p.ceiling.ackMs.max, 1)} | ${int(p.ceiling.rate)} |`,
    `| paced publish → JetStream ack | ${p.publisher.ackMs.count} | ${fmt(p.publisher.ackMs.p50, 2)} | ${fmt(p.publisher.ackMs.p95, 2)} | ${fmt(p.publisher.ackMs.p99, 2)} | ${fmt(p.publisher.ackMs.max, 1)} | ${int(p.window.publishedPerSecond)} |`,
    `| publish → row in \`matrix.events\` (\`projected_at\`) | ${p.lagMs.count} | ${fmt(p.lagMs.p50, 2)} | ${fmt(p.lagMs.p95, 2)} | ${fmt(p.lagMs.p99, 2)} | ${fmt(p.lagMs.max, 1)} | ${int(p.window.landedPerSecond)} |`,
    '',
    `Ledger: ${p.ledger.published} published (${p.publisher.errors} publish errors), ${p.ledger.rows} rows, ${p.ledger.distinctIds} distinct message ids, ` +
      `${p.ledger.deadLetters} dead letters. Last row ${fmt(p.drainMs, 0)} ms after the last publish; backlog of sql-projector-matrix-events at most ` +
      `${p.backlog.max} messages (sampled each second). sql-projector CPU over the window: ${fmt(p.projectorCpuPercent, 0)} % of one CPU. ` +
      `Keeps up with ${s.rate} events/s (exactly once, landed ≥ 98 % of the published rate, drained within 1 s): ${met(keepsUp(p))}.`,
  ];
  return lines.join('\n');
}
