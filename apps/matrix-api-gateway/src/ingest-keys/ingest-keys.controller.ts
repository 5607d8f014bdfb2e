import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { AuthGuard } from '../auth/auth.guard';
import { ApiBody, ApiParam, ApiQuery } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import type { RegistryAccess } from '../auth/registry-access';
import { DomainError } from '../domain-error';
import { IdempotencyInterceptor, IdempotentReplayOmits } from '../rest/idempotency.interceptor';
import { limitParam, pageView } from '../rest/paging';
import { ApiAnswer, ApiIdempotencyKey, ApiNoContent, ApiOp, ApiPaging, ApiProblems } from '../rest/rest.api';
import { CreateIngestKeyInput } from './create-ingest-key.input';
import { IngestKeyPage, IssuedIngestKeyDto } from './ingest-keys.api';
import { ingestKeyView, issuedIngestKeyView } from './ingest-key-views';
import { IngestKeysService } from './ingest-keys.service';

/** REST v1 over the ingest keys of a building (docs/api.md, docs/authentication.md); admins only. */
@Controller('v1/buildings/:pid/ingest-keys')
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
@ApiProblems()
@ApiParam({ name: 'pid', description: 'building (project) id' })
export class IngestKeysController {
  constructor(private readonly keys: IngestKeysService) {}

  /** The whole key is in this answer only; a replay by Idempotency-Key answers without it. */
  @Post()
  @IdempotentReplayOmits('key')
  @ApiOp(
    'Ingest keys',
    'issueIngestKey',
    'Issue an ingest key for push-ingress (admin). The whole key is in this answer only (a replay by Idempotency-Key answers without it)',
  )
  @ApiBody({ type: CreateIngestKeyInput })
  @ApiIdempotencyKey('retry-safe POST (a replay answers without the key)')
  @ApiAnswer(201, IssuedIngestKeyDto)
  async issue(@Access() access: RegistryAccess, @Param('pid') pid: string, @Body() body: unknown) {
    return issuedIngestKeyView(await this.keys.issue(access, pid, body, true));
  }

  @Get()
  @ApiOp('Ingest keys', 'listIngestKeys', 'Ingest keys of the building (admin); never the secrets')
  @ApiQuery({
    name: 'includeRevoked',
    required: false,
    enum: ['true', 'false'],
    description: 'also the revoked keys',
  })
  @ApiPaging()
  @ApiAnswer(200, IngestKeyPage)
  async list(
    @Access() access: RegistryAccess,
    @Param('pid') pid: string,
    @Query('includeRevoked') includeRevoked?: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ) {
    if (includeRevoked !== undefined && includeRevoked !== 'true' && includeRevoked !== 'false') {
      throw new DomainError('INVALID', 'includeRevoked must be true or false');
    }
    const page = await this.keys.list(access, pid, {
      includeRevoked: includeRevoked === 'true',
      cursor,
      limit: limitParam(limit),
    });
    return pageView(page, ingestKeyView);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOp(
    'Ingest keys',
    'revokeIngestKey',
    'Revoke an ingest key (admin); push-ingress refuses it within seconds. Revoking a revoked key changes nothing',
  )
  @ApiParam({
    name: 'id',
    description: 'ingest key id (12 characters; the part between `mik_` and the secret)',
  })
  @ApiNoContent('Revoked')
  async revoke(
    @Access() access: RegistryAccess,
    @Param('pid') pid: string,
    @Param('id') id: string,
  ): Promise<void> {
    await this.keys.revoke(access, pid, id);
  }
}
