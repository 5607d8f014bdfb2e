// The platform a workforce benchmark runs against (shared by run.mjs and workday.mjs): a throwaway
// database and NATS namespace, both services' migrations, a bootstrapped tenant, matrix-api-gateway and
// incident-service started (on CPU 0 when pinning), one building of `zones` zones on one level and `seats`
// seats created over REST v1.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { log, throwawayInfra, waitReady } from '../lib/harness.mjs';
import { freePort } from '../../tools/infra/infra.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const GATEWAY = path.join(ROOT, 'dist/apps/matrix-api-gateway/main.cjs');
export const INCIDENTS = path.join(ROOT, 'dist/apps/incident-service/main.cjs');
const CLI = path.join(ROOT, 'dist/apps/matrix-cli/main.cjs');
export const MODULE = 'scworkforcemanagement';

/**
 * Starts the platform and creates the building. Answers what the measurements need: `rest(method, path,
 * body)` (Basic auth as the tenant), `actionsPath(op)` and `auth(op)` for SC-HMAC actions calls, the
 * building `pid`, `zones` (`{id, name}`), `seats` (ids), `tenant`, `infra`, `port` and `stopServices()`.
 */
export async function startWorkforce({
  name,
  ns,
  build,
  onCleanup,
  startNode,
  runNode,
  zones,
  seats,
  timeZone,
  pin,
}) {
  const infra = await throwawayInfra({
    name,
    ns,
    apps: ['matrix-api-gateway', 'incident-service', 'matrix-cli'],
    build,
    onCleanup,
  });
  const env = {
    ...infra.env,
    MATRIX_SECRET_KEY: randomBytes(32).toString('base64'),
    // The per-credential limit (default 50/s) would answer 429 to a load test of one credential.
    RATE_LIMIT_PER_SECOND: '100000',
    RATE_LIMIT_BURST: '1000000',
  };
  await runNode([CLI, 'provision'], env);
  await runNode([GATEWAY, 'migrate'], env);
  await runNode([INCIDENTS, 'migrate'], env);
  const tenant = JSON.parse(
    (await runNode([GATEWAY, 'bootstrap', '--org', 'BENCH', '--property', 'Bench Campus'], env))
      .trim()
      .split('\n')
      .reverse()
      .find((line) => line.startsWith('{')),
  );

  const services = {};
  for (const [service, bundle] of [
    ['incident-service', INCIDENTS],
    ['matrix-api-gateway', GATEWAY],
  ]) {
    const port = await freePort();
    const started = startNode(
      service,
      [bundle],
      { ...env, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port) },
      0,
    );
    await waitReady(port, started);
    services[service] = { ...started, port };
  }
  const port = services['matrix-api-gateway'].port;
  log(
    `gateway on 127.0.0.1:${port}, incident-service ready${pin ? ' (both on CPU 0; load generator on CPU 1)' : ''}`,
  );

  const basic = `Basic ${Buffer.from(`${tenant.accessKey}:${tenant.secretKey}`).toString('base64')}`;
  const rest = async (method, urlPath, body) => {
    const response = await fetch(`http://127.0.0.1:${port}${urlPath}`, {
      method,
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300)
      throw new Error(`${method} ${urlPath}: ${response.status} ${text.slice(0, 500)}`);
    return JSON.parse(text);
  };

  // One building, one level, `zones` zones (up to 1,000 per call), and `seats` seats of the property.
  const building = await rest('POST', `/v1/properties/${tenant.propid}/buildings`, {
    name: 'Bench Tower',
    levelsCount: 1,
    timeZone,
  });
  const pid = building.pid;
  const lid = (await rest('POST', `/v1/buildings/${pid}/levels`, { name: 'Ground', level: '0' })).lid;
  const zoneList = [];
  for (let from = 0; from < zones; from += 1000) {
    const batch = [];
    for (let i = from; i < Math.min(zones, from + 1000); i++) {
      batch.push({ name: `${i % 4 === 0 ? 'Washroom' : 'Pantry'} ${String(i + 1).padStart(4, '0')}`, lid });
    }
    const created = await rest('POST', `/v1/buildings/${pid}/zones`, { zones: batch });
    zoneList.push(...created.items.map((z) => ({ id: z.insId, name: z.name })));
  }
  const seatIds = [];
  for (let i = 0; i < seats; i++) {
    const seat = await rest('POST', `/v1/properties/${tenant.propid}/seats`, {
      userName: `cleaner ${i + 1}`,
      userGroup: 'HOUSEKEEPING',
    });
    seatIds.push(seat.seatId);
  }

  const actionsPath = (op) =>
    `/prod/v2/${MODULE}/v1/actions?${new URLSearchParams({ op, org: tenant.org, pid, propid: tenant.propid })}`;
  const auth = (op) => ({
    module: MODULE,
    propid: tenant.propid,
    op,
    accessKey: tenant.accessKey,
    secretKey: tenant.secretKey,
  });
  const stopServices = async () => {
    for (const service of Object.values(services)) await service.stop();
  };
  /** The last output of both services, for a failure's message. */
  const serviceOutput = () =>
    Object.values(services)
      .map((service) => `--- ${service.name}:\n${service.output.text()}`)
      .join('\n');
  return {
    serviceOutput,
    infra,
    env,
    tenant,
    port,
    rest,
    pid,
    zones: zoneList,
    seats: seatIds,
    actionsPath,
    auth,
    stopServices,
  };
}
