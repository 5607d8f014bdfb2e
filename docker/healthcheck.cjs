// Container health check: GET http://127.0.0.1:$HTTP_PORT<path> (default /health/live) with node's
// fetch, since the slim image has neither curl nor wget. Exit 0 on a 2xx answer, 1 otherwise.
'use strict';

const path = process.argv[2] || '/health/live';
const port = process.env.HTTP_PORT;

if (!port) {
  console.error('healthcheck: HTTP_PORT is not set');
  process.exit(1);
}
fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  (error) => {
    console.error(`healthcheck: ${error.message}`);
    process.exit(1);
  },
);
