import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Namespace } from '../topology/topology.types';
import { natsConnectionOptions } from './nats-client';

describe('natsConnectionOptions', () => {
  let dir: string;
  let file: string;
  const base = { servers: ['nats://127.0.0.1:4222'], name: 'push-ingress', namespace: 'blue' };
  const ns = new Namespace('blue');

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nats-options-'));
    file = path.join(dir, 'seed');
    writeFileSync(file, 'SUAEXAMPLE\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds nothing without credentials or TLS files (a local server without users)', () => {
    expect(natsConnectionOptions(base, ns)).toEqual({});
  });

  it("with an nkey seed: an authenticator and the user's own inbox prefix, which its permissions allow", () => {
    const options = natsConnectionOptions({ ...base, credentials: { kind: 'nkey', seedFile: file } }, ns);
    expect(options.inboxPrefix).toBe('_INBOX_blue-push-ingress');
    expect(typeof options.authenticator).toBe('function');
  });

  it('with a creds file: an authenticator and the default inbox (its JWT carries its own permissions)', () => {
    const options = natsConnectionOptions({ ...base, credentials: { kind: 'creds', credsFile: file } }, ns);
    expect(options.inboxPrefix).toBeUndefined();
    expect(typeof options.authenticator).toBe('function');
  });

  it('passes the TLS files given, and names a seed file it cannot read', () => {
    expect(natsConnectionOptions({ ...base, tls: { caFile: file } }, ns)).toEqual({ tls: { caFile: file } });
    const missing = path.join(dir, 'missing');
    expect(() =>
      natsConnectionOptions({ ...base, credentials: { kind: 'nkey', seedFile: missing } }, ns),
    ).toThrow(`cannot read the NATS nkey seed file ${missing}`);
  });
});
