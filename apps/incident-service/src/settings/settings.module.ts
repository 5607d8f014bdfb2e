import { Module } from '@nestjs/common';
import { IncidentSettings } from '../incidents/incident-settings';
import { ShiftsModule } from '../shifts/shifts.module';
import { ScheduleSettingsActions } from './schedule-settings-actions';
import { SettingsRepository } from './settings.repository';
import { ShiftHoursActions } from './shift-hours-actions';
import { ShiftHoursRepository } from './shift-hours.repository';

/**
 * Workforce settings: the schedule-settings, new-system-settings and shift-hours op groups of the
 * workforce actions API (composed by actions/), `workforce.schedule_settings` (read by shifts/'
 * `ShiftSettings.of`) and `workforce.property_shift_hours`. Publishes no event. `IncidentSettings` is a
 * stateless reader of `workforce.incident_settings`, provided here as well for the new-system-settings ops.
 */
@Module({
  imports: [ShiftsModule],
  providers: [
    IncidentSettings,
    ScheduleSettingsActions,
    SettingsRepository,
    ShiftHoursActions,
    ShiftHoursRepository,
  ],
  exports: [ScheduleSettingsActions, ShiftHoursActions],
})
export class SettingsModule {}
