import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../credentials/principal';
import { sendJsonBytes } from '../json-bytes';
import { accessFor } from '../auth/access-for';
import { ActionsService } from './actions.service';

/**
 * The Matrix actions API (reference §4.1): `POST /prod/v2/<module>/<version>/actions?op=&org=&pid=&propid=`,
 * as the public SDKs call it. Also served without the `/prod/v2` prefix.
 */
@Controller()
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Post(['prod/v2/:module/:version/actions', ':module/:version/actions'])
  @HttpCode(200)
  @UseGuards(AuthGuard)
  async act(
    @Param('module') module: string,
    @Query() query: Record<string, unknown>,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.actions.call({ module, query, body, access: accessFor(principal), principal });
    if ('json' in result) sendJsonBytes(reply, result.json);
    else void reply.status(result.status).send(result.body);
  }

  /** The ops this gateway serves (no credential needed). */
  @Get('prod/v2/operations')
  operations(): { operations: string[] } {
    return { operations: this.actions.operations };
  }
}
