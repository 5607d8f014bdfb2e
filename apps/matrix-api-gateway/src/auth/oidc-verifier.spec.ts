import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { AuthError } from './auth-error';
import { DomainError } from '../domain-error';
import { OidcVerifier } from './oidc-verifier';

const ISSUER = 'https://issuer.test/';
const AUDIENCE = 'matrix-gateway';
const NOW_S = 1_800_000_000;
const clock = { now: () => NOW_S * 1000 };
const CLAIMS = { matrix_org: 'ORG1', matrix_propid: 'propA', matrix_role: 'read' };

let server: Server;
let jwksUrl: string;
let published: JWK[] = [];
let jwksRequests = 0;
let rsa: CryptoKey;
let ec: CryptoKey;
let stranger: CryptoKey;

beforeAll(async () => {
  const rsaPair = await generateKeyPair('RS256');
  const ecPair = await generateKeyPair('ES256');
  rsa = rsaPair.privateKey;
  ec = ecPair.privateKey;
  stranger = (await generateKeyPair('RS256')).privateKey;
  published = [
    { ...(await exportJWK(rsaPair.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ecPair.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  server = createServer((_request, response) => {
    jwksRequests += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const verifier = () => new OidcVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl }, clock);

function token(
  claims: JWTPayload = CLAIMS,
  options: { key?: CryptoKey; alg?: string; kid?: string; iss?: string; aud?: string; exp?: number } = {},
): Promise<string> {
  const alg = options.alg ?? 'RS256';
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid: options.kid ?? (alg === 'ES256' ? 'ec-1' : 'rsa-1') })
    .setSubject('user-42')
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt(NOW_S - 60)
    .setExpirationTime(options.exp ?? NOW_S + 3600)
    .sign(options.key ?? (alg === 'ES256' ? ec : rsa));
}

async function refusal(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  return error as AuthError;
}

/** base64url of a JSON object, for hand-made tokens. */
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('OidcVerifier', () => {
  it('accepts an RS256 and an ES256 token of the issuer and maps the Matrix claims', async () => {
    const expected = { accessKey: 'user:user-42', orgId: 'ORG1', propId: 'propA', role: 'read' };
    await expect(verifier().verify(await token())).resolves.toEqual(expected);
    await expect(verifier().verify(await token(CLAIMS, { alg: 'ES256' }))).resolves.toEqual(expected);
  });

  it('maps matrix_propid "*" to organisation-wide access, and refuses a token without the claim', async () => {
    await expect(
      verifier().verify(await token({ ...CLAIMS, matrix_propid: '*', matrix_role: 'admin' })),
    ).resolves.toEqual({ accessKey: 'user:user-42', orgId: 'ORG1', propId: null, role: 'admin' });
    // An identity provider leaves a claim out when its attribute is unset: that is not organisation-wide.
    const { matrix_propid: _propId, ...withoutProperty } = CLAIMS;
    for (const claims of [withoutProperty, { ...CLAIMS, matrix_propid: null }]) {
      const error = await refusal(verifier().verify(await token({ ...claims, matrix_role: 'admin' })));
      expect(error.message).toMatch(
        /matrix_propid claim must be a property id .*or "\*" for organisation-wide/,
      );
    }
  });

  it('refuses an expired token, beyond the clock tolerance only', async () => {
    await expect(verifier().verify(await token(CLAIMS, { exp: NOW_S - 10 }))).resolves.toBeDefined();
    const error = await refusal(verifier().verify(await token(CLAIMS, { exp: NOW_S - 31 })));
    expect(error.message).toBe('the token has expired');
  });

  it('refuses another audience and another issuer', async () => {
    const audience = await refusal(verifier().verify(await token(CLAIMS, { aud: 'someone-else' })));
    expect(audience.message).toBe("the token's aud is not the configured audience");
    const issuer = await refusal(verifier().verify(await token(CLAIMS, { iss: 'https://evil.test/' })));
    expect(issuer.message).toBe("the token's iss is not the configured issuer");
  });

  it('refuses a token signed by a key the issuer does not publish', async () => {
    const sameKid = await refusal(verifier().verify(await token(CLAIMS, { key: stranger })));
    expect(sameKid.message).toBe("the token's signature does not verify with the issuer's keys");
    const otherKid = await refusal(verifier().verify(await token(CLAIMS, { key: stranger, kid: 'rsa-9' })));
    expect(otherKid.message).toBe("no key of the issuer's JWKS matches the token's kid");
  });

  it('refuses alg none and HS256', async () => {
    const payload = { ...CLAIMS, sub: 'user-42', iss: ISSUER, aud: AUDIENCE, exp: NOW_S + 3600 };
    const none = `${part({ alg: 'none' })}.${part(payload)}.`;
    expect((await refusal(verifier().verify(none))).message).toMatch(/alg is not accepted.*RS256 or ES256/);
    const hs256 = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
      .sign(new TextEncoder().encode('a shared secret anyone could guess'));
    expect((await refusal(verifier().verify(hs256))).message).toMatch(/alg is not accepted/);
  });

  it('refuses a token without the Matrix claims or with an unknown role', async () => {
    const noOrg = await refusal(verifier().verify(await token({ matrix_role: 'read' })));
    expect(noOrg.message).toMatch(/no matrix_org claim/);
    const badRole = await refusal(verifier().verify(await token({ ...CLAIMS, matrix_role: 'owner' })));
    expect(badRole.message).toBe("the token's matrix_role claim must be one of read, write, admin");
    const badProperty = await refusal(
      verifier().verify(await token({ ...CLAIMS, matrix_propid: ['propA'] })),
    );
    expect(badProperty.message).toMatch(/matrix_propid claim must be a property id/);
  });

  it('refuses a token that is not a JWT', async () => {
    const error = await refusal(verifier().verify('not.a.jwt'));
    expect(error.message).toMatch(/^the token is not a valid JWT/);
  });

  it('fetches the JWKS once for many tokens', async () => {
    const before = jwksRequests;
    const shared = verifier();
    for (let i = 0; i < 3; i += 1) await shared.verify(await token());
    expect(jwksRequests - before).toBe(1);
  });

  it('answers 503, not 401, when the JWKS cannot be fetched', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/jwks`;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = new OidcVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: url }, clock);
    const error = await unreachable.verify(await token()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', retryAfterSeconds: 5 });
  });
});
