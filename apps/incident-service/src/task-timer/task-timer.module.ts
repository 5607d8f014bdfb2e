import { Module, type DynamicModule } from '@nestjs/common';
import { ShiftSettings } from '../shifts/shift-settings';
import { TasksModule } from '../tasks/tasks.module';
import { TASK_TIMER_OPTIONS, TaskIncompleteSweeper, type TaskTimerOptions } from './task-incomplete-sweeper';

/** The durable TASK_INCOMPLETE timer: the leader's sweeper over `workforce.task_groups.incomplete_at`. */
@Module({})
export class TaskTimerModule {
  static forRoot(options: TaskTimerOptions): DynamicModule {
    return {
      module: TaskTimerModule,
      imports: [TasksModule],
      providers: [{ provide: TASK_TIMER_OPTIONS, useValue: options }, ShiftSettings, TaskIncompleteSweeper],
      exports: [TaskIncompleteSweeper],
    };
  }
}
