import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AuthError } from './auth-error';
import type { Clock } from '../clock';
import type { OidcConfig } from '../config/matrix-api-gateway.config';
import { DomainError } from '../domain-error';
import { ROLES, type Principal, type Role } from '../credentials/principal';

/**
 * Signature algorithms a user JWT may use. Asymmetric only: an HMAC algorithm would let anyone who
 * knows a JWKS entry forge tokens, and `none` is never allowed (jose refuses an unlisted `alg`).
 */
export const OIDC_ALGORITHMS = ['RS256', 'ES256'] as const;
/** Seconds of clock difference tolerated for `exp`, `nbf` and `iat` (issuer and gateway clocks drift a little). */
export const OIDC_CLOCK_TOLERANCE_SECONDS = 30;
/** The claims that map a token to a tenant and role (docs/authentication.md, "User JWTs"). */
export const OIDC_CLAIMS = { org: 'matrix_org', propId: 'matrix_propid', role: 'matrix_role' } as const;
/** Prefix of a user's principal id, so audit columns and rate-limit buckets never mix users and access keys. */
export const USER_PRINCIPAL_PREFIX = 'user:';

/** Longest accepted `sub` (the principal id is stored in audit columns). */
const MAX_SUBJECT = 200;
const TENANT_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Options of {@link OidcVerifier} besides the configuration; tests shorten the JWKS timeout. */
export interface OidcVerifierOptions {
  readonly jwksTimeoutMs?: number;
}

/**
 * Verifies user Bearer JWTs of the configured OIDC issuer with `jose`: signature by a key of the
 * issuer's JWKS (fetched on demand and cached; refetched at most every 30 s when a token names an
 * unknown `kid`, so key rotation at the issuer needs no restart), `iss`, `aud`, `exp` (required),
 * `nbf`, and the algorithm allow-list; then maps the Matrix claims to a {@link Principal}.
 */
export class OidcVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  /** The JWKS lookup, with failures to obtain the set (not a token's fault) turned into 503s. */
  private readonly keys: JWTVerifyGetKey = async (header, token) => {
    try {
      return await this.jwks(header, token);
    } catch (error) {
      if (error instanceof errors.JOSEError && TOKEN_FAULTS.has(error.code)) throw error;
      throw unavailable(error);
    }
  };

  constructor(
    private readonly config: OidcConfig,
    private readonly clock: Clock,
    options: OidcVerifierOptions = {},
  ) {
    this.jwks = createRemoteJWKSet(new URL(config.jwksUrl), {
      timeoutDuration: options.jwksTimeoutMs ?? 5000,
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
    });
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: [...OIDC_ALGORITHMS],
        clockTolerance: OIDC_CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(this.clock.now()),
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw error instanceof DomainError ? error : refusal(error);
    }
    return principalOf(payload);
  }
}

/** The `matrix_propid` value of a token with access to every property of its organisation. */
export const ORG_WIDE = '*';

/** Maps verified claims to a principal, refusing a token that lacks or garbles a Matrix claim. */
export function principalOf(payload: JWTPayload): Principal {
  const sub = payload.sub ?? '';
  if (sub.length === 0 || sub.length > MAX_SUBJECT || /[^\x21-\x7e]/.test(sub)) {
    throw AuthError.unauthenticated(`the token's sub must be 1 to ${MAX_SUBJECT} printable ASCII characters`);
  }
  const org = payload[OIDC_CLAIMS.org];
  if (typeof org !== 'string' || !TENANT_ID.test(org)) {
    throw AuthError.unauthenticated(
      `the token has no ${OIDC_CLAIMS.org} claim (the organisation id, letters, digits, _ and -)`,
    );
  }
  // Organisation-wide access must be asked for explicitly ("*"): identity providers leave a claim out when
  // the attribute behind it is unset, and a property user whose attribute was never filled in must not
  // become organisation-wide.
  const claimed = payload[OIDC_CLAIMS.propId];
  if (claimed !== ORG_WIDE && (typeof claimed !== 'string' || !TENANT_ID.test(claimed))) {
    throw AuthError.unauthenticated(
      `the token's ${OIDC_CLAIMS.propId} claim must be a property id (letters, digits, _ and -), or "${ORG_WIDE}" for organisation-wide access`,
    );
  }
  const propId = claimed === ORG_WIDE ? null : claimed;
  const role = payload[OIDC_CLAIMS.role];
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw AuthError.unauthenticated(
      `the token's ${OIDC_CLAIMS.role} claim must be one of ${ROLES.join(', ')}`,
    );
  }
  return { accessKey: `${USER_PRINCIPAL_PREFIX}${sub}`, orgId: org, propId, role: role as Role };
}

/** What a failed verification means to the client: 401 saying why, or 503 when the JWKS cannot be had. */
function refusal(error: unknown): Error {
  const fail = (message: string) => AuthError.unauthenticated(message);
  if (error instanceof errors.JWTExpired) return fail('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const expected = { iss: 'the configured issuer', aud: 'the configured audience' } as Record<
      string,
      string
    >;
    return fail(
      error.claim in expected
        ? `the token's ${error.claim} is not ${expected[error.claim]}`
        : `the token's ${error.claim} claim is not valid (${error.reason})`,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return fail(
      `the token's alg is not accepted; user tokens must be signed with ${OIDC_ALGORITHMS.join(' or ')}`,
    );
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return fail("no key of the issuer's JWKS matches the token's kid");
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return fail("the token's signature does not verify with the issuer's keys");
  }
  if (error instanceof errors.JOSEError || error instanceof TypeError) {
    // jose reports a malformed token as JWSInvalid/JWTInvalid or, for bad base64url, a TypeError.
    return fail(`the token is not a valid JWT (${error.message})`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** JWKS lookup errors that are the token's fault (its kid or alg), not the issuer's. */
const TOKEN_FAULTS = new Set([
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_NOT_SUPPORTED',
]);

function unavailable(cause: unknown): DomainError {
  return new DomainError(
    'UNAVAILABLE',
    "the OIDC issuer's JWKS cannot be fetched, so user tokens cannot be verified now",
    [],
    5,
    { cause },
  );
}
