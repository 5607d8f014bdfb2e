import { ACCESS_KEY_PATTERN, newAccessKey, newSecretKey } from './access-keys';

describe('access keys and secrets', () => {
  it('issues AK + 20 base32 characters, different every time', () => {
    const keys = new Set(Array.from({ length: 200 }, newAccessKey));
    expect(keys.size).toBe(200);
    for (const key of keys) expect(key).toMatch(ACCESS_KEY_PATTERN);
  });

  it('issues 32-byte base64url secrets', () => {
    const secret = newSecretKey();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(newSecretKey()).not.toBe(secret);
  });
});
