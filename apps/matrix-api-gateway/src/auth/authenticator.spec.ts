import { AuthError } from './auth-error';
import type { AuthRequest } from './auth-request';
import { Authenticator } from './authenticator';
import { CredentialLookup, type ResolvedCredential } from '../credentials/credential-lookup';
import { RateLimiter } from './rate-limiter';
import { InMemoryRateLimitStore } from './rate-limit-store';
import { signature, stringToSign } from './sc-hmac';

const NOW_S = 1_700_000_000;
const PROPERTY_KEY: ResolvedCredential = {
  accessKey: 'AKPROPERTYKEY2345ABCD',
  orgId: 'ORG1',
  propId: 'propA',
  role: 'write',
  secret: 'property-secret',
};
const ORG_KEY: ResolvedCredential = {
  ...PROPERTY_KEY,
  accessKey: 'AKORGWIDEKEY2345ABCDE',
  propId: null,
  secret: 'org-secret',
};
// The reference's own key shape (§4.2), to show a slash in an access key works.
const REFERENCE_KEY: ResolvedCredential = {
  ...PROPERTY_KEY,
  accessKey: 'dummyaccesskey/abcd',
  secret: 'mydummysecretkey',
};

class FakeLookup extends CredentialLookup {
  readonly used: string[] = [];
  constructor(private readonly known: ResolvedCredential[]) {
    super();
  }
  async resolve(accessKey: string): Promise<ResolvedCredential | null> {
    return this.known.find((c) => c.accessKey === accessKey) ?? null;
  }
  async markUsed(accessKey: string): Promise<void> {
    this.used.push(accessKey);
  }
}

function setup(nowS = NOW_S) {
  const clock = { now: () => nowS * 1000 };
  const lookup = new FakeLookup([PROPERTY_KEY, ORG_KEY, REFERENCE_KEY]);
  const authenticator = new Authenticator(
    lookup,
    new RateLimiter({ perSecond: 1, burst: 2 }, clock, new InMemoryRateLimitStore()),
    clock,
  );
  return { authenticator, lookup };
}

const actions = (
  headers: AuthRequest['headers'],
  query: Record<string, unknown> = {
    op: 'scgrids.readProperty',
    propid: 'propA',
    org: 'ORG1',
    pid: 'scnoop',
  },
): AuthRequest => ({
  method: 'POST',
  path: '/prod/v2/scgrids/v1/actions',
  query,
  headers,
});
const rest = (
  headers: AuthRequest['headers'],
  path = '/v1/properties/propA',
  method = 'GET',
): AuthRequest => ({
  method,
  path,
  query: {},
  headers,
});

function scHmac(
  credential: ResolvedCredential,
  parts: { module: string; propid: string; op: string },
  time = NOW_S,
) {
  const sig = signature(credential.secret, stringToSign({ ...parts, accessKey: credential.accessKey, time }));
  return {
    authorization: `SCHMAC_V1;${credential.accessKey};${sig}`,
    'x-sc-time': String(time),
    'x-sc-identity': 'external',
  };
}
const basic = (key: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
});

async function refusal(promise: Promise<unknown>): Promise<AuthError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error('expected an AuthError, the request was accepted');
}

