import { Module } from '@nestjs/common';
import { JetStreamOutboxSink } from '@matrix/messaging';
import { OutboxModule } from '@matrix/persistence';
import { WORKFORCE_OUTBOX } from '../workforce-outbox';
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
import { SeatCommands } from './seat-commands';
import { SeatsRepository } from './seats.repository';
import { SettingsActions } from './settings-actions';
import { TransitionActions } from './transition-actions';
import { WorkforceActions } from './workforce-actions';

/**
 * Incidents and seats: the workforce actions command (`workforce.action.call.v1`), the seat commands
 * (`workforce.seat.*.v1`), the incident reads of REST v1 (`workforce.incident.list.v1`, `.get.v1`), the repositories of `workforce.*`, and the relay of `workforce.outbox` to JetStream (the INCIDENT_* events).
 */
@Module({
  imports: [OutboxModule.forRoot({ outbox: WORKFORCE_OUTBOX, sink: JetStreamOutboxSink })],
  providers: [
    IncidentCommands,
    IncidentSettings,
    IncidentsRepository,
    SeatCommands,
    SeatsRepository,
    CreationActions,
    QueryActions,
    TransitionActions,
    CommentActions,
    AdminActions,
    SettingsActions,
    EscalationPoliciesRepository,
    EscalationSchedule,
    EscalationActions,
    WorkforceActions,
  ],
  exports: [EscalationSchedule, IncidentsRepository, SeatsRepository],
})
export class IncidentsModule {}
