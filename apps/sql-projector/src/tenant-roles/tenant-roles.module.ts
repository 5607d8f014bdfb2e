import { Module, type DynamicModule } from '@nestjs/common';
import { SQL_PROJECTOR_CONFIG, type SqlProjectorConfig } from '../config/sql-projector.config';
import { TenantRoleCommands } from './tenant-role.commands';
import { TenantRolesRepository } from './tenant-roles.repository';

@Module({})
export class TenantRolesModule {
  static forRoot(config: SqlProjectorConfig): DynamicModule {
    return {
      module: TenantRolesModule,
      providers: [
        { provide: SQL_PROJECTOR_CONFIG, useValue: config },
        TenantRoleCommands,
        TenantRolesRepository,
      ],
    };
  }
}
