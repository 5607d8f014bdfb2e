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
import { ApiBody, ApiParam, ApiQuery } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import type { RegistryAccess } from '../auth/registry-access';
import { IdempotencyInterceptor, IdempotentReplayOmits } from '../rest/idempotency.interceptor';
import { ApiAnswer, ApiIdempotencyKey, ApiNoContent, ApiOp, ApiPaging, ApiProblems } from '../rest/rest.api';
import {
  CreatedSubscriptionDto,
  DeliveryAttemptPage,
  DeliveryBatchDto,
  DeliveryBatchPage,
  ReplayInputDto,
  ReplayResultDto,
  RotatedSecretDto,
  RotateSecretInputDto,
  SubscriptionDto,
  SubscriptionInputDto,
  SubscriptionPage,
  SubscriptionUpdateDto,
} from './subscriptions.api';
import { SubscriptionsService } from './subscriptions.service';

const ID = ApiParam({ name: 'id', description: 'subscription id (UUID)' });
const TAG = 'Subscriptions';

/** REST v1 push subscriptions: one-line delegations to SubscriptionsService (docs: /v1/openapi.json). */
@Controller('v1/subscriptions')
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
@ApiProblems(400, 401, 403, 404, 429, 503)
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @IdempotentReplayOmits('secret')
  @ApiOp(
    TAG,
    'createSubscription',
    'Create a push subscription (admin); answers the signing secret, shown this once',
  )
  @ApiBody({ type: SubscriptionInputDto })
  @ApiIdempotencyKey('retry-safe POST (a replay answers without the secret)')
  @ApiAnswer(201, CreatedSubscriptionDto)
  create(@Access() access: RegistryAccess, @Body() body: unknown) {
    return this.subscriptions.create(access, body);
  }

  @Get()
  @ApiOp(TAG, 'listSubscriptions', 'Push subscriptions of the credential’s organisation or property')
  @ApiPaging({ maximum: 500, description: 'page size (default 50)' })
  @ApiAnswer(200, SubscriptionPage)
  list(@Access() access: RegistryAccess, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    return this.subscriptions.list(access, cursor, limit);
  }

  @Get(':id')
  @ApiOp(TAG, 'readSubscription', 'Read a subscription')
  @ID
  @ApiAnswer(200, SubscriptionDto)
  get(@Access() access: RegistryAccess, @Param('id') id: string) {
    return this.subscriptions.get(access, id);
  }

  @Patch(':id')
  @ApiOp(
    TAG,
    'updateSubscription',
    'Change a subscription (admin): any field but kind; `status: active` re-enables it; the scope is re-read from the registry',
  )
  @ID
  @ApiBody({ type: SubscriptionUpdateDto })
  @ApiAnswer(200, SubscriptionDto)
  update(@Access() access: RegistryAccess, @Param('id') id: string, @Body() body: unknown) {
    return this.subscriptions.update(access, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOp(TAG, 'deleteSubscription', 'Delete a subscription with its queue and delivery log (admin)')
  @ID
  @ApiNoContent('Deleted')
  async delete(@Access() access: RegistryAccess, @Param('id') id: string): Promise<void> {
    await this.subscriptions.delete(access, id);
  }

  @Post(':id/secret')
  @IdempotentReplayOmits('secret')
  @ApiOp(
    TAG,
    'rotateSubscriptionSecret',
    'Rotate the signing secret (admin): the new secret signs at once, the old one also signs for overlapMs (default 24 h)',
  )
  @ID
  @ApiBody({ type: RotateSecretInputDto, required: false })
  @ApiIdempotencyKey('retry-safe POST (a replay answers without the secret)')
  @ApiAnswer(201, RotatedSecretDto)
  rotateSecret(@Access() access: RegistryAccess, @Param('id') id: string, @Body() body: unknown) {
    return this.subscriptions.rotateSecret(access, id, body);
  }

  @Get(':id/attempts')
  @ApiOp(TAG, 'listDeliveryAttempts', 'Delivery attempts, newest first')
  @ID
  @ApiPaging({ maximum: 500, description: 'page size (default 50)' })
  @ApiAnswer(200, DeliveryAttemptPage)
  attempts(
    @Access() access: RegistryAccess,
    @Param('id') id: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ) {
    return this.subscriptions.attempts(access, id, cursor, limit);
  }

  @Get(':id/batches')
  @ApiOp(TAG, 'listDeliveryBatches', 'Batches, newest first; `status=failed` lists the given-up ones')
  @ID
  @ApiQuery({
    name: 'status',
    required: false,
    enum: ['pending', 'delivered', 'failed'],
    description: 'pending, delivered or failed',
  })
  @ApiPaging({ maximum: 500, description: 'page size (default 50)' })
  @ApiAnswer(200, DeliveryBatchPage)
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
  @ApiOp(
    TAG,
    'resendDeliveryBatch',
    'Send a batch again, same webhook-id and body, after what is pending (admin)',
  )
  @ID
  @ApiParam({ name: 'batchId', description: 'the batch’s webhook-id' })
  @ApiIdempotencyKey()
  @ApiAnswer(202, DeliveryBatchDto)
  resend(@Access() access: RegistryAccess, @Param('id') id: string, @Param('batchId') batchId: string) {
    return this.subscriptions.resend(access, id, batchId);
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOp(
    TAG,
    'replaySubscription',
    'Re-read the stream from `from` to `to` (≤ 31 days) and deliver what matches again (admin); batches delivered before keep their webhook-id',
  )
  @ID
  @ApiBody({ type: ReplayInputDto })
  @ApiIdempotencyKey()
  @ApiAnswer(202, ReplayResultDto)
  replay(@Access() access: RegistryAccess, @Param('id') id: string, @Body() body: unknown) {
    return this.subscriptions.replay(access, id, body);
  }
}
