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
import { ApiBody, ApiParam } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { AuthGuard } from '../auth/auth.guard';
import type { RegistryAccess } from '../auth/registry-access';
import { IdempotencyInterceptor, IdempotentReplayOmits } from '../rest/idempotency.interceptor';
import { ApiAnswer, ApiIdempotencyKey, ApiNoContent, ApiOp, ApiProblems } from '../rest/rest.api';
import { AccessKeyListDto, IssuedAccessKeyDto, NewAccessKeyDto } from './property-access-keys.api';
import { PropertyAccessKeysService } from './property-access-keys.service';

const TAG = 'Access keys';
const KEY = ApiParam({ name: 'accessKey', description: 'the access key (`AK…`)' });
const REPLAY = 'retry-safe POST (a replay answers without secretKey)';

/** REST v1 access keys (API credentials) of a property (admin): one-line delegations. */
@Controller('v1/properties/:propId/access-keys')
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
@ApiProblems(400, 401, 403, 404, 429)
@ApiParam({ name: 'propId', description: 'property id' })
export class PropertyAccessKeysController {
  constructor(private readonly keys: PropertyAccessKeysService) {}

  @Post()
  @IdempotentReplayOmits('secretKey')
  @ApiOp(
    TAG,
    'createAccessKey',
    'Issue an access key of the property (admin); the secret is in this answer only',
  )
  @ApiBody({ type: NewAccessKeyDto })
  @ApiIdempotencyKey(REPLAY)
  @ApiAnswer(201, IssuedAccessKeyDto)
  create(@Access() access: RegistryAccess, @Param('propId') propId: string, @Body() body: unknown) {
    return this.keys.create(access, propId, body);
  }

  @Get()
  @ApiOp(TAG, 'listAccessKeys', 'The property’s access keys (admin), revoked ones included; never a secret')
  @ApiAnswer(200, AccessKeyListDto)
  list(@Access() access: RegistryAccess, @Param('propId') propId: string) {
    return this.keys.list(access, propId);
  }

  @Post(':accessKey/rotate')
  @HttpCode(200)
  @IdempotentReplayOmits('secretKey')
  @ApiOp(
    TAG,
    'rotateAccessKey',
    'A new secret for an active access key (admin), in this answer only; the old secret stops working',
  )
  @KEY
  @ApiIdempotencyKey(REPLAY)
  @ApiAnswer(200, IssuedAccessKeyDto)
  rotate(
    @Access() access: RegistryAccess,
    @Param('propId') propId: string,
    @Param('accessKey') accessKey: string,
  ) {
    return this.keys.rotate(access, propId, accessKey);
  }

  @Delete(':accessKey')
  @HttpCode(204)
  @ApiOp(TAG, 'revokeAccessKey', 'Revoke an access key of the property (admin); final')
  @KEY
  @ApiNoContent('Revoked')
  async revoke(
    @Access() access: RegistryAccess,
    @Param('propId') propId: string,
    @Param('accessKey') accessKey: string,
  ): Promise<void> {
    await this.keys.revoke(access, propId, accessKey);
  }
}
