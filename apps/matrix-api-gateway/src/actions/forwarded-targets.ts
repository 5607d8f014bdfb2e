import type { ActionBuildingV1, ActionPropertyV1, ActionZoneV1 } from '@matrix/contracts';
import type { RegistryAccess } from '../auth/registry-access';

/** What the gateway tells a forwarded module's owner about the building and zones of a call. */
export interface ForwardedTargets {
  building: ActionBuildingV1;
  zones: Record<string, ActionZoneV1>;
}

/**
 * Resolves the building (`pid`) of a forwarded call and the zones its arguments name, checking that
 * the caller may see the building: NOT_FOUND (a DomainError) for an unknown building, another tenant's,
 * or a zone that is not in the building. Provided by the registry (`FORWARDED_TARGETS`).
 */
export interface ForwardedTargetResolver {
  resolve(
    access: RegistryAccess,
    org: string,
    pid: string,
    zoneIds: readonly string[],
  ): Promise<ForwardedTargets>;
  /** The property a call without a building names, if the caller may see it (NOT_FOUND otherwise). */
  property(access: RegistryAccess, propId: string): Promise<ActionPropertyV1>;
}

export const FORWARDED_TARGETS = Symbol('FORWARDED_TARGETS');

/**
 * The zone ids an op's arguments name at `paths` (`zoneId`, `Incident.Zone`): each path's keys matched
 * without regard to case (the documented bodies spell `zoneId`, `ZoneID`, `ZoneId`); only non-empty
 * strings count (any other value is the owner's to refuse).
 */
export function zoneIdsAt(args: Record<string, unknown>, paths: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const path of paths) {
    let value: unknown = args;
    for (const key of path.split('.')) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        value = undefined;
        break;
      }
      const lower = key.toLowerCase();
      value = Object.entries(value).find(([k, v]) => k.toLowerCase() === lower && v !== null)?.[1];
    }
    if (typeof value === 'string' && value !== '') ids.add(value);
  }
  return [...ids];
}
