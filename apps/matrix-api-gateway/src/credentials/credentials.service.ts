import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock';
import { CredentialLookup, type ResolvedCredential } from './credential-lookup';
import { ROLES } from './principal';
import { newAccessKey, newSecretKey } from './access-keys';
import { CredentialError } from './credential-error';
import type { Credential, IssuedCredential, NewCredential } from './credential.types';
import { CredentialsRepository } from './credentials.repository';
import { SecretBox, SecretBoxError } from '@matrix/platform';

/** How long a looked-up credential is served from memory; also how long a revocation made on another instance can lag there. */
export const CREDENTIAL_CACHE_TTL_MS = 30_000;
const CACHE_MAX_ENTRIES = 10_000;
/** `last_used_on` is written at most this often per access key. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Issues, revokes and resolves API credentials. Secrets are sealed with the master key and shown only
 * once, in the result of {@link create}. Lookups are cached per instance for
 * {@link CREDENTIAL_CACHE_TTL_MS}; a revocation through this instance takes effect at once.
 */
@Injectable()
export class CredentialsService extends CredentialLookup {
  private readonly logger = new Logger(CredentialsService.name);
  private readonly cache = new Map<string, { credential: ResolvedCredential; expiresAt: number }>();
  private readonly lastMarked = new Map<string, number>();
  // Revocation is final, so keys revoked through this instance are refused even if a lookup that
  // started before the revocation lands in the cache afterwards.
  private readonly revokedHere = new Set<string>();

  constructor(
    private readonly repository: CredentialsRepository,
    private readonly box: SecretBox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  /** Creates a credential of a property (or, with no `propId`, of the whole organisation). */
  async create(request: NewCredential): Promise<IssuedCredential> {
    if (!ROLES.includes(request.role)) {
      throw new CredentialError('INVALID', `role must be one of ${ROLES.join(', ')}`);
    }
    const label = request.label ?? null;
    if (label !== null && label.length > 200) {
      throw new CredentialError('INVALID', 'label is longer than 200 characters');
    }
    const accessKey = newAccessKey();
    const secretKey = newSecretKey();
    const propId = request.propId ?? null;
    const inserted = await this.repository.insert({
      accessKey,
      orgId: request.orgId,
      propId,
      role: request.role,
      label,
      sealed: this.box.seal(secretKey, accessKey),
    });
    if (!inserted) {
      throw new CredentialError(
        'NOT_FOUND',
        propId === null
          ? `organisation ${request.orgId} not found`
          : `property ${propId} not found in organisation ${request.orgId}`,
      );
    }
    const created = await this.repository.find(accessKey);
    if (!created) throw new Error(`credential ${accessKey} vanished right after it was created`);
    const { sealed: _sealed, ...credential } = created;
    return { ...credential, secretKey };
  }

  /** Revokes a credential; false when it is unknown or already revoked. Effective at once on this instance. */
  async revoke(accessKey: string): Promise<boolean> {
    const revoked = await this.repository.revoke(accessKey, new Date(this.clock.now()));
    this.revokedHere.add(accessKey);
    this.cache.delete(accessKey);
    return revoked;
  }

  /**
   * A new secret for an active credential, keeping its access key, role and scope; the old secret stops
   * working at once on this instance (other instances: within {@link CREDENTIAL_CACHE_TTL_MS}). Null
   * when the credential is unknown or revoked.
   */
  async rotate(accessKey: string): Promise<IssuedCredential | null> {
    const secretKey = newSecretKey();
    if (!(await this.repository.replaceSecret(accessKey, this.box.seal(secretKey, accessKey)))) return null;
    this.cache.delete(accessKey);
    const stored = await this.repository.find(accessKey);
    if (!stored) return null;
    const { sealed: _sealed, ...credential } = stored;
    return { ...credential, secretKey };
  }

  /** The metadata of one credential (never its secret), revoked or not; null when unknown. */
  async find(accessKey: string): Promise<Credential | null> {
    const stored = await this.repository.find(accessKey);
    if (!stored) return null;
    const { sealed: _sealed, ...credential } = stored;
    return credential;
  }

  /** Metadata of an organisation's credentials, or of one property's (never secrets). */
  list(orgId: string, propId?: string): Promise<Credential[]> {
    return this.repository.list(orgId, propId);
  }

  async resolve(accessKey: string): Promise<ResolvedCredential | null> {
    if (this.revokedHere.has(accessKey)) return null;
    const now = this.clock.now();
    const cached = this.cache.get(accessKey);
    if (cached && cached.expiresAt > now) return cached.credential;
    this.cache.delete(accessKey);
    const stored = await this.repository.find(accessKey);
    if (!stored || stored.revokedOn) return null;
    let secret: string;
    try {
      secret = this.box.open(stored.sealed, stored.accessKey);
    } catch (error) {
      // Sealed under another MATRIX_SECRET_KEY (or altered): unusable, so the caller gets a 401, not a 500.
      if (!(error instanceof SecretBoxError)) throw error;
      this.logger.warn(
        `credential ${accessKey} cannot be opened with this MATRIX_SECRET_KEY; treating it as unknown`,
      );
      return null;
    }
    const credential: ResolvedCredential = {
      accessKey: stored.accessKey,
      orgId: stored.orgId,
      propId: stored.propId,
      role: stored.role,
      secret,
    };
    if (this.revokedHere.has(accessKey)) return null;
    if (this.cache.size >= CACHE_MAX_ENTRIES) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(accessKey, { credential, expiresAt: now + CREDENTIAL_CACHE_TTL_MS });
    return credential;
  }

  async markUsed(accessKey: string): Promise<void> {
    const now = this.clock.now();
    const last = this.lastMarked.get(accessKey);
    if (last !== undefined && now - last < LAST_USED_RESOLUTION_MS) return;
    this.lastMarked.set(accessKey, now);
    try {
      await this.repository.touch(accessKey, new Date(now));
    } catch (error) {
      this.logger.warn(`could not record the use of ${accessKey}: ${(error as Error).message}`);
    }
  }
}
