import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { SeatsModule } from '../seats/seats.module';
import { TaskChangeActions } from './task-change-actions';
import { TaskMetricsActions } from './task-metrics-actions';
import { TaskQueryActions } from './task-query-actions';
import { TaskTransitionActions } from './task-transition-actions';
import { TasksRepository } from './tasks.repository';

/**
 * Task groups and tasks: the task op groups of the workforce actions API (composed by actions/) over
 * `workforce.task_groups` — whose rows the shift ops write with their shifts — and the incidents
 * assigned to a seat or shift (started and ended through the incident lifecycle). Their TASK_* events go
 * to `workforce.outbox`, relayed by the app module; TASK_INCOMPLETE is the task timer's (src/task-timer/).
 */
@Module({
  imports: [IncidentsModule, SeatsModule],
  providers: [
    TasksRepository,
    TaskChangeActions,
    TaskMetricsActions,
    TaskQueryActions,
    TaskTransitionActions,
  ],
  exports: [TasksRepository, TaskChangeActions, TaskMetricsActions, TaskQueryActions, TaskTransitionActions],
})
export class TasksModule {}
