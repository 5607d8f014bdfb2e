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
});
