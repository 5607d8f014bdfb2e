import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { natsConfig, natsEnv } from './env-fragments';
import { ConfigError, loadEnv } from './env-schema';

describe('NATS credentials and TLS variables', () => {
  let dir: string;
  let seed: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nats-env-'));
    seed = path.join(dir, 'push-ingress.nk');
    writeFileSync(seed, 'SUAEXAMPLE\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('connects without credentials when none is set (the local server without users)', () => {
    expect(natsConfig(loadEnv(natsEnv, {}))).toEqual({
      servers: ['nats://127.0.0.1:4222'],
      namespace: '',
      credentials: { kind: 'none' },
    });
  });

  it('takes an nkey seed file, or a creds file, and the TLS files', () => {
    expect(natsConfig(loadEnv(natsEnv, { NATS_NKEY_SEED_FILE: seed })).credentials).toEqual({
      kind: 'nkey',
      seedFile: seed,
    });
    expect(natsConfig(loadEnv(natsEnv, { NATS_CREDS_FILE: seed })).credentials).toEqual({
      kind: 'creds',
      credsFile: seed,
    });
    const tls = natsConfig(
      loadEnv(natsEnv, {
        NATS_URL: 'tls://nats:4222',
        NATS_TLS_CA_FILE: seed,
        NATS_TLS_CERT_FILE: seed,
        NATS_TLS_KEY_FILE: seed,
      }),
    );
    expect(tls).toMatchObject({
      servers: ['tls://nats:4222'],
      tls: { caFile: seed, certFile: seed, keyFile: seed },
    });
  });

  it('names a file it cannot read', () => {
    expect(() => loadEnv(natsEnv, { NATS_NKEY_SEED_FILE: path.join(dir, 'missing.nk') })).toThrow(
      /NATS_NKEY_SEED_FILE=.*missing\.nk.*cannot read the file: ENOENT/,
    );
  });

  it('refuses both kinds of credentials, and a certificate without its key, in one error', () => {
    const values = loadEnv(natsEnv, {
      NATS_NKEY_SEED_FILE: seed,
      NATS_CREDS_FILE: seed,
      NATS_TLS_CERT_FILE: seed,
    });
    expect(() => natsConfig(values)).toThrow(ConfigError);
    expect(() => natsConfig(values)).toThrow(
      /NATS_NKEY_SEED_FILE and NATS_CREDS_FILE[\s\S]*NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE/,
    );
  });
});
