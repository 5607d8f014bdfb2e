import { Module } from '@nestjs/common';
import { SeatsModule } from '../seats/seats.module';
import { AvailabilityActions } from './availability-actions';
import { AvailabilityRepository } from './availability.repository';

/**
 * Seat availability: the availability op group of the workforce actions API (composed by actions/) and
 * `workforce.seat_availability` / `workforce.seat_availability_zones`. `AvailabilityRepository.availableSeats`
 * (over the pure `seatsAvailableAt`) answers which seats are available at an instant for a zone, for
 * auto-assignment. Publishes no event.
 */
@Module({
  imports: [SeatsModule],
  providers: [AvailabilityActions, AvailabilityRepository],
  exports: [AvailabilityActions, AvailabilityRepository],
})
export class AvailabilityModule {}
