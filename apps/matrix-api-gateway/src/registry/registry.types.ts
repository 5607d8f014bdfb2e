/** Registry entities as the application services see them (camelCase; surfaces map them to their wire shapes). */

export type OperatingHours = Record<string, { Start: string; End: string }[]>;

export interface Property {
  propId: string;
  orgId: string;
  name: string;
  typeId: string;
  address: Record<string, unknown> | null;
  timeZone: string;
  country: string | null;
  countryLocale: string | null;
  status: string;
  createdOn: Date;
  updatedOn: Date;
}

export interface Building {
  pid: string;
  propId: string;
  name: string;
  config: Record<string, unknown>;
  operatingHours: OperatingHours | null;
  address: Record<string, unknown> | null;
  coordinates: Record<string, unknown> | null;
  levelsCount: number;
  status: string;
  timeZone: string;
  isBeaconEnabled: boolean;
  isPropertyAddress: boolean;
  country: string | null;
  countryLocale: string | null;
  area: number | null;
  createdBy: string | null;
  createdOn: Date;
  updatedBy: string | null;
  updatedOn: Date;
}

/** What a forwarded call needs of a building: its identity and tenancy, and its zone-map version. */
export interface BuildingHeader {
  pid: string;
  orgId: string;
  propId: string;
  name: string;
  timeZone: string;
  /** `registry.buildings.zone_map_version` as read with the rest (see ZoneMapCache). */
  zoneMapVersion: bigint;
}

export interface Level {
  lid: string;
  pid: string;
  name: string;
  level: string | null;
  area: number | null;
  floorPlan: string | null;
  createdOn: Date;
  updatedOn: Date;
}

export interface Zone {
  insId: string;
  pid: string;
  lid: string;
  name: string;
  area: number | null;
  floorType: string | null;
  beaconId: string | null;
  zoneCategoryId: string | null;
  tags: Record<string, unknown> | null;
  units: Record<string, unknown> | null;
  status: string;
  isBuildingOperatingHours: boolean;
  operatingHours: OperatingHours | null;
  createdOn: Date;
  updatedOn: Date;
}

export interface DeviceSlot {
  alias: string;
  devid: string | null;
  type: string;
  provider: string;
  propId: string;
  orgId: string;
  pid: string;
  lid: string;
  zoneId: string;
  display: string | null;
  conn: string | null;
  params: Record<string, unknown>;
  firmwareVersion: string | null;
  commissioned: boolean;
  unhealthy: boolean;
  requiresHealthCheck: boolean;
  timeZone: string;
  createdBy: string | null;
  createdOn: Date;
  updatedBy: string | null;
  updatedOn: Date;
}

/** A page of a keyset-paginated list: `next` is the key to start after, absent on the last page. */
export interface Page<T> {
  items: T[];
  next?: string;
}

/** A property type: the system's (`orgId` null) or an organisation's own. */
export interface PropertyType {
  typeId: string;
  name: string;
  orgId: string | null;
}

/** A zone category: a property's own, or shared by every property (`propId` null). */
export interface ZoneCategory {
  categoryId: string;
  name: string;
  propertyTypeId: string;
  propId: string | null;
}

/** A unit ("asset") of a zone category in a property, e.g. `DOOR/OPENING`. */
export interface ZoneUnit {
  unitId: string;
  name: string;
  imageUrl: string;
  zoneCategoryId: string;
  propId: string;
}

/** One count of `scgrids.listBuildingMetrics` / `listPropertyMetrics`. */
export interface GridMetric {
  Metric: 'BUILDINGS' | 'LEVELS' | 'ZONES' | 'DEVICE_SLOTS';
  Value: number;
}
