import { Module, type DynamicModule } from '@nestjs/common';
import { ShiftsModule } from '../shifts/shifts.module';
import { SHIFT_TIMER_OPTIONS, ShiftSweeper, type ShiftTimerOptions } from './shift-sweeper';

/** The durable shift timer: the leader's sweeper over `workforce.shifts.timer_at`. */
@Module({})
export class ShiftTimerModule {
  static forRoot(options: ShiftTimerOptions): DynamicModule {
    return {
      module: ShiftTimerModule,
      imports: [ShiftsModule],
      providers: [{ provide: SHIFT_TIMER_OPTIONS, useValue: options }, ShiftSweeper],
      exports: [ShiftSweeper],
    };
  }
}
