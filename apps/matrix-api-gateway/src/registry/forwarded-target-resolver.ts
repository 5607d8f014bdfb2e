import { Injectable } from '@nestjs/common';
import type { ActionPropertyV1 } from '@matrix/contracts';
import type { RegistryAccess } from '../auth/registry-access';
import type { ForwardedTargetResolver, ForwardedTargets } from '../actions/forwarded-targets';
import { BuildingsService } from './buildings.service';
import { PropertiesService } from './properties.service';
import { notFound } from './registry-error';
import { ZonesService } from './zones.service';

/**
 * The registry's answer to "which building and zones does this forwarded call touch": the building the
 * caller may see (NOT_FOUND otherwise, as for any registry read) and each named zone of it (NOT_FOUND for
 * one that is not in the building). The owning service (incident-service) never reads `registry.*`.
 */
@Injectable()
export class RegistryForwardedTargets implements ForwardedTargetResolver {
  constructor(
    private readonly buildings: BuildingsService,
    private readonly zones: ZonesService,
    private readonly properties: PropertiesService,
  ) {}

  async property(access: RegistryAccess, propId: string): Promise<ActionPropertyV1> {
    const property = await this.properties.read(access, propId);
    return { org: property.orgId, propId: property.propId };
  }

  async resolve(
    access: RegistryAccess,
    org: string,
    pid: string,
    zoneIds: readonly string[],
  ): Promise<ForwardedTargets> {
    const building = await this.buildings.load(access, pid);
    const zones = zoneIds.length > 0 ? await this.zones.listByIds(access, pid, [...zoneIds]) : [];
    const missing = zoneIds.find((id) => !zones.some((zone) => zone.insId === id));
    if (missing !== undefined) throw notFound('zone', missing);
    return {
      building: { pid, org, propId: building.propId, name: building.name, timeZone: building.timeZone },
      zones: Object.fromEntries(
        zones.map((zone) => [zone.insId, { name: zone.name, categoryId: zone.zoneCategoryId }]),
      ),
    };
  }
}
