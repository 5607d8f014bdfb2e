import { Module } from '@nestjs/common';
import { OutboxRelay } from '../outbox/outbox-relay';
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

/** The site registry's application services (shared by both HTTP surfaces) and the outbox relay. */
@Module({
  providers: [...SERVICES, OutboxRelay],
  exports: [...SERVICES, OutboxRelay],
})
export class RegistryModule {}
