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
  'usage: matrix-cli nats-keys --dir <dir> [--downstream <user>]…\n' +
  '  writes <dir>/<user>.nk (the seed, mode 0600) and <dir>/<user>.pub for every Matrix user and each\n' +
  '  --downstream user that has no seed there yet; keeps existing ones.';

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

/**
 * `nats-keys`: a seed and public key file per user that has none yet. Seeds are secrets: the files are
 * written with mode 0600, and the directory is the operator's (never the repository).
 */
export function natsKeys(args: readonly string[]): string[] {
  const values = parse(args, { dir: { multiple: false }, downstream: { multiple: true } });
  const dir = values['dir'] as string | undefined;
  if (!dir) throw new UsageError('--dir is required');
  const downstream = (values['downstream'] as string[] | undefined) ?? [];
  const bad = downstream.filter((name) => !/^[A-Za-z0-9_-]+$/.test(name) || MATRIX_USER_NAMES.includes(name));
  if (bad.length > 0) {
    throw new UsageError(
      `--downstream ${bad.join(', ')}: a name of [A-Za-z0-9_-] that is not a Matrix user's`,
    );
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lines: string[] = [];
  for (const user of [...MATRIX_USER_NAMES, ...downstream]) {
    const seedFile = path.join(dir, `${user}.nk`);
    if (existsSync(seedFile)) {
      lines.push(`kept    ${seedFile}`);
      continue;
    }
    const pair = nkeys.createUser();
    writeFileSync(seedFile, `${decoder.decode(pair.getSeed())}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(seedFile, 0o600);
    writeFileSync(path.join(dir, `${user}.pub`), `${pair.getPublicKey()}\n`);
    lines.push(`created ${seedFile} (${pair.getPublicKey()})`);
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

/** The public key of `user` from `<dir>/<user>.pub`, else derived from `<dir>/<user>.nk`; undefined if neither. */
export function publicKeyOf(dir: string, user: string): string | undefined {
  const pub = path.join(dir, `${user}.pub`);
  if (existsSync(pub)) return readFileSync(pub, 'utf8').trim();
  const seed = path.join(dir, `${user}.nk`);
  if (!existsSync(seed)) return undefined;
  try {
    return nkeys.fromSeed(new TextEncoder().encode(readFileSync(seed, 'utf8').trim())).getPublicKey();
  } catch (error) {
    throw new UsageError(`${seed} does not hold an nkey seed: ${(error as Error).message}`);
  }
}

/** `nats-config`: the authorization block of one namespace, for nats-server's `include`. */
export function natsConfigText(args: readonly string[], namespace: string): string {
  const values = parse(args, { keys: { multiple: false }, downstream: { multiple: true } });
  const dir = values['keys'] as string | undefined;
  if (!dir) throw new UsageError('--keys is required');
  if (!existsSync(dir)) throw new UsageError(`--keys ${dir}: no such directory`);
  const downstream = ((values['downstream'] as string[] | undefined) ?? []).map(parseDownstream);
  const keys: Record<string, string> = {};
  for (const user of [...MATRIX_USER_NAMES, ...downstream.map((d) => d.name)]) {
    const key = publicKeyOf(dir, user);
    if (key !== undefined) keys[user] = key;
  }
  const ns = new Namespace(namespace);
  try {
    return natsAuthorizationConfig(matrixNatsUsers(keys, ns, downstream), ns);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
