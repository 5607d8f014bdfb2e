import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { AuthGuard } from '../auth/auth.guard';
import { Access } from '../auth/access.decorator';
import type { RegistryAccess } from '../auth/registry-access';
import { IdempotencyInterceptor, IdempotentReplayOmits } from '../rest/idempotency.interceptor';
import { SubscriptionsService } from './subscriptions.service';

/** REST v1 push subscriptions: one-line delegations to SubscriptionsService (docs: /v1/openapi.json). */
@Controller('v1/subscriptions')
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @IdempotentReplayOmits('secret')
  create(@Access() access: RegistryAccess, @Body() body: unknown) {
    return this.subscriptions.create(access, body);
  }

  @Get()
  list(@Access() access: RegistryAccess, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    return this.subscriptions.list(access, cursor, limit);
  }

  @Get(':id')
  get(@Access() access: RegistryAccess, @Param('id') id: string) {
    return this.subscriptions.get(access, id);
  }

  @Patch(':id')
  update(@Access() access: RegistryAccess, @Param('id') id: string, @Body() body: unknown) {
    return this.subscriptions.update(access, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Access() access: RegistryAccess, @Param('id') id: string): Promise<void> {
    await this.subscriptions.delete(access, id);
  }

  @Post(':id/secret')
  @IdempotentReplayOmits('secret')
  rotateSecret(@Access() access: RegistryAccess, @Param('id') id: string, @Body() body: unknown) {
    return this.subscriptions.rotateSecret(access, id, body);
  }

  @Get(':id/attempts')
  attempts(
    @Access() access: RegistryAccess,
    @Param('id') id: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ) {
    return this.subscriptions.attempts(access, id, cursor, limit);
  }

  @Get(':id/batches')
  batches(
    @Access() access: RegistryAccess,
    @Param('id') id: string,
    @Query('status') status?: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ) {
    return this.subscriptions.batches(access, id, status, cursor, limit);
  }

  @Post(':id/batches/:batchId/resend')
  @HttpCode(202)
  resend(@Access() access: RegistryAccess, @Param('id') id: string, @Param('batchId') batchId: string) {
    return this.subscriptions.resend(access, id, batchId);
  }

  @Post(':id/replay')
  @HttpCode(202)
  replay(@Access() access: RegistryAccess, @Param('id') id: string, @Body() body: unknown) {
    return this.subscriptions.replay(access, id, body);
  }
}
