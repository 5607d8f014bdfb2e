import { Injectable } from '@nestjs/common';
import type { RegistryAccess } from '../auth/registry-access';
import { PropertiesService } from '../registry/properties.service';
import { notFound } from '../registry/registry-error';
import { fields, Problems, text } from '../workforce/inputs';
import type { Credential, IssuedCredential } from '../credentials/credential.types';
import { CredentialsService } from '../credentials/credentials.service';
import { ROLES, type Role } from '../credentials/principal';

/** An access key as REST v1 lists it (never its secret). */
export interface AccessKeyView {
  accessKey: string;
  propId: string;
  role: Role;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** An access key just issued or rotated: the only answer that carries its secret. */
export interface IssuedAccessKeyView extends AccessKeyView {
  secretKey: string;
}

const MAX_LABEL = 200;

/**
 * REST v1 `/v1/properties/{propId}/access-keys`: a property admin's way to the property's API
 * credentials (docs/authentication.md, "Managing access keys"). The property must be the caller's (404
 * otherwise) and the caller an admin (403). Only the property's own keys are listed and touched; an
 * organisation-wide key is none of them (it is issued by the bootstrap command).
 */
@Injectable()
export class PropertyAccessKeysService {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly properties: PropertiesService,
  ) {}

  private async admin(access: RegistryAccess, propId: string): Promise<string> {
    const property = await this.properties.read(access, propId);
    access.check('admin', { orgId: property.orgId, propId }, () => notFound('property', propId));
    return property.orgId;
  }

  /** The property's credential `accessKey`, revoked or not: NOT_FOUND for any other. */
  private async own(propId: string, accessKey: string): Promise<Credential> {
    const credential = await this.credentials.find(accessKey);
    if (!credential || credential.propId !== propId) throw notFound('access key', accessKey);
    return credential;
  }

  async list(access: RegistryAccess, propId: string): Promise<{ items: AccessKeyView[] }> {
    const orgId = await this.admin(access, propId);
    const items = await this.credentials.list(orgId, propId);
    return { items: items.map(view) };
  }

  async create(access: RegistryAccess, propId: string, body: unknown): Promise<IssuedAccessKeyView> {
    const problems = new Problems();
    const input = fields(body ?? {}, ['role', 'label'], problems);
    const role = input['role'];
    if (role === undefined || role === null) problems.add('role: is required');
    else if (!(ROLES as readonly unknown[]).includes(role)) {
      problems.add(`role: must be one of ${ROLES.join(', ')}`);
    }
    const label = text(input, 'label', problems, false, '', MAX_LABEL);
    problems.throwIfAny('access key');
    const orgId = await this.admin(access, propId);
    return issuedView(
      await this.credentials.create({ orgId, propId, role: role as Role, label: label ?? null }),
    );
  }

  async rotate(access: RegistryAccess, propId: string, accessKey: string): Promise<IssuedAccessKeyView> {
    await this.admin(access, propId);
    await this.own(propId, accessKey);
    const rotated = await this.credentials.rotate(accessKey);
    // A revoked key cannot be brought back by rotating it.
    if (!rotated) throw notFound('access key', accessKey);
    return issuedView(rotated);
  }

  /** Revokes the key (final); revoking a revoked key again changes nothing. */
  async revoke(access: RegistryAccess, propId: string, accessKey: string): Promise<void> {
    await this.admin(access, propId);
    await this.own(propId, accessKey);
    await this.credentials.revoke(accessKey);
  }
}

function view(credential: Credential): AccessKeyView {
  return {
    accessKey: credential.accessKey,
    propId: credential.propId!,
    role: credential.role,
    label: credential.label,
    createdAt: credential.createdOn.toISOString(),
    revokedAt: credential.revokedOn?.toISOString() ?? null,
    lastUsedAt: credential.lastUsedOn?.toISOString() ?? null,
  };
}

function issuedView(issued: IssuedCredential): IssuedAccessKeyView {
  return { ...view(issued), secretKey: issued.secretKey };
}
