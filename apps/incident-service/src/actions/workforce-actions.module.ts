import { Module } from '@nestjs/common';
import { AvailabilityModule } from '../availability/availability.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { ShiftDefinitionsModule } from '../shift-definitions/shift-definitions.module';
import { ShiftsModule } from '../shifts/shifts.module';
import { WorkforceActions } from './workforce-actions';

/**
 * The workforce module of the Matrix actions API: one command (`workforce.action.call.v1`) dispatched to
 * the op groups the domain modules export. It imports the domains; none of them imports it.
 */
@Module({
  imports: [AvailabilityModule, IncidentsModule, ShiftDefinitionsModule, ShiftsModule],
  providers: [WorkforceActions],
})
export class WorkforceActionsModule {}
