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
import { ApiBody, ApiParam, ApiQuery } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { RegistryAccess } from '../auth/registry-access';
import type { Principal } from '../credentials/principal';
import { IdempotencyInterceptor } from '../rest/idempotency.interceptor';
import { ApiAnswer, ApiIdempotencyKey, ApiNoContent, ApiOp, ApiProblems } from '../rest/rest.api';
import { LAST_CLEAN_DEFAULT_DAYS, LAST_CLEAN_MAX_DAYS } from './task-group-inputs';
import {
  LastCleanDto,
  OnShiftDto,
  TaskGroupDto,
  TaskGroupInputDto,
  TaskGroupListDto,
  TaskGroupTransitionDto,
} from './task-groups.api';
import { TaskGroupsService } from './task-groups.service';

const TAG = 'Task groups';
const TASK_ID = ApiParam({ name: 'taskId', description: 'task group id (19 digits)' });

/** REST v1 task groups of a shift (owned by incident-service): one-line delegations to TaskGroupsService. */
@Controller('v1/buildings/:pid/shifts/:shiftId/task-groups')
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
@ApiProblems(400, 401, 403, 404, 429, 503)
@ApiParam({ name: 'pid', description: 'building (project) id' })
@ApiParam({ name: 'shiftId', description: 'shift id (UUID)' })
export class TaskGroupsController {
  constructor(private readonly tasks: TaskGroupsService) {}

  @Get()
  @ApiOp(
    TAG,
    'listTaskGroups',
    'The shift’s task groups, in start order (its assigned incidents are incidents)',
  )
  @ApiAnswer(200, TaskGroupListDto)
  list(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('shiftId') shiftId: string,
  ) {
    return this.tasks.list({ access, principal }, pid, shiftId);
  }

  @Post()
  @ApiOp(
    TAG,
    'addTaskGroup',
    'Add a planned task group to a shift not ended, for the shift’s seat (write); 409 for a COMPLETED, ABSENT or ON_LEAVE shift',
  )
  @ApiBody({ type: TaskGroupInputDto })
  @ApiIdempotencyKey('retry-safe POST')
  @ApiProblems(409)
  @ApiAnswer(201, TaskGroupDto)
  add(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('shiftId') shiftId: string,
    @Body() body: unknown,
  ) {
    return this.tasks.add({ access, principal }, pid, shiftId, body);
  }

  @Get(':taskId')
  @ApiOp(TAG, 'getTaskGroup', 'One task group of the shift')
  @TASK_ID
  @ApiAnswer(200, TaskGroupDto)
  get(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('shiftId') shiftId: string,
    @Param('taskId') taskId: string,
  ) {
    return this.tasks.get({ access, principal }, pid, shiftId, taskId);
  }

  @Delete(':taskId')
  @HttpCode(204)
  @ApiOp(
    TAG,
    'removeTaskGroup',
    'Remove a task group not started from its shift (write); a started or resolved one is a record of the day (409)',
  )
  @TASK_ID
  @ApiProblems(409)
  @ApiNoContent('Removed')
  async remove(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('shiftId') shiftId: string,
    @Param('taskId') taskId: string,
  ): Promise<void> {
    await this.tasks.remove({ access, principal }, pid, shiftId, taskId);
  }

  @Post(':taskId/transitions')
  @HttpCode(200)
  @ApiOp(
    TAG,
    'transitionTaskGroup',
    'start (or resume), pause or complete a task group (write, the shift’s seat); 409 names the rule that refuses it',
  )
  @TASK_ID
  @ApiBody({ type: TaskGroupTransitionDto })
  @ApiIdempotencyKey('retry-safe POST')
  @ApiProblems(409)
  @ApiAnswer(200, TaskGroupDto)
  transition(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('shiftId') shiftId: string,
    @Param('taskId') taskId: string,
    @Body() body: unknown,
  ) {
    return this.tasks.transition({ access, principal }, pid, shiftId, taskId, body);
  }
}

/** REST v1 reads of a zone's working day: its last clean time and who is on shift for it now. */
@Controller('v1/buildings/:pid/zones/:zoneId')
@UseGuards(AuthGuard)
@ApiProblems(400, 401, 403, 404, 429, 503)
@ApiParam({ name: 'pid', description: 'building (project) id' })
@ApiParam({ name: 'zoneId', description: 'a zone of the building' })
export class ZoneWorkController {
  constructor(private readonly tasks: TaskGroupsService) {}

  @Get('last-clean')
  @ApiOp(
    TAG,
    'getZoneLastClean',
    'The zone’s last completed task group over the last `days` (getLastNTasks, ZONE, Limit 1)',
  )
  @ApiQuery({
    name: 'days',
    required: false,
    type: Number,
    description: `window in whole days before now, 1 to ${LAST_CLEAN_MAX_DAYS} (default ${LAST_CLEAN_DEFAULT_DAYS})`,
  })
  @ApiAnswer(200, LastCleanDto)
  lastClean(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('zoneId') zoneId: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.tasks.lastClean({ access, principal }, pid, zoneId, query);
  }

  @Get('on-shift')
  @ApiOp(
    TAG,
    'getZoneOnShift',
    'Who would get an auto-assigned incident of the zone now (getAvailabilityForIncident): the seats on shift for it, each with its shift, planned break, availability and whether auto-assignment would take it',
  )
  @ApiAnswer(200, OnShiftDto)
  onShift(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('zoneId') zoneId: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.tasks.onShift({ access, principal }, pid, zoneId, query);
  }
}
