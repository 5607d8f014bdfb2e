import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { IdempotencyInterceptor } from '../rest/idempotency.interceptor';
import { SqlRolesController } from './sql-roles.controller';
import { SqlRolesService } from './sql-roles.service';

/** REST `/v1/properties/{propId}/sql-roles`, forwarded to sql-projector's tenant-role commands (issue 15). */
@Module({
  imports: [RegistryModule],
  controllers: [SqlRolesController],
  providers: [IdempotencyInterceptor, SqlRolesService],
})
export class SqlRolesModule {}
