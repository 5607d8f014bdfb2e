import { Module } from '@nestjs/common';
import { AssignmentModule } from '../assignment/assignment.module';
import { AvailabilityModule } from '../availability/availability.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { SettingsModule } from '../settings/settings.module';
import { ShiftDefinitionsModule } from '../shift-definitions/shift-definitions.module';
import { ShiftsModule } from '../shifts/shifts.module';
import { SolutionsModule } from '../solutions/solutions.module';
import { TasksModule } from '../tasks/tasks.module';
import { TimesheetsModule } from '../timesheets/timesheets.module';
import { WorkforceActions } from './workforce-actions';

/**
 * The workforce module of the Matrix actions API: one command (`workforce.action.call.v1`) dispatched to
 * the op groups the domain modules export. It imports the domains; none of them imports it.
 */
@Module({
  imports: [
    AssignmentModule,
    AvailabilityModule,
    IncidentsModule,
    SettingsModule,
    ShiftDefinitionsModule,
    ShiftsModule,
    SolutionsModule,
    TasksModule,
    TimesheetsModule,
  ],
  providers: [WorkforceActions],
})
export class WorkforceActionsModule {}
