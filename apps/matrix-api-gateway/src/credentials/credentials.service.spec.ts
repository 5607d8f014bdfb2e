import { randomBytes } from 'node:crypto';
import type { CredentialsRepository, StoredCredential } from './credentials.repository';
import { CREDENTIAL_CACHE_TTL_MS, CredentialsService, LAST_USED_RESOLUTION_MS } from './credentials.service';
import { SecretBox } from '@matrix/platform';

/** An in-memory repository that counts its calls. */
class FakeRepository {
  readonly rows = new Map<string, StoredCredential>();
  finds = 0;
  touches: Date[] = [];

  async insert(row: Omit<StoredCredential, 'createdOn' | 'revokedOn' | 'lastUsedOn'>): Promise<boolean> {
    if (row.orgId !== 'ORG1') return false;
    this.rows.set(row.accessKey, { ...row, createdOn: new Date(0), revokedOn: null, lastUsedOn: null });
    return true;
  }
  async find(accessKey: string): Promise<StoredCredential | null> {
    this.finds += 1;
    return this.rows.get(accessKey) ?? null;
  }
  async revoke(accessKey: string, at: Date): Promise<boolean> {
    const row = this.rows.get(accessKey);
    if (!row || row.revokedOn) return false;
    this.rows.set(accessKey, { ...row, revokedOn: at });
    return true;
  }
  async replaceSecret(accessKey: string, sealed: StoredCredential['sealed']): Promise<boolean> {
    const row = this.rows.get(accessKey);
    if (!row || row.revokedOn) return false;
    this.rows.set(accessKey, { ...row, sealed });
    return true;
  }
  async touch(_accessKey: string, at: Date): Promise<void> {
    this.touches.push(at);
  }
}

function setup() {
  let now = 1_000_000;
  const repository = new FakeRepository();
  const service = new CredentialsService(
    repository as unknown as CredentialsRepository,
    new SecretBox(randomBytes(32)),
    { now: () => now },
  );
  return { service, repository, advance: (ms: number) => (now += ms) };
}

describe('CredentialsService', () => {
  it('shows the secret once and stores it sealed', async () => {
    const { service, repository } = setup();
    const issued = await service.create({ orgId: 'ORG1', propId: 'propA', role: 'write', label: 'ci' });
    expect(issued).toMatchObject({ orgId: 'ORG1', propId: 'propA', role: 'write', label: 'ci' });
    const row = repository.rows.get(issued.accessKey);
    expect(row?.sealed.ciphertext.toString('utf8')).not.toContain(issued.secretKey);
    expect(await service.resolve(issued.accessKey)).toEqual({
      accessKey: issued.accessKey,
      orgId: 'ORG1',
      propId: 'propA',
      role: 'write',
      secret: issued.secretKey,
    });
  });

  it('refuses an unknown organisation and an unknown role', async () => {
    const { service } = setup();
    await expect(service.create({ orgId: 'NOPE', role: 'read' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'organisation NOPE not found',
    });
    await expect(service.create({ orgId: 'ORG1', role: 'root' as never })).rejects.toMatchObject({
      code: 'INVALID',
    });
  });

  it('serves lookups from memory until the TTL, then reads again', async () => {
    const { service, repository, advance } = setup();
    const { accessKey } = await service.create({ orgId: 'ORG1', role: 'read' });
    repository.finds = 0;
    await service.resolve(accessKey);
    await service.resolve(accessKey);
    expect(repository.finds).toBe(1);
    advance(CREDENTIAL_CACHE_TTL_MS);
    await service.resolve(accessKey);
    expect(repository.finds).toBe(2);
  });

  it('rotates the secret of an active key at once, keeping the key, and refuses a revoked one', async () => {
    const { service } = setup();
    const issued = await service.create({ orgId: 'ORG1', propId: 'propA', role: 'read', label: 'ci' });
    expect((await service.resolve(issued.accessKey))?.secret).toBe(issued.secretKey);
    const rotated = await service.rotate(issued.accessKey);
    expect(rotated).toMatchObject({
      accessKey: issued.accessKey,
      propId: 'propA',
      role: 'read',
      label: 'ci',
    });
    expect(rotated?.secretKey).not.toBe(issued.secretKey);
    // The cached credential with the old secret is dropped.
    expect((await service.resolve(issued.accessKey))?.secret).toBe(rotated?.secretKey);
    await service.revoke(issued.accessKey);
    expect(await service.rotate(issued.accessKey)).toBeNull();
    expect(await service.rotate('AKUNKNOWN')).toBeNull();
  });

  it('forgets a revoked key at once and answers null for unknown ones', async () => {
    const { service } = setup();
    const { accessKey } = await service.create({ orgId: 'ORG1', role: 'read' });
    expect(await service.resolve(accessKey)).not.toBeNull();
    expect(await service.revoke(accessKey)).toBe(true);
    expect(await service.resolve(accessKey)).toBeNull();
    expect(await service.resolve('AKUNKNOWN')).toBeNull();
  });

  it('records last use at most once a minute per key', async () => {
    const { service, repository, advance } = setup();
    await service.markUsed('AK1');
    advance(LAST_USED_RESOLUTION_MS - 1);
    await service.markUsed('AK1');
    await service.markUsed('AK2');
    advance(1);
    await service.markUsed('AK1');
    expect(repository.touches.map((t) => t.getTime())).toEqual([1_000_000, 1_059_999, 1_060_000]);
  });

  it('treats a credential sealed under another master key as unknown (401), not as a server fault', async () => {
    const { service, repository } = setup();
    const issued = await service.create({ orgId: 'ORG1', role: 'read' });
    const other = new CredentialsService(
      repository as unknown as CredentialsRepository,
      new SecretBox(randomBytes(32)),
      {
        now: () => 1_000_000,
      },
    );
    await expect(other.resolve(issued.accessKey)).resolves.toBeNull();
    await expect(service.resolve(issued.accessKey)).resolves.toMatchObject({ secret: issued.secretKey });
  });
});
