import { Injectable } from '@nestjs/common';
import {
  SEAT_COMMANDS,
  type SeatInputV1,
  type SeatScopeV1,
  type SeatUpdateV1,
  type SeatV1,
} from '@matrix/contracts';
import { CommandError, HandleCommand } from '@matrix/messaging';
import { Clock } from '../clock/clock';
import { MAX_SEATS_PER_PROPERTY, SeatsRepository, type SeatRow } from './seats.repository';

const view = (row: SeatRow): SeatV1 => ({
  seatId: row.seat_id,
  org: row.org_id,
  propId: row.prop_id,
  userName: row.user_name,
  userGroup: row.user_group,
  status: row.status,
  createdOn: row.created_on.toISOString(),
  modifiedOn: row.modified_on.toISOString(),
});

/**
 * The seat commands (`workforce.seat.*.v1`) the gateway forwards from REST v1
 * `/v1/properties/{propId}/seats` after checking the caller may touch the property.
 */
@Injectable()
export class SeatCommands {
  constructor(
    private readonly seats: SeatsRepository,
    private readonly clock: Clock,
  ) {}

  @HandleCommand(SEAT_COMMANDS.create)
  async create(request: SeatScopeV1 & { input: SeatInputV1 }): Promise<SeatV1> {
    const row = await this.seats.create({
      org_id: request.org,
      prop_id: request.propId,
      user_name: request.input.userName,
      user_group: request.input.userGroup,
      ...(request.input.status ? { status: request.input.status } : {}),
    });
    if (!row) {
      throw new CommandError('LIMIT_VIOLATED', `a property has at most ${MAX_SEATS_PER_PROPERTY} seats`);
    }
    return view(row);
  }

  @HandleCommand(SEAT_COMMANDS.list)
  async list(request: SeatScopeV1): Promise<{ items: SeatV1[] }> {
    return { items: (await this.seats.list(request.org, request.propId)).map(view) };
  }

  @HandleCommand(SEAT_COMMANDS.update)
  async update(request: SeatScopeV1 & { seatId: string; input: SeatUpdateV1 }): Promise<SeatV1> {
    const row = await this.seats.update(request.org, request.propId, request.seatId, request.input);
    if (!row) throw new CommandError('NOT_FOUND', `seat ${request.seatId} not found`);
    return view(row);
  }

  /**
   * Refused (`CONFLICT`) while the seat has an assigned or started incident (complete or reassign them
   * first) or live shifts (published or started, or unpublished and not over: delete them, or mark them on
   * leave, first), naming them.
   */
  @HandleCommand(SEAT_COMMANDS.delete)
  async delete(request: SeatScopeV1 & { seatId: string; by: string }): Promise<{ seatId: string }> {
    const outcome = await this.seats.delete(
      request.org,
      request.propId,
      request.seatId,
      request.by,
      this.clock.now(),
    );
    if (outcome === 'not-found') throw new CommandError('NOT_FOUND', `seat ${request.seatId} not found`);
    if (outcome !== 'deleted' && 'busy' in outcome) {
      throw new CommandError(
        'CONFLICT',
        `seat ${request.seatId} has ${outcome.busy} unresolved (assigned or started) incident(s); complete or reassign them first`,
      );
    }
    if (outcome !== 'deleted') {
      const { count, named } = outcome.shifts;
      const more = count > named.length ? ` and ${count - named.length} more` : '';
      throw new CommandError(
        'CONFLICT',
        `seat ${request.seatId} has ${count} live shift(s) (published, started, or unpublished and not over): ` +
          `${named.join(', ')}${more}; delete them or mark them on leave first`,
      );
    }
    return { seatId: request.seatId };
  }
}
