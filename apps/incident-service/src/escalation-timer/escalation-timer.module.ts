import { Module, type DynamicModule } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import {
  ESCALATION_TIMER_OPTIONS,
  EscalationSweeper,
  type EscalationTimerOptions,
} from './escalation-sweeper';

/** The durable escalation timer: the leader's sweeper over `workforce.incidents.escalate_at`. */
@Module({})
export class EscalationTimerModule {
  static forRoot(options: EscalationTimerOptions): DynamicModule {
    return {
      module: EscalationTimerModule,
      imports: [IncidentsModule],
      providers: [{ provide: ESCALATION_TIMER_OPTIONS, useValue: options }, EscalationSweeper],
      exports: [EscalationSweeper],
    };
  }
}
