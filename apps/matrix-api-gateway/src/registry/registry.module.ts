import { Module } from '@nestjs/common';
import { JetStreamOutboxSink } from '@matrix/messaging';
import { OutboxModule } from '@matrix/persistence';
import { REGISTRY_OUTBOX } from '../outbox/outbox';
import { BuildingsService } from './buildings.service';
import { DeviceSlotsService } from './device-slots.service';
import { LevelsService } from './levels.service';
import { PropertiesService } from './properties.service';
import { RegistryDb } from './registry-db';
import { RemovalsService } from './removals.service';
import { ZoneMapCache } from './zone-map-cache';
import { ZonesService } from './zones.service';

const SERVICES = [
  BuildingsService,
  DeviceSlotsService,
  LevelsService,
  PropertiesService,
  RegistryDb,
  RemovalsService,
  ZoneMapCache,
  ZonesService,
];

/** The site registry's application services (shared by both HTTP surfaces) and the relay of its outbox. */
@Module({
  imports: [OutboxModule.forRoot({ outbox: REGISTRY_OUTBOX, sink: JetStreamOutboxSink })],
  providers: SERVICES,
  exports: [...SERVICES, OutboxModule],
})
export class RegistryModule {}
