import type { Building, DeviceSlot, Level, Property, Zone } from './registry.types';

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
