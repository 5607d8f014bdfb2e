import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { WorkforceActions } from './workforce-actions';

/**
 * The workforce module of the Matrix actions API: one command (`workforce.action.call.v1`) dispatched to
 * the op groups the domain modules export. It imports the domains; none of them imports it.
 */
@Module({
  imports: [IncidentsModule],
  providers: [WorkforceActions],
})
export class WorkforceActionsModule {}
