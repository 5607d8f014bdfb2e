// Tracing cost (issue #18 item 4, docs/tracing.md "Cost"): CPU microseconds of one traced hop as the seams
// make it (extract a message's traceparent, a batch span under it, a producer span, inject its traceparent)
// with tracing off, on with every incoming trace unsampled, on with 1 % sampled, and on with all sampled
// (spans exported as OTLP/HTTP JSON to a sink in this process that answers 200 and keeps nothing). Each
// mode runs in its own process, `--rounds` times in turn (off, unsampled, ratio, sampled, off, …).
//   node bench/tracing/run.mjs [--hops 100000] [--rounds 2]
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { workspaceSources } from '../../tools/esbuild/build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: { hops: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '2' } },
});
const bundle = path.join(root, 'dist/bench/tracing/span-cost.cjs');
await esbuild.build({
  entryPoints: [path.join(root, 'bench/tracing/span-cost.mjs')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  packages: 'external',
  logLevel: 'warning',
  plugins: [await workspaceSources()],
});

let exported = 0;
const sink = http.createServer((req, res) => {
  req.on('data', (chunk) => (exported += chunk.length));
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${sink.address().port}`;

const results = {};
for (let round = 0; round < Number(values.rounds); round++) {
  for (const mode of ['off', 'unsampled', 'ratio-1%', 'sampled']) {
    // Asynchronously, so that this process's sink answers the exports meanwhile.
    const line = await run(process.execPath, [bundle, mode, endpoint, values.hops]);
    const { cpuMicrosPerHop } = JSON.parse(line);
    (results[mode] ??= []).push(cpuMicrosPerHop);
  }
}
sink.close();
console.log('| mode | CPU µs per hop (2 spans), each round |');
console.log('| --- | --- |');
for (const [mode, figures] of Object.entries(results)) {
  console.log(`| ${mode} | ${figures.map((f) => f.toFixed(2)).join(', ')} |`);
}
console.log(`OTLP JSON received by the sink: ${(exported / 1e6).toFixed(1)} MB`);

/** Runs a process and resolves with the last line it printed; rejects on a non-zero exit. */
function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) =>
      code === 0 ? resolve(out.trim().split('\n').pop()) : reject(new Error(`${args[1]} exited ${code}`)),
    );
  });
}
