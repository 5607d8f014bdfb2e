import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { scramVerifier } from './scram-verifier';

describe('scramVerifier', () => {
  const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');

  it("has PostgreSQL's format: SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>", () => {
    expect(scramVerifier('pencil', salt)).toMatch(
      /^SCRAM-SHA-256\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/,
    );
  });

  it('lets a client proof made from the password pass the server check of RFC 5802', () => {
    const [, keys] = scramVerifier('pencil', salt).split('$') as [string, string, string];
    const storedKey = Buffer.from(scramVerifier('pencil', salt).split('$')[2]!.split(':')[0]!, 'base64');
    expect(keys).toContain('4096');
    // The client side: ClientProof = ClientKey XOR HMAC(StoredKey, AuthMessage).
    const authMessage = 'n=,r=nonce,r=nonce-server,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=nonce-server';
    const clientKey = createHmac('sha256', pbkdf2Sync('pencil', salt, 4096, 32, 'sha256'))
      .update('Client Key')
      .digest();
    const signature = createHmac('sha256', storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]!));
    // The server side: recover ClientKey from the proof and compare its hash with StoredKey.
    const recovered = Buffer.from(proof.map((byte, i) => byte ^ signature[i]!));
    expect(createHash('sha256').update(recovered).digest().equals(storedKey)).toBe(true);
    expect(scramVerifier('pencil!', salt)).not.toBe(scramVerifier('pencil', salt));
  });

  it('refuses a password SASLprep would change', () => {
    expect(() => scramVerifier('with space')).toThrow(/printable ASCII/);
  });
});
