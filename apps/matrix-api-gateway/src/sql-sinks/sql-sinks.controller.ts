import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiParam } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator';
import { AuthGuard } from '../auth/auth.guard';
import type { RegistryAccess } from '../auth/registry-access';
import { ApiAnswer, ApiNoContent, ApiOp, ApiProblems } from '../rest/rest.api';
import { SqlSinkDto, SqlSinkInputDto } from './sql-sinks.api';
import { SqlSinksService } from './sql-sinks.service';

const TAG = 'SQL sink';

/**
 * REST v1 customer-hosted SQL sink of a property (admin), kept by sql-projector: one-line delegations.
 * No POST, so no Idempotency-Key: a PUT again sets the same target, a DELETE again answers 404.
 */
@Controller('v1/properties/:propId/sql-sink')
@UseGuards(AuthGuard)
@ApiProblems(400, 401, 403, 404, 429, 503)
@ApiParam({ name: 'propId', description: 'property id' })
export class SqlSinksController {
  constructor(private readonly sinks: SqlSinksService) {}

  @Put()
  @ApiOp(
    TAG,
    'setSqlSink',
    'Copy the property’s sensor data and events into the customer’s PostgreSQL (admin): 201 when the property had no sink, 200 when its target is replaced',
  )
  @ApiBody({ type: SqlSinkInputDto })
  @ApiAnswer(201, SqlSinkDto)
  @ApiAnswer(200, SqlSinkDto)
  async set(
    @Access() access: RegistryAccess,
    @Param('propId') propId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SqlSinkDto> {
    const { created, sink } = await this.sinks.set(access, propId, body);
    if (created) void reply.status(201);
    return sink;
  }

  @Get()
  @ApiOp(TAG, 'getSqlSink', 'The property’s sink and how far its copy has come (admin); 404 when none')
  @ApiAnswer(200, SqlSinkDto)
  show(@Access() access: RegistryAccess, @Param('propId') propId: string) {
    return this.sinks.show(access, propId);
  }

  @Delete()
  @HttpCode(204)
  @ApiOp(
    TAG,
    'removeSqlSink',
    'Stop copying to the customer’s PostgreSQL and forget its connection string (admin); rows copied stay there',
  )
  @ApiNoContent('Removed')
  async remove(@Access() access: RegistryAccess, @Param('propId') propId: string): Promise<void> {
    await this.sinks.remove(access, propId);
  }
}
