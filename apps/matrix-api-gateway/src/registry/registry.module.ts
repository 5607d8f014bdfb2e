import { Module } from '@nestjs/common';
import { JetStreamOutboxSink } from '@matrix/messaging';
import { OutboxModule } from '@matrix/persistence';
import { FORWARDED_TARGETS } from '../actions/forwarded-targets';
import { REGISTRY_OUTBOX } from '../outbox/outbox';
import { MediaModule } from '../media/media.module';
import { IdempotencyInterceptor } from '../rest/idempotency.interceptor';
import { BuildingsService } from './buildings.service';
import { CatalogueService } from './catalogue.service';
import { DeviceManagementActions } from './device-management.actions';
import { DeviceSlotsService } from './device-slots.service';
import { RegistryForwardedTargets } from './forwarded-target-resolver';
import { GridMetricsService } from './grid-metrics.service';
import { GridsActions } from './grids.actions';
import { LevelsService } from './levels.service';
import { MediaAttachmentsService } from './media-attachments.service';
import { PropertiesService } from './properties.service';
import { RegistryDb } from './registry-db';
import { RegistryController } from './registry.controller';
import { RemovalsService } from './removals.service';
import { ZoneMapCache } from './zone-map-cache';
import { ZonesService } from './zones.service';

const SERVICES = [
  BuildingsService,
  CatalogueService,
  DeviceSlotsService,
  GridMetricsService,
  LevelsService,
  MediaAttachmentsService,
  PropertiesService,
  RegistryDb,
  RemovalsService,
  ZoneMapCache,
  ZonesService,
];

/**
 * The site registry: its application services (shared with the features built on it), its HTTP faces
 * (REST v1 `RegistryController`; the `scgrids` and `scdevicemanagement` actions modules) and the outbox relay.
 */
@Module({
  imports: [MediaModule, OutboxModule.forRoot({ outbox: REGISTRY_OUTBOX, sink: JetStreamOutboxSink })],
  controllers: [RegistryController],
  providers: [
    ...SERVICES,
    DeviceManagementActions,
    GridsActions,
    IdempotencyInterceptor,
    RegistryForwardedTargets,
    { provide: FORWARDED_TARGETS, useExisting: RegistryForwardedTargets },
  ],
  exports: [...SERVICES, DeviceManagementActions, GridsActions, OutboxModule, FORWARDED_TARGETS],
})
export class RegistryModule {}
