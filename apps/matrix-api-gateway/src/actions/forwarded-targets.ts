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
 * The zone ids an op's arguments name at `paths`: each path's keys matched without regard to case (the
 * documented bodies spell `zoneId`, `ZoneID`, `ZoneId`); only non-empty strings count (any other value
 * is the owner's to refuse). A segment may end in `[]` (every element of a list: `Schedule[].taskGroup[].Zone`)
 * or be `*` (every value of a map); a path may end in `{}` (the keys of a map: `Schedule[].shift.Zones{}`
 * for `Zones: {<zoneId>: <name>}`).
 */
export function zoneIdsAt(args: Record<string, unknown>, paths: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const path of paths) {
    const keysOfMap = path.endsWith('{}');
    const segments = (keysOfMap ? path.slice(0, -2) : path).split('.');
    for (const value of walk([args], segments)) {
      if (keysOfMap) {
        if (isMap(value)) for (const key of Object.keys(value)) if (key !== '') ids.add(key);
      } else if (typeof value === 'string' && value !== '') ids.add(value);
    }
  }
  return [...ids];
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function walk(values: unknown[], segments: readonly string[]): unknown[] {
  let current = values;
  for (const segment of segments) {
    const next: unknown[] = [];
    const list = segment.endsWith('[]');
    const key = (list ? segment.slice(0, -2) : segment).toLowerCase();
    for (const value of current) {
      if (!isMap(value)) continue;
      const found =
        key === '*'
          ? Object.values(value)
          : [Object.entries(value).find(([k, v]) => k.toLowerCase() === key && v !== null)?.[1]];
      for (const item of found) {
        if (!list) next.push(item);
        else if (Array.isArray(item)) next.push(...(item as unknown[]));
      }
    }
    current = next;
  }
  return current;
}
