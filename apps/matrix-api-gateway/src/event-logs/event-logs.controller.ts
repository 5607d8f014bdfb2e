import { applyDecorators, Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiParam, ApiQuery } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { AuthGuard } from '../auth/auth.guard';
import type { RegistryAccess } from '../auth/registry-access';
import { ApiAnswer, ApiOp, ApiPaging, ApiProblems } from '../rest/rest.api';
import { EventListDto, EventPage } from './event-logs.api';
import { EventLogsRestService } from './event-logs-rest.service';
import { EVENT_PAGE } from './event-log-query';

const TAG = 'Events';
const MODULE = ApiQuery({
  name: 'module',
  required: true,
  type: String,
  description: 'the events of this module (e.g. sctasks, scgrids)',
});
const RANGE = applyDecorators(
  MODULE,
  ApiQuery({
    name: 'from',
    required: true,
    type: String,
    description: 'at or after (ISO 8601 with an offset)',
  }),
  ApiQuery({
    name: 'to',
    required: true,
    type: String,
    description: 'before (ISO 8601 with an offset); at most 366 days after from',
  }),
  ApiPaging({ maximum: EVENT_PAGE.max, description: `page size, default ${EVENT_PAGE.default}` }),
);
const LATEST = applyDecorators(
  MODULE,
  ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: EVENT_PAGE.max },
    description: `how many, default ${EVENT_PAGE.default}`,
  }),
);

/** REST v1 event log of a building or property (from sql-projector's `matrix.events`); one-line delegations. */
@Controller('v1')
@UseGuards(AuthGuard)
@ApiProblems()
export class EventLogsController {
  constructor(private readonly events: EventLogsRestService) {}

  @Get('buildings/:pid/events')
  @ApiOp(TAG, 'listBuildingEvents', 'Events of a module in a building in [from, to), oldest first')
  @ApiParam({ name: 'pid', description: 'building (project) id' })
  @RANGE
  @ApiAnswer(200, EventPage)
  buildingRange(
    @Access() access: RegistryAccess,
    @Param('pid') pid: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.events.range(access, 'building', pid, query);
  }

  @Get('buildings/:pid/events/latest')
  @ApiOp(TAG, 'listLatestBuildingEvents', 'The latest events of a module in a building, newest first')
  @ApiParam({ name: 'pid', description: 'building (project) id' })
  @LATEST
  @ApiAnswer(200, EventListDto)
  buildingLatest(
    @Access() access: RegistryAccess,
    @Param('pid') pid: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.events.latest(access, 'building', pid, query);
  }

  @Get('properties/:propId/events')
  @ApiOp(
    TAG,
    'listPropertyEvents',
    'Events of a module in every building of a property in [from, to), oldest first',
  )
  @ApiParam({ name: 'propId', description: 'property id' })
  @RANGE
  @ApiAnswer(200, EventPage)
  propertyRange(
    @Access() access: RegistryAccess,
    @Param('propId') propId: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.events.range(access, 'property', propId, query);
  }

  @Get('properties/:propId/events/latest')
  @ApiOp(TAG, 'listLatestPropertyEvents', 'The latest events of a module in a property, newest first')
  @ApiParam({ name: 'propId', description: 'property id' })
  @LATEST
  @ApiAnswer(200, EventListDto)
  propertyLatest(
    @Access() access: RegistryAccess,
    @Param('propId') propId: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.events.latest(access, 'property', propId, query);
  }
}
