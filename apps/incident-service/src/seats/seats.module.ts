import { Module } from '@nestjs/common';
import { SeatCommands } from './seat-commands';
import { SeatsRepository } from './seats.repository';

/**
 * Seats: the people of a property who receive incidents (and, with shifts, plan and work them). The
 * seat commands of REST v1 (`workforce.seat.*.v1`) and `workforce.seats`, whose repository the op groups
 * of every workforce domain share.
 */
@Module({
  providers: [SeatCommands, SeatsRepository],
  exports: [SeatsRepository],
})
export class SeatsModule {}
