import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { nkeys } from '@nats-io/transport-node';
import {
  MATRIX_USER_NAMES,
  matrixNatsUsers,
  Namespace,
  natsAuthorizationConfig,
  type DownstreamUser,
} from '@matrix/messaging';
import { UsageError } from '../redrive/redrive.command';

export const NATS_KEYS_USAGE =
  'usage: matrix-cli nats-keys --dir <dir> [--downstream <user>]… [--rotate <user>]… [--retire <user>]…\n' +
  '  writes <dir>/<user>.nk (the seed, mode 0600) and <dir>/<user>.pub for every Matrix user and each\n' +
  '  --downstream user that has no seed there yet, and keeps existing ones. --rotate makes a new seed and\n' +
  '  adds its public key to <user>.pub beside the old one (both may connect); --retire keeps only the\n' +
  "  current seed's public key.";

export const NATS_CONFIG_USAGE =
  'usage: matrix-cli nats-config --keys <dir> [--downstream <user>:<durable>,<durable>…]…\n' +
  '  prints the nats-server authorization block for NATS_NAMESPACE; public keys from <dir>/<user>.pub\n' +
  '  (or derived from <dir>/<user>.nk).';

const decoder = new TextDecoder();

function parse(args: readonly string[], options: Record<string, { multiple: boolean }>) {
  try {
    return parseArgs({
      args: [...args],
      options: Object.fromEntries(
        Object.entries(options).map(([name, { multiple }]) => [name, { type: 'string' as const, multiple }]),
      ),
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | string[] | undefined>;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const seedText = (pair: nkeys.KeyPair): string => `${decoder.decode(pair.getSeed())}\n`;

/** The public key of the seed in `file`. */
function seedPublicKey(file: string): string {
  try {
    return nkeys.fromSeed(new TextEncoder().encode(readFileSync(file, 'utf8').trim())).getPublicKey();
  } catch (error) {
    throw new UsageError(`${file} does not hold an nkey seed: ${(error as Error).message}`);
  }
}

/**
 * `nats-keys`: a seed and public key file per user that has none yet, and key rotation. Seeds are secrets:
 * the files are written with mode 0600, and the directory is the operator's (never the repository).
 */
export function natsKeys(args: readonly string[]): string[] {
  const values = parse(args, {
    dir: { multiple: false },
    downstream: { multiple: true },
    rotate: { multiple: true },
    retire: { multiple: true },
  });
  const dir = values['dir'] as string | undefined;
  if (!dir) throw new UsageError('--dir is required');
  const list = (name: string) => (values[name] as string[] | undefined) ?? [];
  const downstream = list('downstream');
  const bad = downstream.filter((name) => !/^[A-Za-z0-9_-]+$/.test(name) || MATRIX_USER_NAMES.includes(name));
  if (bad.length > 0) {
    throw new UsageError(
      `--downstream ${bad.join(', ')}: a name of [A-Za-z0-9_-] that is not a Matrix user's`,
    );
  }
  const seedFile = (user: string) => path.join(dir, `${user}.nk`);
  const pubFile = (user: string) => path.join(dir, `${user}.pub`);
  const missing = [...list('rotate'), ...list('retire')].filter((user) => !existsSync(seedFile(user)));
  if (missing.length > 0) {
    throw new UsageError(`no seed to rotate or retire: ${missing.map(seedFile).join(', ')}`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lines: string[] = [];
  for (const user of [...MATRIX_USER_NAMES, ...downstream]) {
    if (existsSync(seedFile(user))) {
      lines.push(`kept    ${seedFile(user)}`);
      continue;
    }
    const pair = nkeys.createUser();
    writeFileSync(seedFile(user), seedText(pair), { mode: 0o600, flag: 'wx' });
    chmodSync(seedFile(user), 0o600);
    writeFileSync(pubFile(user), `${pair.getPublicKey()}\n`);
    lines.push(`created ${seedFile(user)} (${pair.getPublicKey()})`);
  }
  for (const user of list('rotate')) {
    const old = existsSync(pubFile(user)) ? publicKeysOf(dir, user) : [seedPublicKey(seedFile(user))];
    const pair = nkeys.createUser();
    writeFileSync(seedFile(user), seedText(pair), { mode: 0o600 });
    chmodSync(seedFile(user), 0o600);
    writeFileSync(pubFile(user), `${[...old, pair.getPublicKey()].join('\n')}\n`);
    lines.push(`rotated ${seedFile(user)} (${pair.getPublicKey()}; ${old.length} older key(s) still listed)`);
  }
  for (const user of list('retire')) {
    const current = seedPublicKey(seedFile(user));
    writeFileSync(pubFile(user), `${current}\n`);
    lines.push(`retired the older keys of ${user} (${current} stays)`);
  }
  return lines;
}

/** `<user>:<durable>,<durable>` of `--downstream`. */
export function parseDownstream(value: string): DownstreamUser {
  const [name = '', durables = ''] = value.split(':', 2);
  if (!value.includes(':') || !name || !durables) {
    throw new UsageError(`--downstream ${value}: write <user>:<durable>[,<durable>…]`);
  }
  return { name, durables: durables.split(',').map((durable) => durable.trim()) };
}

/**
 * The public keys of `user`: the lines of `<dir>/<user>.pub` (two while its key is rotated), else the key of
 * `<dir>/<user>.nk`; none when neither exists.
 */
export function publicKeysOf(dir: string, user: string): string[] {
  const pub = path.join(dir, `${user}.pub`);
  if (existsSync(pub)) {
    return readFileSync(pub, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  }
  const seed = path.join(dir, `${user}.nk`);
  return existsSync(seed) ? [seedPublicKey(seed)] : [];
}

/** `nats-config`: the authorization block of one namespace, for nats-server's `include`. */
export function natsConfigText(args: readonly string[], namespace: string): string {
  const values = parse(args, { keys: { multiple: false }, downstream: { multiple: true } });
  const dir = values['keys'] as string | undefined;
  if (!dir) throw new UsageError('--keys is required');
  if (!existsSync(dir)) throw new UsageError(`--keys ${dir}: no such directory`);
  const downstream = ((values['downstream'] as string[] | undefined) ?? []).map(parseDownstream);
  const keys: Record<string, string[]> = {};
  for (const user of [...MATRIX_USER_NAMES, ...downstream.map((d) => d.name)]) {
    keys[user] = publicKeysOf(dir, user);
  }
  const ns = new Namespace(namespace);
  try {
    return natsAuthorizationConfig(matrixNatsUsers(keys, ns, downstream), ns);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
