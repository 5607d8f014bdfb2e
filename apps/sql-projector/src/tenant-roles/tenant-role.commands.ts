import { Inject, Injectable } from '@nestjs/common';
import {
  TENANT_ROLE_COMMANDS,
  type RevokedTenantRoleV1,
  type RevokeTenantRoleRequestV1,
  type TenantRoleCredentialsV1,
  type TenantRoleRequestV1,
} from '@matrix/contracts';
import { HandleCommand } from '@matrix/messaging';
import { SQL_PROJECTOR_CONFIG, type SqlProjectorConfig } from '../config/sql-projector.config';
import { newTenantPassword, tenantConnectionString } from './tenant-credentials';
import { TenantRolesRepository } from './tenant-roles.repository';

/**
 * `sql.tenant-role.{create,rotate,revoke}.v1`: sql-projector owns the `matrix` schema, so it makes the
 * login roles that read it (docs/sql.md, Access). The password is generated here and answered once; only
 * its SCRAM verifier is stored (by PostgreSQL). Rotating or revoking ends the role's open sessions.
 */
@Injectable()
export class TenantRoleCommands {
  constructor(
    private readonly roles: TenantRolesRepository,
    @Inject(SQL_PROJECTOR_CONFIG) private readonly config: SqlProjectorConfig,
  ) {}

  @HandleCommand(TENANT_ROLE_COMMANDS.create)
  async create({ propId }: TenantRoleRequestV1): Promise<TenantRoleCredentialsV1> {
    const password = newTenantPassword();
    return this.credentials(await this.roles.create(propId, password), propId, password);
  }

  @HandleCommand(TENANT_ROLE_COMMANDS.rotate)
  async rotate({ propId }: TenantRoleRequestV1): Promise<TenantRoleCredentialsV1> {
    const password = newTenantPassword();
    const role = await this.roles.rotate(propId, password);
    const oid = await this.roles.oidOf(role);
    if (oid !== null) await this.roles.endSessions(oid);
    return this.credentials(role, propId, password);
  }

  @HandleCommand(TENANT_ROLE_COMMANDS.revoke)
  async revoke({ propId, role }: RevokeTenantRoleRequestV1): Promise<RevokedTenantRoleV1> {
    const revoked = await this.roles.revoke(propId, role);
    const sessionsEnded = revoked.oid === null ? 0 : await this.roles.endSessions(revoked.oid);
    return { role: revoked.role, propId, sessionsEnded };
  }

  private credentials(role: string, propId: string, password: string): TenantRoleCredentialsV1 {
    const connectionString = tenantConnectionString(
      { tenantUrl: this.config.tenants.url, databaseUrl: this.config.db.url },
      role,
      password,
    );
    return { role, propId, password, connectionString };
  }
}
