import { Module } from '@nestjs/common';
import { PrincipalDirectory } from '@matrix/messaging';
import { IncidentsModule } from '../incidents/incidents.module';
import { SolutionSensorDataHandler } from './sensor-data.handler';
import { SolutionActions } from './solution-actions';
import { SolutionsLeadership } from './solutions-leadership';
import { SolutionsRepository } from './solutions.repository';
import { SolutionsService } from './solutions.service';

/**
 * Incidents raised from sensor data, the Matrix "solutions" (docs/solutions.md): the consumer of the
 * readings they watch, the rules and their durable state, and the ops of their settings (composed by
 * actions/). Raises incidents through incidents/' repository; nothing imports this module but actions/ and
 * the app.
 */
@Module({
  imports: [IncidentsModule],
  providers: [
    PrincipalDirectory,
    SolutionsLeadership,
    SolutionsRepository,
    SolutionsService,
    SolutionSensorDataHandler,
    SolutionActions,
  ],
  exports: [SolutionActions],
})
export class SolutionsModule {}
