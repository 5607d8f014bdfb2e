import { Module, type DynamicModule } from '@nestjs/common';
import { JetStreamOutboxSink, MessagingModule } from '@matrix/messaging';
import { OutboxModule, PersistenceModule } from '@matrix/persistence';
import { PlatformModule } from '@matrix/platform';
import { WorkforceActionsModule } from './actions/workforce-actions.module';
import { AttendanceModule } from './attendance/attendance.module';
import { ClockModule } from './clock/clock.module';
import type { IncidentServiceConfig } from './config/incident-service.config';
import { EscalationTimerModule } from './escalation-timer/escalation-timer.module';
import { IncidentsModule } from './incidents/incidents.module';
import { persistenceOptions } from './persistence-options';
import { ShiftTimerModule } from './shift-timer/shift-timer.module';
import { TaskTimerModule } from './task-timer/task-timer.module';
import { WORKFORCE_OUTBOX } from './workforce-outbox';

@Module({})
export class AppModule {
  static forRoot(config: IncidentServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AttendanceModule,
        ClockModule.forRoot(config.clock),
        EscalationTimerModule.forRoot(config.escalation),
        MessagingModule.forRoot({ ...config.nats, name: config.service }),
        PersistenceModule.forRoot(persistenceOptions(config)),
        PlatformModule.forRoot({ service: config.service, logLevel: config.logLevel }),
        // The shift and task timers sweep at the escalation timer's period (ESCALATION_SWEEP_MS).
        ShiftTimerModule.forRoot({ sweepMs: config.escalation.sweepMs }),
        TaskTimerModule.forRoot({ sweepMs: config.escalation.sweepMs }),
        IncidentsModule,
        WorkforceActionsModule,
        // One relay of `workforce.outbox` for every domain that writes events to it (ADR-13).
        OutboxModule.forRoot({ outbox: WORKFORCE_OUTBOX, sink: JetStreamOutboxSink }),
      ],
    };
  }
}
