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
import { ApiBody, ApiParam, ApiQuery } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { RegistryAccess } from '../auth/registry-access';
import type { Principal } from '../credentials/principal';
import { IdempotencyInterceptor } from '../rest/idempotency.interceptor';
import { ApiAnswer, ApiIdempotencyKey, ApiNoContent, ApiOp, ApiProblems } from '../rest/rest.api';
import { SHIFT_STATUSES } from './shift-inputs';
import {
  ShiftDto,
  ShiftInputDto,
  ShiftsCreatedDto,
  ShiftPage,
  ShiftTransitionDto,
  ShiftUpdateDto,
} from './shifts.api';
import { ShiftsService } from './shifts.service';

const TAG = 'Shifts';
const SHIFT_ID = ApiParam({ name: 'shiftId', description: 'shift id (UUID)' });

/** REST v1 shifts of a building (owned by incident-service): one-line delegations to ShiftsService. */
@Controller('v1/buildings/:pid/shifts')
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
@ApiProblems(400, 401, 403, 404, 429, 503)
@ApiParam({ name: 'pid', description: 'building (project) id' })
export class ShiftsController {
  constructor(private readonly shifts: ShiftsService) {}

  @Post()
  @ApiOp(
    TAG,
    'createShift',
    'Plan a shift for a seat (write), optionally repeated on local dates at the same wall-clock times and published at once; 409 names a live shift of the seat it would overlap',
  )
  @ApiBody({ type: ShiftInputDto })
  @ApiIdempotencyKey('retry-safe POST')
  @ApiProblems(409)
  @ApiAnswer(201, ShiftsCreatedDto)
  create(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Body() body: unknown,
  ) {
    return this.shifts.create({ access, principal }, pid, body);
  }

  @Get()
  @ApiOp(
    TAG,
    'listShifts',
    'Shifts of the building whose planned window overlaps [from, to], by planned start; pages of up to 500',
  )
  @ApiQuery({ name: 'from', required: true, type: String, description: 'ISO 8601 with an offset' })
  @ApiQuery({ name: 'to', required: true, type: String, description: 'ISO 8601 with an offset, after from' })
  @ApiQuery({ name: 'seatId', required: false, type: String, description: 'only this seat’s' })
  @ApiQuery({
    name: 'status',
    required: false,
    type: String,
    description: `${SHIFT_STATUSES.join(', ')}; comma-separated or repeated`,
  })
  @ApiQuery({ name: 'cursor', required: false, type: String, description: 'from the previous page' })
  @ApiAnswer(200, ShiftPage)
  list(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.shifts.list({ access, principal }, pid, query);
  }

  @Get(':shiftId')
  @ApiOp(TAG, 'getShift', 'One shift of the building')
  @SHIFT_ID
  @ApiAnswer(200, ShiftDto)
  get(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('shiftId') shiftId: string,
  ) {
    return this.shifts.get({ access, principal }, pid, shiftId);
  }

  @Patch(':shiftId')
  @ApiOp(
    TAG,
    'updateShift',
    'Change the plan of a shift not started (write); 409 when started or overlapping',
  )
  @SHIFT_ID
  @ApiBody({ type: ShiftUpdateDto })
  @ApiProblems(409)
  @ApiAnswer(200, ShiftDto)
  update(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('shiftId') shiftId: string,
    @Body() body: unknown,
  ) {
    return this.shifts.update({ access, principal }, pid, shiftId, body);
  }

  @Delete(':shiftId')
  @HttpCode(204)
  @ApiOp(
    TAG,
    'deleteShift',
    'Remove a shift not started or on leave, with its task groups (write); a started, completed or absent one is a record of the day (409)',
  )
  @SHIFT_ID
  @ApiProblems(409)
  @ApiNoContent('Removed')
  async delete(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('shiftId') shiftId: string,
  ): Promise<void> {
    await this.shifts.delete({ access, principal }, pid, shiftId);
  }

  @Post(':shiftId/transitions')
  @HttpCode(200)
  @ApiOp(
    TAG,
    'transitionShift',
    'Move a shift along its lifecycle: publish, start, end, breaks, mark delayed/absent/on leave. 409 names the rule that refuses it',
  )
  @SHIFT_ID
  @ApiBody({ type: ShiftTransitionDto })
  @ApiIdempotencyKey('retry-safe POST')
  @ApiProblems(409)
  @ApiAnswer(200, ShiftDto)
  transition(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('pid') pid: string,
    @Param('shiftId') shiftId: string,
    @Body() body: unknown,
  ) {
    return this.shifts.transition({ access, principal }, pid, shiftId, body);
  }
}
