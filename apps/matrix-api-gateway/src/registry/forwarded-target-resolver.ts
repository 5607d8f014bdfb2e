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
 *
 * One query per call on a warm cache: the building's tenancy and zone-map version (shared by concurrent
 * calls for the building, {@link BuildingsService.header}); the zones come from the replica's zone map
 * cache at that version or later, so a zone change committed through any replica is seen by the next call.
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
    const building = await this.buildings.header(access, pid);
    const zones = await this.zones.named(building, zoneIds);
    const missing = zoneIds.find((id) => !zones.some((zone) => zone.insId === id));
    if (missing !== undefined) throw notFound('zone', missing);
    return {
      building: { pid, org, propId: building.propId, name: building.name, timeZone: building.timeZone },
      zones: Object.fromEntries(
        zones.map((zone) => [zone.insId, { name: zone.name, categoryId: zone.categoryId }]),
      ),
    };
  }
}
