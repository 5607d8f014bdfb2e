import { Module } from '@nestjs/common';
import { SeatsModule } from '../seats/seats.module';
import { ShiftsModule } from '../shifts/shifts.module';
import { AttendanceActions } from './attendance-actions';
import { AttendanceIntegrationsRepository } from './attendance-integrations.repository';

/**
 * The attendance module of the Matrix actions API (`attendance`, ops `scattendance.*`): third-party
 * integrations (`workforce.attendance_integrations`) and their clock events, applied to shifts through
 * the shift ops of shifts/. Its own command (`attendance.action.call.v1`), beside the workforce one.
 */
@Module({
  imports: [SeatsModule, ShiftsModule],
  providers: [AttendanceActions, AttendanceIntegrationsRepository],
})
export class AttendanceModule {}
