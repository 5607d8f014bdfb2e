import { Inject, Injectable, Optional } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthError } from './auth-error';
import type { AuthRequest } from './auth-request';
import { CLOCK, type Clock } from '../clock';
import { CredentialLookup, type ResolvedCredential } from '../credentials/credential-lookup';
import { OidcVerifier } from './oidc-verifier';
import { parseApiKey, parseAuthorization, type Presented } from './parse-authorization';
import type { Principal } from '../credentials/principal';
import { RateLimiter } from './rate-limiter';
import { stringToSign, verifySignature } from './sc-hmac';
import { isActionsRequest, signingScope } from './signing-scope';

/** Largest accepted difference between `x-sc-time` and the server's clock (reference §4.2). */
export const MAX_CLOCK_SKEW_SECONDS = 300;

const fail = (message: string): never => {
  throw AuthError.unauthenticated(message);
};

/** The gateway's {@link OidcVerifier}, or null when no OIDC issuer is configured. */
export const OIDC_VERIFIER = Symbol('OIDC_VERIFIER');

/**
 * Turns a request's credentials into a {@link Principal}: parses `Authorization` (or, without it,
 * `x-api-key`), checks `x-sc-time` (SC-HMAC), finds the credential, verifies the signature or secret,
 * then spends one request of the credential's rate limit. A user JWT is verified by the
 * {@link OidcVerifier} instead and its principal rate-limited the same way. Every refusal is an
 * {@link AuthError} (or a 503 `DomainError` when the issuer's keys cannot be fetched).
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly credentials: CredentialLookup,
    private readonly rateLimiter: RateLimiter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(OIDC_VERIFIER) private readonly oidc: OidcVerifier | null = null,
  ) {}

  async authenticate(request: AuthRequest): Promise<Principal> {
    const presented = presentedBy(request);
    if (presented.scheme === 'Jwt') return this.authenticateUser(presented.token);
    if (presented.scheme === 'Bearer' && isActionsRequest(request.path)) {
      fail(
        'Bearer <access_key>.<secret> is accepted on the REST API (/v1) only; the Matrix actions API takes SCHMAC_V1, Basic, x-api-key or a user JWT',
      );
    }
    const time = presented.scheme === 'SCHMAC_V1' ? this.checkTime(request.headers['x-sc-time']) : '';
    const credential = await this.credentials.resolve(presented.accessKey);
    if (!credential) return fail('unknown or revoked access key');
    this.verify(presented, credential, request, time);
    await this.rateLimiter.consume(credential.accessKey);
    void this.credentials.markUsed(credential.accessKey);
    const { accessKey, orgId, propId, role } = credential;
    return { accessKey, orgId, propId, role };
  }

  private async authenticateUser(token: string): Promise<Principal> {
    if (!this.oidc) {
      return fail(
        'user Bearer JWTs are not accepted: this gateway has no OIDC issuer configured (AUTH_OIDC_ISSUER, AUTH_OIDC_AUDIENCE, AUTH_OIDC_JWKS_URL)',
      );
    }
    const principal = await this.oidc.verify(token);
    await this.rateLimiter.consume(principal.accessKey);
    return principal;
  }

  /** Validates `x-sc-time` and returns it exactly as sent (it is part of the string to sign). */
  private checkTime(header: string | string[] | undefined): string {
    if (header === undefined || header === '') {
      return fail('missing x-sc-time header (epoch seconds), required by SCHMAC_V1');
    }
    if (typeof header === 'string' && /^\d{13}$/.test(header.trim())) {
      return fail('x-sc-time looks like epoch milliseconds; send epoch seconds');
    }
    if (Array.isArray(header) || !/^\d{1,12}$/.test(header.trim())) {
      return fail('x-sc-time must be one integer of epoch seconds');
    }
    const time = header.trim();
    const away = Number(time) - Math.floor(this.clock.now() / 1000);
    if (Math.abs(away) > MAX_CLOCK_SKEW_SECONDS) {
      fail(
        `x-sc-time is ${Math.abs(away)} s away from server time (${away < 0 ? 'behind' : 'ahead of'} it; allowed ±${MAX_CLOCK_SKEW_SECONDS} s)`,
      );
    }
    return time;
  }

  private verify(
    presented: Exclude<Presented, { scheme: 'Jwt' }>,
    credential: ResolvedCredential,
    request: AuthRequest,
    time: string,
  ): void {
    if (presented.scheme !== 'SCHMAC_V1') {
      if (!sameSecret(presented.secret, credential.secret)) fail('the secret does not match the access key');
      return;
    }
    const scope = signingScope(request, credential.propId);
    const text = stringToSign({ ...scope, accessKey: presented.accessKey, time });
    if (!verifySignature(credential.secret, text, presented.signature)) {
      const shown = scope.fromRequest
        ? text
        : stringToSign({
            ...scope,
            propid: '<the credential’s property id>',
            accessKey: presented.accessKey,
            time,
          });
      fail(`signature does not match (the server signed "${shown}")`);
    }
  }
}

/**
 * The credential a request presents: `Authorization` when sent; otherwise `x-api-key`. A request with
 * both is authenticated by `Authorization` alone (API-offering clients send both, the key for quota).
 */
function presentedBy(request: AuthRequest): Presented {
  const authorization = request.headers['authorization'];
  const apiKey = request.headers['x-api-key'];
  const absent = (value: string | string[] | undefined) => value === undefined || value === '';
  if (absent(authorization) && !absent(apiKey)) return parseApiKey(apiKey!);
  return parseAuthorization(authorization);
}

/** Constant-time comparison of two secrets of any length. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