describe('Authenticator', () => {
  describe('SC-HMAC v1 on the actions API', () => {
    const parts = { module: 'scgrids', propid: 'propA', op: 'scgrids.readProperty' };

    it('accepts a correctly signed request and returns the principal without the secret', async () => {
      const { authenticator, lookup } = setup();
      const principal = await authenticator.authenticate(actions(scHmac(PROPERTY_KEY, parts)));
      expect(principal).toEqual({
        accessKey: PROPERTY_KEY.accessKey,
        orgId: 'ORG1',
        propId: 'propA',
        role: 'write',
      });
      expect(lookup.used).toEqual([PROPERTY_KEY.accessKey]);
    });

    it('accepts the reference access key with a slash in it', async () => {
      const { authenticator } = setup();
      await expect(authenticator.authenticate(actions(scHmac(REFERENCE_KEY, parts)))).resolves.toMatchObject({
        accessKey: 'dummyaccesskey/abcd',
      });
    });

    it('refuses a signature over another op and shows the string it expected', async () => {
      const { authenticator } = setup();
      const headers = scHmac(PROPERTY_KEY, { ...parts, op: 'scgrids.listProperties' });
      const error = await refusal(authenticator.authenticate(actions(headers)));
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
      expect(error.message).toBe(
        `signature does not match (the server signed "scgrids/propA/scgrids.readProperty/${PROPERTY_KEY.accessKey}/${NOW_S}")`,
      );
    });

    it.each([
      [NOW_S - 301, 'x-sc-time is 301 s away from server time (behind it; allowed ±300 s)'],
      [NOW_S + 412, 'x-sc-time is 412 s away from server time (ahead of it; allowed ±300 s)'],
    ])('refuses x-sc-time %i outside the skew', async (time, message) => {
      const { authenticator } = setup();
      const error = await refusal(authenticator.authenticate(actions(scHmac(PROPERTY_KEY, parts, time))));
      expect(error.message).toBe(message);
    });

    it('accepts x-sc-time exactly 300 s away', async () => {
      const { authenticator } = setup();
      await expect(
        authenticator.authenticate(actions(scHmac(PROPERTY_KEY, parts, NOW_S - 300))),
      ).resolves.toBeDefined();
    });

    it('refuses an unknown access key', async () => {
      const { authenticator } = setup();
      const stranger = { ...PROPERTY_KEY, accessKey: 'AKUNKNOWNKEY2345ABCDE' };
      const error = await refusal(authenticator.authenticate(actions(scHmac(stranger, parts))));
      expect(error.message).toBe('unknown or revoked access key');
    });

    it('refuses Bearer tokens on the actions API', async () => {
      const { authenticator } = setup();
      const error = await refusal(
        authenticator.authenticate(
          actions({ authorization: `Bearer ${PROPERTY_KEY.accessKey}.${PROPERTY_KEY.secret}` }),
        ),
      );
      expect(error.message).toMatch(
        /Bearer <access_key>\.<secret> is accepted on the REST API \(\/v1\) only/,
      );
    });
  });

  describe('malformed requests get a clear UNAUTHENTICATED message, never a crash', () => {
    const good = scHmac(PROPERTY_KEY, { module: 'scgrids', propid: 'propA', op: 'scgrids.readProperty' });
    const cases: [string, AuthRequest, RegExp][] = [
      ['no Authorization', actions({}), /^missing Authorization header/],
      ['blank Authorization', actions({ authorization: '   ' }), /^missing Authorization header/],
      ['several Authorization headers', actions({ authorization: ['a', 'b'] }), /one Authorization header/],
      [
        'an unknown scheme',
        actions({ authorization: 'Digest abc' }),
        /unsupported Authorization scheme "Digest"/,
      ],
      ['a huge header', actions({ authorization: `Basic ${'A'.repeat(5000)}` }), /longer than 2048/],
      [
        'a Bearer token over 8 KB',
        actions({ authorization: `Bearer ${'A'.repeat(9000)}` }),
        /longer than 8192/,
      ],
      [
        'SCHMAC_V1 with two parts',
        actions({ ...good, authorization: 'SCHMAC_V1;AKX' }),
        /3 parts separated by ";", got 2/,
      ],
      ['SCHMAC_V1 with four parts', actions({ ...good, authorization: `${good.authorization};x` }), /got 4/],
      [
        'SCHMAC_V1 without a key',
        actions({ ...good, authorization: `SCHMAC_V1;;${'a'.repeat(64)}` }),
        /access key is empty/,
      ],
      [
        'SCHMAC_V1 with a short signature',
        actions({ ...good, authorization: 'SCHMAC_V1;AKX;abc' }),
        /64 hexadecimal characters/,
      ],
      [
        'SCHMAC_V1 with a key containing spaces',
        actions({ ...good, authorization: `SCHMAC_V1;A K;${'a'.repeat(64)}` }),
        /characters or a length/,
      ],
      ['no x-sc-time', actions({ authorization: good.authorization }), /^missing x-sc-time header/],
      [
        'x-sc-time not a number',
        actions({ ...good, 'x-sc-time': 'yesterday' }),
        /x-sc-time must be one integer/,
      ],
      [
        'x-sc-time in milliseconds',
        actions({ ...good, 'x-sc-time': `${NOW_S}000` }),
        /looks like epoch milliseconds/,
      ],
      ['x-sc-time too far', actions({ ...good, 'x-sc-time': '99999999999' }), /away from server time/],
      ['x-sc-time negative', actions({ ...good, 'x-sc-time': '-5' }), /x-sc-time must be one integer/],
      ['x-sc-time twice', actions({ ...good, 'x-sc-time': [String(NOW_S), String(NOW_S)] }), /one integer/],
      [
        'no propid in the query',
        actions(good, { op: 'scgrids.readProperty' }),
        /propid is required when signing/,
      ],
      ['no op in the query', actions(good, { propid: 'propA' }), /op is required when signing/],
      ['op twice', actions(good, { op: ['a', 'b'], propid: 'propA' }), /op appears more than once/],
      ['propid as an object', actions(good, { op: 'x', propid: { a: 1 } }), /propid is required/],
      [
        'a path that is not an actions path',
        { ...actions(good), path: '/prod/v2/scgrids' },
        /\/prod\/v2\/<module>\/<version>\/actions/,
      ],
      [
        'Basic without credentials',
        actions({ authorization: 'Basic' }),
        /Basic <base64\(access_key:secret\)>/,
      ],
      ['Basic that is not base64', actions({ authorization: 'Basic ***' }), /not valid base64/],
      [
        'Basic without a colon',
        actions({ authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` }),
        /no ":" found/,
      ],
      ['Basic with an empty secret', actions(basic(PROPERTY_KEY.accessKey, '')), /empty secret/],
      [
        'Basic with binary garbage',
        actions({ authorization: `Basic ${Buffer.from([0xff, 0x00, 0x3a, 0x01]).toString('base64')}` }),
        /characters or a length|access key is empty/,
      ],
      ['Bearer without a dot', rest({ authorization: 'Bearer abc' }), /no "\." found/],
      ['Bearer with two tokens', rest({ authorization: 'Bearer a.b c.d' }), /Bearer <access_key>\.<secret>/],
      [
        'x-sc-propid with a slash',
        rest({
          ...scHmac(PROPERTY_KEY, { module: 'rest', propid: 'a/b', op: 'GET:/v1/properties/propA' }),
          'x-sc-propid': 'a/b',
        }),
        /x-sc-propid must be one property id/,
      ],
    ];

    it.each(cases)('%s', async (_name, request, message) => {
      const { authenticator } = setup();
      const error = await refusal(authenticator.authenticate(request));
      expect(error.code).toBe('UNAUTHENTICATED');
      expect(error.message).toMatch(message);
    });
  });

  describe('Basic', () => {
    it('accepts access_key:secret on both surfaces', async () => {
      const { authenticator } = setup();
      await expect(
        authenticator.authenticate(actions(basic(PROPERTY_KEY.accessKey, PROPERTY_KEY.secret))),
      ).resolves.toMatchObject({ propId: 'propA' });
      await expect(
        authenticator.authenticate(rest(basic(ORG_KEY.accessKey, ORG_KEY.secret))),
      ).resolves.toMatchObject({ propId: null });
    });

    it('refuses a wrong secret', async () => {
      const { authenticator } = setup();
      const error = await refusal(
        authenticator.authenticate(rest(basic(PROPERTY_KEY.accessKey, 'property-secreT'))),
      );
      expect(error.message).toBe('the secret does not match the access key');
    });
  });

  describe('REST', () => {
    it('accepts SC-HMAC over rest/<credential property>/<METHOD>:<path>', async () => {
      const { authenticator } = setup();
      const headers = scHmac(PROPERTY_KEY, {
        module: 'rest',
        propid: 'propA',
        op: 'GET:/v1/properties/propA',
      });
      await expect(authenticator.authenticate(rest(headers))).resolves.toMatchObject({
        accessKey: PROPERTY_KEY.accessKey,
      });
    });

    it('signs x-sc-propid when sent, and an empty propid for an org-wide key without it', async () => {
      const { authenticator } = setup();
      const withHeader = {
        ...scHmac(ORG_KEY, { module: 'rest', propid: 'propQ', op: 'POST:/v1/zones' }),
        'x-sc-propid': 'propQ',
      };
      await expect(authenticator.authenticate(rest(withHeader, '/v1/zones', 'POST'))).resolves.toBeDefined();
      const orgWide = scHmac(ORG_KEY, { module: 'rest', propid: '', op: 'GET:/v1/properties' });
      await expect(authenticator.authenticate(rest(orgWide, '/v1/properties'))).resolves.toBeDefined();
    });

    it('refuses a signature for another path or method, hiding the credential’s property', async () => {
      const { authenticator } = setup();
      const headers = scHmac(PROPERTY_KEY, {
        module: 'rest',
        propid: 'propA',
        op: 'GET:/v1/properties/propA',
      });
      const error = await refusal(
        authenticator.authenticate(rest(headers, '/v1/properties/propA', 'DELETE')),
      );
      expect(error.message).toContain('rest/<the credential’s property id>/DELETE:/v1/properties/propA/');
      expect(error.message).not.toContain('propA/DELETE');
      await expect(
        refusal(authenticator.authenticate(rest(headers, '/v1/properties/propB'))),
      ).resolves.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    });

    it('accepts Bearer <access_key>.<secret>', async () => {
      const { authenticator } = setup();
      const request = rest({ authorization: `Bearer ${PROPERTY_KEY.accessKey}.${PROPERTY_KEY.secret}` });
      await expect(authenticator.authenticate(request)).resolves.toMatchObject({ role: 'write' });
    });
  });

  describe('x-api-key', () => {
    const apiKey = (credential: ResolvedCredential, secret = credential.secret) => ({
      'x-api-key': `${credential.accessKey}.${secret}`,
    });

    it('maps <access_key>.<secret> to the same principal as Basic, on both surfaces', async () => {
      const { authenticator, lookup } = setup();
      const viaBasic = await authenticator.authenticate(
        rest(basic(PROPERTY_KEY.accessKey, PROPERTY_KEY.secret)),
      );
      await expect(authenticator.authenticate(actions(apiKey(PROPERTY_KEY)))).resolves.toEqual(viaBasic);
      expect(lookup.used).toEqual([PROPERTY_KEY.accessKey, PROPERTY_KEY.accessKey]);
    });

    it('refuses a wrong secret, an unknown key and a key without a secret', async () => {
      const { authenticator } = setup();
      const wrong = await refusal(authenticator.authenticate(rest(apiKey(PROPERTY_KEY, 'nope'))));
      expect(wrong.message).toBe('the secret does not match the access key');
      const stranger = { ...PROPERTY_KEY, accessKey: 'AKUNKNOWNKEY2345ABCDE' };
      expect((await refusal(authenticator.authenticate(rest(apiKey(stranger))))).message).toBe(
        'unknown or revoked access key',
      );
      const bare = await refusal(authenticator.authenticate(rest({ 'x-api-key': PROPERTY_KEY.secret })));
      expect(bare.message).toMatch(/x-api-key must be "<access_key>\.<secret>"/);
    });

    it('lets Authorization decide when both are sent', async () => {
      const { authenticator } = setup();
      const both = { ...basic(ORG_KEY.accessKey, ORG_KEY.secret), ...apiKey(PROPERTY_KEY, 'ignored') };
      await expect(authenticator.authenticate(rest(both))).resolves.toMatchObject({
        accessKey: ORG_KEY.accessKey,
      });
    });
  });

  it('refuses a user JWT when no OIDC issuer is configured', async () => {
    const { authenticator } = setup();
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln';
    for (const request of [
      actions({ authorization: `Bearer ${jwt}` }),
      rest({ authorization: `Bearer ${jwt}` }),
    ]) {
      const error = await refusal(authenticator.authenticate(request));
      expect(error.message).toMatch(/no OIDC issuer configured \(AUTH_OIDC_ISSUER/);
    }
  });

  it('applies the rate limit after authentication, per key', async () => {
    const { authenticator } = setup();
    const request = rest(basic(PROPERTY_KEY.accessKey, PROPERTY_KEY.secret));
    await authenticator.authenticate(request);
    await authenticator.authenticate(request);
    const error = await refusal(authenticator.authenticate(request));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterSeconds: 1 });
    // A refused authentication spends nothing: another key is unaffected, a wrong secret is still 401.
    await expect(
      authenticator.authenticate(rest(basic(ORG_KEY.accessKey, ORG_KEY.secret))),
    ).resolves.toBeDefined();
    expect(
      (await refusal(authenticator.authenticate(rest(basic(PROPERTY_KEY.accessKey, 'nope'))))).code,
    ).toBe('UNAUTHENTICATED');
  });
});
