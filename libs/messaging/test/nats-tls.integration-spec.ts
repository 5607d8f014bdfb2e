import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { loadEnv, natsConfig, natsEnv } from '@matrix/platform';
import { startSecondNats, uniqueNamespace, type SecondNats } from '@matrix/testing';
import { Namespace, NatsClient, natsConnectionOptions } from '../src';

/*
 * The TLS variables (NATS_TLS_CA_FILE, NATS_TLS_CERT_FILE, NATS_TLS_KEY_FILE) against a real nats-server that
 * requires TLS and verifies clients: a CA, a server certificate for 127.0.0.1 and a client certificate, made
 * with the openssl command line for this test.
 */

let dir: string;
let server: SecondNats;
let url: string;
const namespace = uniqueNamespace('nats_tls');

function openssl(...args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `openssl ${args[0]} failed (is the openssl command installed?): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** A key and a certificate signed by the test CA; `san` for a server. */
function certificate(name: string, san?: string): void {
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${name}`,
  );
  const ext: string[] = [];
  if (san) {
    writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
    ext.push('-extfile', `${name}.ext`);
  }
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '1',
    ...ext,
  );
}

const file = (name: string) => path.join(dir, name);

/** The NATS options a service builds from these variables. */
function optionsFrom(env: NodeJS.ProcessEnv) {
  const config = natsConfig(loadEnv(natsEnv, { NATS_URL: url, NATS_NAMESPACE: namespace, ...env }));
  return { ...config, name: 'test-nats-tls' };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'matrix-nats-tls-'));
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '1',
    '-subj',
    '/CN=matrix-test-ca',
  );
  certificate('server', 'IP:127.0.0.1,DNS:localhost');
  certificate('client');
  server = await startSecondNats({
    config: `tls {\n  cert_file: "${file('server.crt')}"\n  key_file: "${file('server.key')}"\n  ca_file: "${file('ca.crt')}"\n  verify: true\n}\n`,
  });
  url = `tls://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** Connects once (no retries) with the options a service would use; answers the error message if refused. */
async function tryConnect(env: NodeJS.ProcessEnv): Promise<string> {
  const options = optionsFrom(env);
  try {
    const nc = await connect({
      servers: options.servers,
      maxReconnectAttempts: 0,
      // Under TLS 1.3 a client the server refuses learns it only when the connection goes quiet.
      timeout: 3000,
      ...natsConnectionOptions(options, new Namespace(namespace)),
    });
    await nc.close();
    return 'connected';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('NATS over TLS', () => {
  it('connects with the CA and a client certificate, and JetStream answers', async () => {
    const env = {
      NATS_TLS_CA_FILE: file('ca.crt'),
      NATS_TLS_CERT_FILE: file('client.crt'),
      NATS_TLS_KEY_FILE: file('client.key'),
    };
    // Once without retries, so that a refusal fails here with its reason rather than a reconnect loop.
    expect(await tryConnect(env)).toBe('connected');
    const client = await new NatsClient(optionsFrom(env)).connect();
    try {
      await expect(client.ping()).resolves.toBeUndefined();
    } finally {
      await client.drain();
    }
  });

  it('is refused without the client certificate the server verifies', async () => {
    expect(await tryConnect({ NATS_TLS_CA_FILE: file('ca.crt') })).not.toBe('connected');
  });

  it('does not trust the server without the CA that signed its certificate', async () => {
    expect(
      await tryConnect({ NATS_TLS_CERT_FILE: file('client.crt'), NATS_TLS_KEY_FILE: file('client.key') }),
    ).toMatch(/certificate/i);
  });
});
