import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
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
import {
  AvailabilityDto,
  AvailabilityInputDto,
  AvailabilityUpdateDto,
  AvailabilityZonesDto,
  AvailabilityZonesInputDto,
  AvailabilityZonesReplaceDto,
} from './availability.api';
import { AvailabilityService } from './availability.service';

const TAG = 'Availability';

/** REST v1 availability of a seat (owned by incident-service): one-line delegations to AvailabilityService. */
@Controller('v1/properties/:propId/seats/:seatId')
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
@ApiProblems(400, 401, 403, 404, 429, 503)
@ApiParam({ name: 'propId', description: 'property id' })
@ApiParam({ name: 'seatId', description: 'an active seat of the property' })
export class AvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  @Get('availability')
  @ApiOp(
    TAG,
    'getAvailability',
    'The seat’s week plan: time slots per day of the week, on the building’s wall clock',
  )
  @ApiAnswer(200, AvailabilityDto)
  get(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('propId') propId: string,
    @Param('seatId') seatId: string,
  ) {
    return this.availability.get({ access, principal }, propId, seatId);
  }

  @Post('availability')
  @ApiOp(
    TAG,
    'createAvailability',
    'Set the same time slots on each day named that has none (write); the same plan again is a retry, another plan on a named day 409',
  )
  @ApiBody({ type: AvailabilityInputDto })
  @ApiIdempotencyKey('retry-safe POST')
  @ApiProblems(409)
  @ApiAnswer(201, AvailabilityDto)
  create(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('propId') propId: string,
    @Param('seatId') seatId: string,
    @Body() body: unknown,
  ) {
    return this.availability.create({ access, principal }, propId, seatId, body);
  }

  @Patch('availability')
  @ApiOp(
    TAG,
    'updateAvailability',
    'Replace the plan of each day named, all or none (write); a day without a plan is 404',
  )
  @ApiBody({ type: AvailabilityUpdateDto })
  @ApiAnswer(200, AvailabilityDto)
  update(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('propId') propId: string,
    @Param('seatId') seatId: string,
    @Body() body: unknown,
  ) {
    return this.availability.update({ access, principal }, propId, seatId, body);
  }

  @Delete('availability')
  @HttpCode(204)
  @ApiOp(TAG, 'deleteAvailability', 'Remove the plan of the days named, every day by default (write)')
  @ApiQuery({ name: 'daysOfWeek', required: false, type: String, description: 'e.g. 1,2; default every day' })
  @ApiNoContent('Removed (also when those days had none)')
  async delete(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('propId') propId: string,
    @Param('seatId') seatId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    await this.availability.delete({ access, principal }, propId, seatId, query);
  }

  @Get('availability-zones')
  @ApiOp(TAG, 'getAvailabilityZones', 'The zones the seat is available for, per building')
  @ApiAnswer(200, AvailabilityZonesDto)
  zones(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('propId') propId: string,
    @Param('seatId') seatId: string,
  ) {
    return this.availability.zones({ access, principal }, propId, seatId);
  }

  @Post('availability-zones')
  @ApiOp(
    TAG,
    'createAvailabilityZones',
    'Set the seat’s zones in a building that has none for it (write); the same again is a retry, other zones 409',
  )
  @ApiBody({ type: AvailabilityZonesInputDto })
  @ApiIdempotencyKey('retry-safe POST')
  @ApiProblems(409)
  @ApiAnswer(201, AvailabilityZonesDto)
  createZones(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('propId') propId: string,
    @Param('seatId') seatId: string,
    @Body() body: unknown,
  ) {
    return this.availability.createZones({ access, principal }, propId, seatId, body);
  }

  @Put('availability-zones/:pid')
  @ApiOp(
    TAG,
    'replaceAvailabilityZones',
    'Replace the seat’s zones in the building (write); 404 when it has none there',
  )
  @ApiParam({ name: 'pid', description: 'a building of the property' })
  @ApiBody({ type: AvailabilityZonesReplaceDto })
  @ApiAnswer(200, AvailabilityZonesDto)
  replaceZones(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('propId') propId: string,
    @Param('seatId') seatId: string,
    @Param('pid') pid: string,
    @Body() body: unknown,
  ) {
    return this.availability.replaceZones({ access, principal }, propId, seatId, pid, body);
  }

  @Delete('availability-zones')
  @HttpCode(204)
  @ApiOp(
    TAG,
    'deleteAvailabilityZones',
    'Remove the seat’s zones in every building (write): available for every zone again',
  )
  @ApiNoContent('Removed')
  async deleteZones(
    @Access() access: RegistryAccess,
    @CurrentPrincipal() principal: Principal,
    @Param('propId') propId: string,
    @Param('seatId') seatId: string,
  ): Promise<void> {
    await this.availability.deleteZones({ access, principal }, propId, seatId);
  }
}
