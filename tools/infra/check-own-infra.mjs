// Smoke check of the "start our own servers" path of infra.mjs (test mode), which a machine with
// NATS and PostgreSQL already running never takes otherwise:
//   MATRIX_TEST_OWN_INFRA=1 node tools/infra/check-own-infra.mjs
// Starts a nats-server and embedded PostgreSQL, uses both, stops them, and checks they are gone.
import assert from 'node:assert/strict';
import net from 'node:net';
import pg from 'pg';
import { dropDatabase, ensureDatabase, ensureNats, ensurePostgres } from './infra.mjs';

if (process.env.MATRIX_TEST_OWN_INFRA !== '1') {
  console.error('Run with MATRIX_TEST_OWN_INFRA=1 so that running servers are not reused.');
  process.exit(2);
}

/** The INFO line's JSON, or undefined when nothing answers. */
function natsInfo(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(2000, () => (socket.destroy(), resolve(undefined)));
    socket.once('error', () => resolve(undefined));
    socket.once('data', (chunk) => {
      socket.destroy();
      const line = chunk.toString().split('\r\n')[0];
      resolve(line.startsWith('INFO ') ? JSON.parse(line.slice(5)) : undefined);
    });
  });
}

async function query(url, sql) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

const t0 = Date.now();
const nats = await ensureNats({ mode: 'test' });
const natsPort = Number(new URL(nats.url).port);
assert.equal(nats.started, true, 'ensureNats reused a server although MATRIX_TEST_OWN_INFRA=1');
assert.notEqual(natsPort, 4222);
const info = await natsInfo(natsPort);
assert.equal(info?.jetstream, true, 'own nats-server does not report JetStream');
console.log(
  `nats-server ${info.version} started at ${nats.url} (jetstream: ${info.jetstream}) in ${Date.now() - t0} ms`,
);

const t1 = Date.now();
const postgres = await ensurePostgres({ mode: 'test' });
assert.equal(postgres.started, true, 'ensurePostgres reused a server although MATRIX_TEST_OWN_INFRA=1');
assert.notEqual(new URL(postgres.adminUrl).port, '5432');
const [{ version }] = await query(postgres.adminUrl, 'SELECT version()');
console.log(`PostgreSQL started at ${postgres.adminUrl} in ${Date.now() - t1} ms: ${version}`);

const url = await ensureDatabase(postgres.adminUrl, 'own_infra_check');
assert.equal(
  await ensureDatabase(postgres.adminUrl, 'own_infra_check'),
  url,
  'ensureDatabase is not idempotent',
);
const [{ db }] = await query(url, 'SELECT current_database() AS db');
assert.equal(db, 'own_infra_check');
await dropDatabase(postgres.adminUrl, 'own_infra_check');
const left = await query(postgres.adminUrl, "SELECT 1 FROM pg_database WHERE datname = 'own_infra_check'");
assert.equal(left.length, 0, 'dropDatabase left the database behind');
console.log(`ensureDatabase/dropDatabase work (${url})`);

await nats.stop();
await postgres.stop();
assert.equal(await natsInfo(natsPort), undefined, 'nats-server still answers after stop()');
await assert.rejects(query(postgres.adminUrl, 'SELECT 1'), 'PostgreSQL still answers after stop()');
console.log('both stopped: nothing answers on their ports any more');
