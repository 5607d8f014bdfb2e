import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { IdempotencyInterceptor } from '../rest/idempotency.interceptor';
import { AvailabilityController } from './availability.controller';
import { AvailabilityService } from './availability.service';
import { ShiftsController } from './shifts.controller';
import { ShiftsService } from './shifts.service';
import { SolutionsController } from './solutions.controller';
import { SolutionsService } from './solutions.service';
import { TaskGroupsController, ZoneWorkController } from './task-groups.controller';
import { TaskGroupsService } from './task-groups.service';
import { WorkforceClient } from './workforce-client';

/**
 * REST v1 for the working day (issue 13): shifts, their task groups and seat availability, each route
 * one documented `scteams.*` op forwarded to incident-service; and the settings of a building's
 * solutions (issue 14), through incident-service's own solution-settings ops.
 */
@Module({
  imports: [RegistryModule],
  controllers: [
    ShiftsController,
    AvailabilityController,
    TaskGroupsController,
    ZoneWorkController,
    SolutionsController,
  ],
  providers: [
    IdempotencyInterceptor,
    WorkforceClient,
    ShiftsService,
    AvailabilityService,
    TaskGroupsService,
    SolutionsService,
  ],
})
export class WorkforceModule {}
