import { Module } from '@nestjs/common';
import { AssignmentModule } from '../assignment/assignment.module';
import { SeatsModule } from '../seats/seats.module';
import { ShiftsModule } from '../shifts/shifts.module';
import { AdminActions } from './admin-actions';
import { CommentActions } from './comment-actions';
import { CreationActions } from './creation-actions';
import { EscalationActions } from './escalation-actions';
import { EscalationPoliciesRepository } from './escalation-policies.repository';
import { EscalationSchedule } from './escalation-schedule';
import { IncidentCommands } from './incident-commands';
import { IncidentSettings } from './incident-settings';
import { IncidentsRepository } from './incidents.repository';
import { QueryActions } from './query-actions';
import { SettingsActions } from './settings-actions';
import { ShiftIncidents } from './shift-incidents';
import { TransitionActions } from './transition-actions';

/**
 * Incidents: the incident op groups of the workforce actions API (composed by actions/), the incident
 * reads of REST v1 (`workforce.incident.list.v1`, `.get.v1`), `workforce.incidents` and its settings,
 * policies and escalation schedule. Their INCIDENT_* events go to `workforce.outbox`, relayed by the
 * app module. `ShiftIncidents` registers with shifts/' `ShiftWork`: what a shift's start or end does to
 * the incidents waiting for it or given to it.
 */
@Module({
  imports: [SeatsModule, AssignmentModule, ShiftsModule],
  providers: [
    IncidentCommands,
    IncidentSettings,
    IncidentsRepository,
    CreationActions,
    QueryActions,
    TransitionActions,
    CommentActions,
    AdminActions,
    SettingsActions,
    EscalationPoliciesRepository,
    EscalationSchedule,
    EscalationActions,
    ShiftIncidents,
  ],
  exports: [
    EscalationPoliciesRepository,
    EscalationSchedule,
    IncidentsRepository,
    CreationActions,
    QueryActions,
    TransitionActions,
    CommentActions,
    AdminActions,
    SettingsActions,
    EscalationActions,
  ],
})
export class IncidentsModule {}
