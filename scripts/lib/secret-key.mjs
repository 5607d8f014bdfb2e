// The gateway's MATRIX_SECRET_KEY for `npm start`: the operator's variable when set, else the key kept in
// .matrix/secret-key (mode 0600), generated on the first run. The key encrypts every API credential's
// secret at rest: replacing it makes every stored credential unreadable, so an existing file is never
// overwritten, and an unreadable one stops the start with a message instead.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const KEY_BYTES = 32;

/** Whether `text` is base64 (or base64url) of exactly 32 bytes, as the gateway requires. */
function validKey(text) {
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) && Buffer.from(text, 'base64').length === KEY_BYTES;
}

/** `{ key, source }`: MATRIX_SECRET_KEY from the environment, or .matrix/secret-key (created if missing). */
export function ensureSecretKey(root, env = process.env) {
  if (env.MATRIX_SECRET_KEY) return { key: env.MATRIX_SECRET_KEY, source: 'MATRIX_SECRET_KEY' };
  const dir = path.join(root, '.matrix');
  const file = path.join(dir, 'secret-key');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let key;
  try {
    key = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    key = randomBytes(KEY_BYTES).toString('base64');
    try {
      writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' }); // wx: never replace a key
      return { key, source: `${path.relative(root, file)} (new)` };
    } catch (raced) {
      if (raced.code !== 'EEXIST') throw raced;
      key = readFileSync(file, 'utf8').trim();
    }
  }
  if (!validKey(key)) {
    throw new Error(
      `${file} is not base64 of ${KEY_BYTES} bytes. It encrypts the stored API credentials: restore it, ` +
        'or delete it to start over (every existing credential then stops working).',
    );
  }
  chmodSync(file, 0o600);
  return { key, source: path.relative(root, file) };
}
