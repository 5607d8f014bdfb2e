import { Injectable } from '@nestjs/common';
import { TENANT_ROLE_COMMANDS, TENANT_ROLE_NAME, type TenantRoleCredentialsV1 } from '@matrix/contracts';
import { CommandBus, CommandFailedError, CommandUnavailableError } from '@matrix/messaging';
import { Database } from '@matrix/persistence';
import type { RegistryAccess } from '../auth/registry-access';
import { DomainError } from '../domain-error';
import { PropertiesService } from '../registry/properties.service';
import { notFound, RegistryError } from '../registry/registry-error';
import { fields, Problems } from '../workforce/inputs';

/** Seconds a caller is asked to wait before retrying when sql-projector did not answer. */
const RETRY_AFTER_SECONDS = 5;

/** A tenant role as REST v1 lists it (never a password). */
export interface SqlRoleView {
  role: string;
  propId: string;
  createdAt: string;
  rotatedAt: string | null;
}

/**
 * REST v1 `/v1/properties/{propId}/sql-roles`: a property admin's way to the tenant SQL roles that
 * sql-projector makes (docs/sql.md, Access). The gateway checks the property is the caller's (404
 * otherwise) and the admin role (403), then sends sql-projector's own command
 * (`sql.tenant-role.{create,rotate,revoke}.v1`) — so the roles are made in one place. Passwords pass
 * through in the answer only: never logged, never kept (not even for an `Idempotency-Key` replay).
 */
@Injectable()
export class SqlRolesService {
  constructor(
    private readonly commands: CommandBus,
    private readonly properties: PropertiesService,
    private readonly db: Database,
  ) {}

  /** The property `propId` if the caller is an admin of it; another tenant's is NOT_FOUND. */
  private async admin(access: RegistryAccess, propId: string): Promise<void> {
    const property = await this.properties.read(access, propId);
    access.check('admin', { orgId: property.orgId, propId }, () => notFound('property', propId));
  }

  /** The property's role (sql-projector's `matrix.tenant_roles`, read only here), or undefined. */
  private async current(propId: string): Promise<SqlRoleView | undefined> {
    const [row] = await this.db.query<{ role_name: string; created_at: Date; rotated_at: Date | null }>(
      `select role_name, created_at, rotated_at from matrix.tenant_roles where prop_id = $1`,
      [propId],
    );
    return row
      ? {
          role: row.role_name,
          propId,
          createdAt: row.created_at.toISOString(),
          rotatedAt: row.rotated_at?.toISOString() ?? null,
        }
      : undefined;
  }

  /** The property's role as named by the path: NOT_FOUND for anything else (no command is sent). */
  private async named(propId: string, role: string): Promise<void> {
    if (!TENANT_ROLE_NAME.test(role) || (await this.current(propId))?.role !== role) {
      throw notFound('sql role', role);
    }
  }

  async list(access: RegistryAccess, propId: string): Promise<{ items: SqlRoleView[] }> {
    await this.admin(access, propId);
    const role = await this.current(propId);
    return { items: role ? [role] : [] };
  }

  async create(access: RegistryAccess, propId: string, body: unknown): Promise<TenantRoleCredentialsV1> {
    const problems = new Problems();
    fields(body ?? {}, [], problems);
    problems.throwIfAny('body');
    await this.admin(access, propId);
    return this.send(() => this.commands.request(TENANT_ROLE_COMMANDS.create, { propId }));
  }

  async rotate(access: RegistryAccess, propId: string, role: string): Promise<TenantRoleCredentialsV1> {
    await this.admin(access, propId);
    await this.named(propId, role);
    return this.send(() => this.commands.request(TENANT_ROLE_COMMANDS.rotate, { propId }));
  }

  async revoke(access: RegistryAccess, propId: string, role: string): Promise<void> {
    await this.admin(access, propId);
    if (!TENANT_ROLE_NAME.test(role)) throw notFound('sql role', role);
    // sql-projector drops the role only if it is this property's (NOT_FOUND otherwise).
    await this.send(() => this.commands.request(TENANT_ROLE_COMMANDS.revoke, { propId, role }));
  }

  /** sql-projector's refusals as REST problems; its silence as 503 with Retry-After. */
  private async send<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw sqlRoleError(error);
    }
  }
}

/** A tenant-role command's failure as a REST problem (sql-projector's codes: CONFLICT, NOT_FOUND, INVALID_REQUEST). */
export function sqlRoleError(error: unknown): unknown {
  if (error instanceof CommandUnavailableError) {
    return new DomainError(
      'UNAVAILABLE',
      'sql-projector did not answer (it makes the SQL roles); try again',
      [],
      RETRY_AFTER_SECONDS,
      { cause: error },
    );
  }
  if (!(error instanceof CommandFailedError)) return error;
  switch (error.code) {
    case 'NOT_FOUND':
      return new RegistryError('NOT_FOUND', error.message);
    case 'CONFLICT':
      return new DomainError('CONFLICT', error.message);
    case 'INVALID_REQUEST':
      return new RegistryError('INVALID', 'sql-projector refused the request', [error.message]);
    default:
      return new DomainError(
        'UNAVAILABLE',
        `sql-projector could not change the SQL role (${error.code}); try again`,
        [],
        RETRY_AFTER_SECONDS,
        { cause: error },
      );
  }
}
