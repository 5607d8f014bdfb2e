import { Injectable } from '@nestjs/common';
import type { RegistryAccess } from '../auth/registry-access';
import { BuildingsService } from './buildings.service';
import { PropertiesService } from './properties.service';
import { RegistryDb } from './registry-db';
import type { GridMetric } from './registry.types';

/**
 * The counts of `scgrids.listBuildingMetrics` and `listPropertyMetrics`. The reference knows these ops
 * only from the SDKs ("Gets all metrics (eg count of members) for Building", Python SDK), with no answer
 * shape: here they are the registry's counts of what the building or property holds. Members are
 * incident-service's seats and are not counted here.
 */
@Injectable()
export class GridMetricsService {
  constructor(
    private readonly db: RegistryDb,
    private readonly buildings: BuildingsService,
    private readonly properties: PropertiesService,
  ) {}

  async ofBuilding(access: RegistryAccess, pid: string): Promise<GridMetric[]> {
    await this.buildings.load(access, pid);
    const [row] = await this.db.query<{ levels: number; zones: number; slots: number }>(
      `select (select count(*) from registry.levels where pid = $1)::int as levels,
              (select count(*) from registry.zones where pid = $1)::int as zones,
              (select count(*) from registry.device_slots where pid = $1)::int as slots`,
      [pid],
    );
    return [
      { Metric: 'LEVELS', Value: row!.levels },
      { Metric: 'ZONES', Value: row!.zones },
      { Metric: 'DEVICE_SLOTS', Value: row!.slots },
    ];
  }

  async ofProperty(access: RegistryAccess, propId: string): Promise<GridMetric[]> {
    await this.properties.read(access, propId);
    const [row] = await this.db.query<{ buildings: number; levels: number; zones: number; slots: number }>(
      `with b as (select pid from registry.buildings where prop_id = $1)
       select (select count(*) from b)::int as buildings,
              (select count(*) from registry.levels where pid in (select pid from b))::int as levels,
              (select count(*) from registry.zones where pid in (select pid from b))::int as zones,
              (select count(*) from registry.device_slots where pid in (select pid from b))::int as slots`,
      [propId],
    );
    return [
      { Metric: 'BUILDINGS', Value: row!.buildings },
      { Metric: 'LEVELS', Value: row!.levels },
      { Metric: 'ZONES', Value: row!.zones },
      { Metric: 'DEVICE_SLOTS', Value: row!.slots },
    ];
  }
}
