import path from 'node:path';
import { ConfigError } from '@matrix/platform';
import { checkReadmeEnvTable } from '@matrix/testing';
import { MATRIX_API_GATEWAY_ENV, loadConfig } from './matrix-api-gateway.config';

const KEY = Buffer.alloc(32, 7).toString('base64');

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('matrix-api-gateway configuration', () => {
  it('documents every variable in the README (UPDATE_DOCS=1 rewrites the table)', () => {
    const { expected, actual } = checkReadmeEnvTable(
      path.join(__dirname, '../../README.md'),
      MATRIX_API_GATEWAY_ENV,
    );
    expect(actual).toBe(expected);
  });

  it('boots on the documented defaults once MATRIX_SECRET_KEY is given', () => {
    const config = loadConfig({ MATRIX_SECRET_KEY: KEY });
    expect(config).toMatchObject({
      service: 'matrix-api-gateway',
      nats: { servers: ['nats://127.0.0.1:4222'], namespace: '' },
      auth: { rateLimit: { perSecond: 50, burst: 100 } },
    });
    expect(config.auth.secretKey.equals(Buffer.alloc(32, 7))).toBe(true);
  });

  it('reads AUTH_OIDC_* as all three or none', () => {
    expect(loadConfig({ MATRIX_SECRET_KEY: KEY }).auth.oidc).toBeUndefined();
    const oidc = {
      AUTH_OIDC_ISSUER: 'https://login.example.com/',
      AUTH_OIDC_AUDIENCE: 'matrix',
      AUTH_OIDC_JWKS_URL: 'https://login.example.com/.well-known/jwks.json',
    };
    expect(loadConfig({ MATRIX_SECRET_KEY: KEY, ...oidc }).auth.oidc).toEqual({
      issuer: 'https://login.example.com/',
      audience: 'matrix',
      jwksUrl: 'https://login.example.com/.well-known/jwks.json',
    });
    expect(problemsOf({ MATRIX_SECRET_KEY: KEY, AUTH_OIDC_ISSUER: oidc.AUTH_OIDC_ISSUER })).toEqual([
      expect.stringMatching(/^AUTH_OIDC_AUDIENCE is required when any AUTH_OIDC_\* variable is set/),
      expect.stringMatching(/^AUTH_OIDC_JWKS_URL is required/),
    ]);
    for (const url of ['ftp://x/jwks', 'http://idp.example.com/jwks']) {
      expect(problemsOf({ MATRIX_SECRET_KEY: KEY, ...oidc, AUTH_OIDC_JWKS_URL: url })).toEqual([
        `AUTH_OIDC_JWKS_URL="${url}": must use https:// (http:// only for a loopback address)`,
      ]);
    }
    const loopback = loadConfig({
      MATRIX_SECRET_KEY: KEY,
      ...oidc,
      AUTH_OIDC_JWKS_URL: 'http://127.0.0.1:9/jwks',
    });
    expect(loopback.auth.oidc).toMatchObject({ jwksUrl: 'http://127.0.0.1:9/jwks' });
  });

  it('requires MATRIX_SECRET_KEY', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^MATRIX_SECRET_KEY is required/)]);
  });

  it('reads the rate limit', () => {
    expect(
      loadConfig({ MATRIX_SECRET_KEY: KEY, RATE_LIMIT_PER_SECOND: '5', RATE_LIMIT_BURST: '7' }).auth
        .rateLimit,
    ).toEqual({ perSecond: 5, burst: 7 });
  });

  it('lists every bad variable in one error, without echoing the secret key', () => {
    const shortKey = Buffer.alloc(16, 9).toString('base64');
    const problems = problemsOf({
      HTTP_PORT: '0',
      NATS_URL: 'http://nats',
      MATRIX_SECRET_KEY: shortKey,
      RATE_LIMIT_PER_SECOND: '0',
      RATE_LIMIT_BURST: 'many',
    });
    expect(problems.map((p) => p.split(/[=\s]/)[0])).toEqual([
      'HTTP_PORT',
      'NATS_URL',
      'RATE_LIMIT_PER_SECOND',
      'RATE_LIMIT_BURST',
      'MATRIX_SECRET_KEY',
    ]);
    expect(problems.join('\n')).not.toContain(shortKey);
    expect(problems.join('\n')).toMatch(
      /MATRIX_SECRET_KEY \(value not shown\): must be base64 of 32 random bytes \(got 16\)/,
    );
  });

  it('reads GATEWAY_PUBLIC_BASE as the SDKs use it: host[:port][/path], no scheme, no trailing slash', () => {
    expect(loadConfig({ MATRIX_SECRET_KEY: KEY }).discovery).toEqual({ publicBase: undefined });
    const base = (value: string) => loadConfig({ MATRIX_SECRET_KEY: KEY, GATEWAY_PUBLIC_BASE: value });
    expect(base('api.example.com:8443/prod/v2').discovery.publicBase).toBe('api.example.com:8443/prod/v2');
    expect(base('10.0.0.5').discovery.publicBase).toBe('10.0.0.5');
    const problem = (value: string) => problemsOf({ MATRIX_SECRET_KEY: KEY, GATEWAY_PUBLIC_BASE: value });
    expect(problem('https://api.example.com/prod/v2')).toEqual([
      'GATEWAY_PUBLIC_BASE="https://api.example.com/prod/v2": must not start with a scheme: the SDKs prepend https:// (e.g. api.example.com/prod/v2)',
    ]);
    expect(problem('api.example.com/prod/v2/')).toEqual([
      'GATEWAY_PUBLIC_BASE="api.example.com/prod/v2/": must not end with /: the SDKs append /<module>/<version>/actions',
    ]);
    for (const bad of ['/prod/v2', 'api example.com', 'api.example.com?x=1', 'user@api.example.com']) {
      expect(problem(bad)).toEqual([
        `GATEWAY_PUBLIC_BASE=${JSON.stringify(bad)}: must be host[:port][/path], e.g. api.example.com/prod/v2`,
      ]);
    }
  });
});
