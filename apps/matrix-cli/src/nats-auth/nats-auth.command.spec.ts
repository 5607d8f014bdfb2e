import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MATRIX_USER_NAMES } from '@matrix/messaging';
import { UsageError } from '../redrive/redrive.command';
import { natsConfigText, natsKeys, parseDownstream, publicKeysOf } from './nats-auth.command';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nats-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string) => readFileSync(path.join(dir, file), 'utf8').trim().split('\n');

describe('matrix-cli nats-keys', () => {
  it('makes a seed only its owner may read, and its public key, for every user without one', () => {
    const made = natsKeys(['--dir', dir, '--downstream', 'cleaning-team']);
    expect(made.filter((line) => line.startsWith('created'))).toHaveLength(MATRIX_USER_NAMES.length + 1);
    for (const user of [...MATRIX_USER_NAMES, 'cleaning-team']) {
      expect([user, statSync(path.join(dir, `${user}.nk`)).mode & 0o777]).toEqual([user, 0o600]);
      expect(lines(`${user}.nk`)[0]).toMatch(/^SU[A-Z2-7]{56}$/);
      expect(lines(`${user}.pub`)).toEqual(publicKeysOf(dir, user));
    }
    const seed = readFileSync(path.join(dir, 'push-ingress.nk'), 'utf8');
    expect(natsKeys(['--dir', dir]).every((line) => line.startsWith('kept'))).toBe(true);
    expect(readFileSync(path.join(dir, 'push-ingress.nk'), 'utf8')).toBe(seed);
  });

  it('rotates a key: the new seed, both public keys in the config, then only the new one', () => {
    natsKeys(['--dir', dir]);
    const [old] = lines('push-ingress.pub');
    natsKeys(['--dir', dir, '--rotate', 'push-ingress']);
    const both = lines('push-ingress.pub');
    expect(both).toHaveLength(2);
    expect(both[0]).toBe(old);
    const config = natsConfigText(['--keys', dir], '');
    expect(config).toContain(`nkey: "${both[0]}"`);
    expect(config).toContain(`nkey: "${both[1]}"`);
    expect(config).toContain('# push-ingress (service; key 2 of 2, rotating)');

    natsKeys(['--dir', dir, '--retire', 'push-ingress']);
    expect(lines('push-ingress.pub')).toEqual([both[1]]);
    expect(natsConfigText(['--keys', dir], '')).not.toContain(old);
  });

  it('refuses a downstream user named like a Matrix user, and rotating a user without a seed', () => {
    expect(() => natsKeys(['--dir', dir, '--downstream', 'push-ingress'])).toThrow(UsageError);
    expect(() => natsKeys(['--dir', dir, '--rotate', 'nobody'])).toThrow(/no seed to rotate or retire/);
    expect(() => natsKeys([])).toThrow(/--dir is required/);
  });
});

describe('matrix-cli nats-config', () => {
  it('names every user whose key is missing or bad', () => {
    natsKeys(['--dir', dir]);
    rmSync(path.join(dir, 'sql-projector.pub'));
    rmSync(path.join(dir, 'sql-projector.nk'));
    writeFileSync(path.join(dir, 'event-router.pub'), 'not-a-key\n');
    expect(() => natsConfigText(['--keys', dir], '')).toThrow(
      /no public key for sql-projector[\s\S]*the key of event-router is not an nkey user public key/,
    );
  });

  it('reads downstream users as <user>:<durable>,<durable>', () => {
    expect(parseDownstream('team:team-a,team-b')).toEqual({ name: 'team', durables: ['team-a', 'team-b'] });
    expect(() => parseDownstream('team')).toThrow(/write <user>:<durable>/);
  });

  it('writes the namespace into every subject and the header', () => {
    natsKeys(['--dir', dir]);
    const config = natsConfigText(['--keys', dir], 'blue');
    expect(config).toContain('NATS_NAMESPACE="blue"');
    expect(config).toContain('"blue.sensor.raw.>"');
    expect(config).not.toMatch(/"sensor\.raw\.>"/);
  });
});
