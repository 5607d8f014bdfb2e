// Bundled (esbuild resolves @matrix/platform to the workspace source) and run by bench/tracing/run.mjs: the CPU of one traced hop (extract a message's traceparent, a
// batch span under it, a producer span, inject its traceparent, end both) in one mode, printed as JSON.
import {
  contextWithSpan,
  extractTraceContext,
  injectTraceHeaders,
  SpanKind,
  startBatchSpan,
  startSpan,
  startTracing,
  tracingConfig,
  tracingEnabled,
} from '@matrix/platform';

const [mode = 'off', endpoint = 'http://127.0.0.1:4318', count = '100000'] = process.argv.slice(2);
/** Every how many hops the incoming traceparent is sampled (0: never). */
const sampledEvery = { off: 0, unsampled: 0, 'ratio-1%': 100, sampled: 1 }[mode];
if (sampledEvery === undefined) throw new Error(`mode: off, unsampled, ratio-1% or sampled, not ${mode}`);

function hop(i) {
  const flags = sampledEvery > 0 && i % sampledEvery === 0 ? '01' : '00';
  const incoming = { traceparent: `00-${(i + 1).toString(16).padStart(32, '0')}-${'2'.repeat(16)}-${flags}` };
  if (!tracingEnabled()) return;
  const batch = startBatchSpan('process bench', { kind: SpanKind.CONSUMER }, [extractTraceContext(incoming)]);
  const send = startSpan('send sensor.data', { kind: SpanKind.PRODUCER }, batch.context);
  injectTraceHeaders(contextWithSpan(batch.context, send), {});
  send.end();
  batch.span.end();
}

async function main() {
  const handle =
    mode === 'off'
      ? undefined
      : startTracing(
          tracingConfig('bench', {
            OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
            OTEL_BSP_SCHEDULE_DELAY: 1000,
            OTEL_TRACES_SAMPLER: 'parentbased_always_on',
          }),
          { warn: (m) => process.stderr.write(`${m}\n`), error: (m) => process.stderr.write(`${m}\n`) },
        );
  const n = Number(count);
  for (let i = 0; i < 20_000; i++) hop(i);
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) hop(i);
  await handle?.shutdown(30_000); // exporting what was recorded is part of the cost
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `${JSON.stringify({ mode, hops: n, cpuMicrosPerHop: (used.user + used.system) / n })}\n`,
  );
}
void main();
