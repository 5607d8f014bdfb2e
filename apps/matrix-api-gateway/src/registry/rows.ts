import type { Building, DeviceSlot, Level, Property, Zone } from './registry.types';

/* Row → entity mappers for the registry's SQL (column names are snake_case). */

type Row = Record<string, unknown>;
const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));

export function toProperty(r: Row): Property {
  return {
    propId: r['prop_id'] as string,
    orgId: r['org_id'] as string,
    name: r['name'] as string,
    typeId: r['type_id'] as string,
    address: (r['address'] as Property['address']) ?? null,
    timeZone: r['time_zone'] as string,
    country: (r['country'] as string) ?? null,
    countryLocale: (r['country_locale'] as string) ?? null,
    status: r['status'] as string,
    createdOn: r['created_on'] as Date,
    updatedOn: r['updated_on'] as Date,
  };
}

export function toBuilding(r: Row): Building {
  return {
    pid: r['pid'] as string,
    propId: r['prop_id'] as string,
    name: r['name'] as string,
    config: (r['config'] as Building['config']) ?? {},
    operatingHours: (r['operating_hours'] as Building['operatingHours']) ?? null,
    address: (r['address'] as Building['address']) ?? null,
    coordinates: (r['coordinates'] as Building['coordinates']) ?? null,
    levelsCount: Number(r['levels_count']),
    status: r['status'] as string,
    timeZone: r['time_zone'] as string,
    isBeaconEnabled: Boolean(r['is_beacon_enabled']),
    isPropertyAddress: Boolean(r['is_property_address']),
    country: (r['country'] as string) ?? null,
    countryLocale: (r['country_locale'] as string) ?? null,
    area: num(r['area']),
    createdBy: (r['created_by'] as string) ?? null,
    createdOn: r['created_on'] as Date,
    updatedBy: (r['updated_by'] as string) ?? null,
    updatedOn: r['updated_on'] as Date,
  };
}

export function toLevel(r: Row): Level {
  return {
    lid: r['lid'] as string,
    pid: r['pid'] as string,
    name: r['name'] as string,
    level: (r['level'] as string) ?? null,
    area: num(r['area']),
    floorPlan: (r['floor_plan'] as string) ?? null,
    createdOn: r['created_on'] as Date,
    updatedOn: r['updated_on'] as Date,
  };
}

export function toZone(r: Row): Zone {
  return {
    insId: r['ins_id'] as string,
    pid: r['pid'] as string,
    lid: r['lid'] as string,
    name: r['name'] as string,
    area: num(r['area']),
    floorType: (r['floor_type'] as string) ?? null,
    beaconId: (r['beacon_id'] as string) ?? null,
    zoneCategoryId: (r['zone_category_id'] as string) ?? null,
    tags: (r['tags'] as Zone['tags']) ?? null,
    units: (r['units'] as Zone['units']) ?? null,
    status: r['status'] as string,
    isBuildingOperatingHours: Boolean(r['is_building_operating_hours']),
    operatingHours: (r['operating_hours'] as Zone['operatingHours']) ?? null,
    createdOn: r['created_on'] as Date,
    updatedOn: r['updated_on'] as Date,
  };
}

export function toDeviceSlot(r: Row): DeviceSlot {
  return {
    alias: r['alias'] as string,
    devid: (r['devid'] as string) ?? null,
    type: r['type'] as string,
    provider: r['provider'] as string,
    propId: r['prop_id'] as string,
    orgId: r['org_id'] as string,
    pid: r['pid'] as string,
    lid: r['lid'] as string,
    zoneId: r['zone_id'] as string,
    display: (r['display'] as string) ?? null,
    conn: (r['conn'] as string) ?? null,
    params: (r['params'] as DeviceSlot['params']) ?? {},
    firmwareVersion: (r['firmware_version'] as string) ?? null,
    commissioned: Boolean(r['commissioned']),
    unhealthy: Boolean(r['unhealthy']),
    requiresHealthCheck: Boolean(r['requires_health_check']),
    timeZone: r['time_zone'] as string,
    createdBy: (r['created_by'] as string) ?? null,
    createdOn: r['created_on'] as Date,
    updatedBy: (r['updated_by'] as string) ?? null,
    updatedOn: r['updated_on'] as Date,
  };
}
