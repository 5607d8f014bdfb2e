import { Module, type DynamicModule } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { AuthGuard } from './auth.guard';
import { Authenticator, OIDC_VERIFIER } from './authenticator';
import { CLOCK, systemClock, type Clock } from '../clock';
import { RATE_LIMIT, RateLimiter } from './rate-limiter';
import { PgRateLimitStore, RateLimitStore } from './rate-limit-store';
import type { BucketLimits } from './token-bucket';
import type { OidcConfig } from '../config/matrix-api-gateway.config';
import { OidcVerifier } from './oidc-verifier';

/** Options of {@link AuthModule.forRoot}: the gateway's `config.auth`, and a clock for tests. */
export interface AuthModuleOptions {
  /** `MATRIX_SECRET_KEY`: seals credential secrets at rest. */
  readonly secretKey: Buffer;
  /** Per-credential token bucket, shared by the gateway's replicas. */
  readonly rateLimit: BucketLimits;
  /** `AUTH_OIDC_*`: where user Bearer JWTs come from; undefined refuses them. */
  readonly oidc?: OidcConfig;
  readonly clock?: Clock;
}

/**
 * Authentication for both API surfaces: provides `AuthGuard` (and its `Authenticator` and rate
 * limiter) and, through `CredentialsModule`, `CredentialsService`. Global, so any controller can
 * `@UseGuards(AuthGuard)`. Needs PersistenceModule's `Database`.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    const clock = options.clock ?? systemClock;
    return {
      module: AuthModule,
      global: true,
      imports: [CredentialsModule.forRoot({ secretKey: options.secretKey, clock })],
      providers: [
        { provide: CLOCK, useValue: clock },
        { provide: RATE_LIMIT, useValue: options.rateLimit },
        {
          provide: OIDC_VERIFIER,
          useValue: options.oidc ? new OidcVerifier(options.oidc, clock) : null,
        },
        { provide: RateLimitStore, useClass: PgRateLimitStore },
        AuthGuard,
        Authenticator,
        RateLimiter,
      ],
      exports: [AuthGuard, Authenticator, CredentialsModule, RateLimiter],
    };
  }
}
