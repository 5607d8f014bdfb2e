import type { Building, DeviceSlot, Level, Page, Property, Zone } from '../registry/registry.types';

/* REST v1 views: the registry entities as camelCase JSON, times in ISO 8601. */

export const propertyView = (p: Property) => ({
  ...p,
  createdOn: p.createdOn.toISOString(),
  updatedOn: p.updatedOn.toISOString(),
});
export const buildingView = (b: Building) => ({
  ...b,
  createdOn: b.createdOn.toISOString(),
  updatedOn: b.updatedOn.toISOString(),
});
export const levelView = (l: Level) => ({
  ...l,
  createdOn: l.createdOn.toISOString(),
  updatedOn: l.updatedOn.toISOString(),
});
export const zoneView = (z: Zone) => ({
  ...z,
  createdOn: z.createdOn.toISOString(),
  updatedOn: z.updatedOn.toISOString(),
});
export const deviceSlotView = (s: DeviceSlot) => ({
  ...s,
  createdOn: s.createdOn.toISOString(),
  updatedOn: s.updatedOn.toISOString(),
});

export function pageView<T, V>(
  page: Page<T>,
  view: (item: T) => V,
): { items: V[]; nextCursor: string | null } {
  return { items: page.items.map(view), nextCursor: page.next ?? null };
}

/** Parses `?limit=`; absent → undefined, anything but a whole number → a clear 400 from the service. */
export function limitParam(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  return /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
}
