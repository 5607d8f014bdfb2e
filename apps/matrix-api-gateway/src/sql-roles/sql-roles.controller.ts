import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { AuthGuard } from '../auth/auth.guard';
import type { RegistryAccess } from '../auth/registry-access';
import { IdempotencyInterceptor, IdempotentReplayOmits } from '../rest/idempotency.interceptor';
import { ApiAnswer, ApiIdempotencyKey, ApiNoContent, ApiOp, ApiProblems } from '../rest/rest.api';
import { SqlRoleCredentialsDto, SqlRoleListDto } from './sql-roles.api';
import { SqlRolesService } from './sql-roles.service';

const TAG = 'SQL roles';
const ROLE = ApiParam({ name: 'role', description: 'the role name, `matrix_t_` and 20 hex digits' });
const REPLAY = 'retry-safe POST (a replay answers without password and connectionString)';

/** REST v1 tenant SQL roles of a property (admin), made by sql-projector: one-line delegations. */
@Controller('v1/properties/:propId/sql-roles')
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
@ApiProblems(400, 401, 403, 404, 429, 503)
@ApiParam({ name: 'propId', description: 'property id' })
export class SqlRolesController {
  constructor(private readonly roles: SqlRolesService) {}

  @Post()
  @IdempotentReplayOmits('password', 'connectionString')
  @ApiOp(
    TAG,
    'createSqlRole',
    'Create the property’s read-only SQL login role (admin); the password is in this answer only. 409 when the property has one',
  )
  @ApiIdempotencyKey(REPLAY)
  @ApiProblems(409)
  @ApiAnswer(201, SqlRoleCredentialsDto)
  create(@Access() access: RegistryAccess, @Param('propId') propId: string, @Body() body: unknown) {
    return this.roles.create(access, propId, body);
  }

  @Get()
  @ApiOp(TAG, 'listSqlRoles', 'The property’s SQL role, if it has one (admin); never the password')
  @ApiAnswer(200, SqlRoleListDto)
  list(@Access() access: RegistryAccess, @Param('propId') propId: string) {
    return this.roles.list(access, propId);
  }

  @Post(':role/rotate')
  @HttpCode(200)
  @IdempotentReplayOmits('password', 'connectionString')
  @ApiOp(
    TAG,
    'rotateSqlRole',
    'A new password for the property’s SQL role (admin), in this answer only; the role’s open sessions end',
  )
  @ROLE
  @ApiIdempotencyKey(REPLAY)
  @ApiAnswer(200, SqlRoleCredentialsDto)
  rotate(@Access() access: RegistryAccess, @Param('propId') propId: string, @Param('role') role: string) {
    return this.roles.rotate(access, propId, role);
  }

  @Delete(':role')
  @HttpCode(204)
  @ApiOp(TAG, 'revokeSqlRole', 'Drop the property’s SQL role (admin); its open sessions end')
  @ROLE
  @ApiNoContent('Revoked')
  async revoke(
    @Access() access: RegistryAccess,
    @Param('propId') propId: string,
    @Param('role') role: string,
  ): Promise<void> {
    await this.roles.revoke(access, propId, role);
  }
}
