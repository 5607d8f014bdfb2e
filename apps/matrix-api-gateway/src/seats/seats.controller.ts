import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiParam } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { AuthGuard } from '../auth/auth.guard';
import type { RegistryAccess } from '../auth/registry-access';
import { IdempotencyInterceptor } from '../rest/idempotency.interceptor';
import { ApiAnswer, ApiIdempotencyKey, ApiNoContent, ApiOp, ApiProblems } from '../rest/rest.api';
import { SeatDto, SeatInputDto, SeatListDto, SeatUpdateDto } from './seats.api';
import { SeatsService } from './seats.service';

const PROP_ID = ApiParam({ name: 'propId', description: 'property id' });
const SEAT_ID = ApiParam({ name: 'seatId', description: 'seat id (`<propId>_<nnn>`)' });
const TAG = 'Seats';

/** REST v1 seats of a property (owned by incident-service): one-line delegations to SeatsService. */
@Controller('v1/properties/:propId/seats')
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
@ApiProblems(400, 401, 403, 404, 429, 503)
export class SeatsController {
  constructor(private readonly seats: SeatsService) {}

  @Post()
  @ApiOp(TAG, 'createSeat', 'Create the property’s next seat (admin): a person who receives incidents')
  @PROP_ID
  @ApiBody({ type: SeatInputDto })
  @ApiIdempotencyKey('retry-safe POST')
  @ApiAnswer(201, SeatDto)
  create(@Access() access: RegistryAccess, @Param('propId') propId: string, @Body() body: unknown) {
    return this.seats.create(access, propId, body);
  }

  @Get()
  @ApiOp(TAG, 'listSeats', 'Seats of the property, by seat id')
  @PROP_ID
  @ApiAnswer(200, SeatListDto)
  list(@Access() access: RegistryAccess, @Param('propId') propId: string) {
    return this.seats.list(access, propId);
  }

  @Patch(':seatId')
  @ApiOp(TAG, 'updateSeat', 'Change a seat’s name, group or status (admin)')
  @PROP_ID
  @SEAT_ID
  @ApiBody({ type: SeatUpdateDto })
  @ApiAnswer(200, SeatDto)
  update(
    @Access() access: RegistryAccess,
    @Param('propId') propId: string,
    @Param('seatId') seatId: string,
    @Body() body: unknown,
  ) {
    return this.seats.update(access, propId, seatId, body);
  }

  @Delete(':seatId')
  @HttpCode(204)
  @ApiOp(
    TAG,
    'deleteSeat',
    'Remove a seat (admin); 409 while an incident is assigned to it or started by it. Its id is never reused',
  )
  @PROP_ID
  @SEAT_ID
  @ApiProblems(409)
  @ApiNoContent('Removed')
  async delete(
    @Access() access: RegistryAccess,
    @Param('propId') propId: string,
    @Param('seatId') seatId: string,
  ): Promise<void> {
    await this.seats.delete(access, propId, seatId);
  }
}
