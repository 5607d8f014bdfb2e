import { randomBytes } from 'node:crypto';
import { parseSecretKey, SecretBox, SecretBoxError } from './secret-box';

const key = randomBytes(32);

describe('SecretBox', () => {
  it('opens what it sealed, with a fresh IV each time', () => {
    const box = new SecretBox(key);
    const a = box.seal('s3cret-ünïcode', 'AK1');
    const b = box.seal('s3cret-ünïcode', 'AK1');
    expect(box.open(a, 'AK1')).toBe('s3cret-ünïcode');
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.toString('utf8')).not.toContain('s3cret');
  });

  it('refuses to open under another master key', () => {
    const sealed = new SecretBox(key).seal('secret', 'AK1');
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'AK1')).toThrow(SecretBoxError);
  });

  it('refuses tampered ciphertext, IV or tag', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('secret', 'AK1');
    const flip = (bytes: Buffer) => {
      const copy = Buffer.from(bytes);
      copy[0] = (copy[0] ?? 0) ^ 1;
      return copy;
    };
    expect(() => box.open({ ...sealed, ciphertext: flip(sealed.ciphertext) }, 'AK1')).toThrow(SecretBoxError);
    expect(() => box.open({ ...sealed, iv: flip(sealed.iv) }, 'AK1')).toThrow(SecretBoxError);
    expect(() => box.open({ ...sealed, tag: flip(sealed.tag) }, 'AK1')).toThrow(SecretBoxError);
  });

  it('refuses a ciphertext moved onto another access key', () => {
    const box = new SecretBox(key);
    expect(() => box.open(box.seal('secret', 'AK1'), 'AK2')).toThrow(/AK2 does not decrypt/);
  });

  it('needs a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32-byte key/);
  });
});

describe('parseSecretKey', () => {
  it('reads base64 and base64url of 32 bytes', () => {
    expect(parseSecretKey(key.toString('base64')).equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64url')).equals(key)).toBe(true);
  });

  it('refuses other lengths and non-base64 without echoing the value', () => {
    expect(() => parseSecretKey(randomBytes(16).toString('base64'))).toThrow(/got 16/);
    expect(() => parseSecretKey('not base64!')).toThrow('must be base64 of 32 random bytes');
  });
});
