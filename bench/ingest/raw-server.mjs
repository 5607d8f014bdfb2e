// The raw HTTP floor of the ingest benchmark: a plain Node `http` server that reads each request body
// whole and answers `202 {"accepted": <pointsPerRequest>, "duplicates": 0, "correlationId": "…"}`, as
// push-ingress does, without parsing, checking or storing anything.
//
//   node bench/ingest/raw-server.mjs '{"pointsPerRequest":100}'
//
// Listens on 127.0.0.1 on a free port and prints `listening <port>` on stdout; stops on SIGTERM/SIGINT, or
// by itself after `maxLifetimeMs`.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { serveUntilStopped } from '../lib/child.mjs';

/** @type {{ pointsPerRequest?: number, maxLifetimeMs?: number }} */
const spec = JSON.parse(process.argv[2] ?? '{}');
const accepted = spec.pointsPerRequest ?? 100;

const server = http.createServer((request, response) => {
  let bytes = 0;
  request.on('data', (chunk) => (bytes += chunk.length));
  request.on('end', () => {
    const correlationId = randomUUID();
    const body = JSON.stringify(
      request.method === 'POST' && bytes > 0
        ? { accepted, duplicates: 0, correlationId }
        : { error: 'POST a body' },
    );
    response
      .writeHead(request.method === 'POST' && bytes > 0 ? 202 : 400, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        'x-correlation-id': correlationId,
      })
      .end(body);
  });
});

serveUntilStopped(server, spec.maxLifetimeMs);
