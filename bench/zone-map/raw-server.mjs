// The raw baseline of the zone-map benchmark: a plain Node `http` server that answers with the exact
// bytes the gateway answered, read from files, after reading the request body (as the gateway does).
//
//   node bench/zone-map/raw-server.mjs '{"routes":{"POST /prod/v2/scgrids/v1/actions":"<file>", ...}}'
//
// Routes match on method and path without the query string. Listens on 127.0.0.1 on a free port and
// prints `listening <port>` on stdout; stops on SIGTERM/SIGINT, or by itself after `maxLifetimeMs`.
import fs from 'node:fs';
import http from 'node:http';
import { serveUntilStopped } from '../lib/child.mjs';

/** @type {{ routes: Record<string, string>, maxLifetimeMs?: number }} */
const spec = JSON.parse(process.argv[2] ?? '{}');
/** @type {Map<string, Buffer>} */
const routes = new Map(
  Object.entries(spec.routes ?? {}).map(([route, file]) => [route, fs.readFileSync(file)]),
);

const server = http.createServer((request, response) => {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const payload = routes.get(`${request.method} ${queryAt < 0 ? url : url.slice(0, queryAt)}`);
  request.resume();
  request.on('end', () => {
    if (!payload) {
      response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end('{}');
      return;
    }
    response
      .writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length })
      .end(payload);
  });
});

serveUntilStopped(server, spec.maxLifetimeMs);
