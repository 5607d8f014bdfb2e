import type {
  Building,
  DeviceSlot,
  Level,
  Property,
  PropertyType,
  Zone,
  ZoneCategory,
  ZoneUnit,
} from './registry.types';

/* Registry entities in the documented Matrix shapes (reference Appendix A, §3.3): PascalCase keys,
 * epoch seconds. Absent optional values are left out, as the documented examples do. */

const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== null && value !== undefined),
  );
}

export function matrixProperty(p: Property): Record<string, unknown> {
  return compact({
    OrgId: p.orgId,
    PropId: p.propId,
    Name: p.name,
    Address: p.address,
    TypeID: p.typeId,
    Status: p.status,
    TimeZone: p.timeZone,
    Country: p.country,
    CountryLocale: p.countryLocale,
  });
}

/**
 * `scgrids.readPropertyCollaboration` (reference Appendix A, §7.1): the property's organisation
 * collaboration record. Organisations do not collaborate on a property here, so the one record is the
 * owner's own: `OrgId` = `OwnerOrgId`, every module (`["*"]`), `Accepted`. The SRN leaves out the
 * country and city the documented example carries (the registry has no such codes), as the workforce
 * SRNs of the reference do (`srn:sctasks:HELIX:::…`).
 */
export function matrixCollaboration(p: Property): Record<string, unknown> {
  return {
    ID: `SCOrgs#${p.orgId}`,
    ATTR: `attr#projects#${p.orgId}`,
    Modules: ['*'],
    Status: 'Accepted',
    OrgId: p.orgId,
    OwnerOrgId: p.orgId,
    PropId: p.propId,
    SUB1: p.propId,
    NS: 'ORG_COLLABORATORS',
    SRN: `srn:scorgs:${p.orgId}:::${p.propId}:ORG_COLLABORATORS:${p.orgId}/${p.propId}`,
    CreatedOn: epoch(p.createdOn),
  };
}

export const matrixPropertyType = (t: PropertyType) => ({ Name: t.name, TypeID: t.typeId });

export const matrixZoneCategory = (c: ZoneCategory) => ({
  Name: c.name,
  PropertyTypeID: c.propertyTypeId,
  CategoryID: c.categoryId,
});

export const matrixZoneUnit = (u: ZoneUnit) => ({
  Name: u.name,
  ImageURL: u.imageUrl,
  ZoneCategoryID: u.zoneCategoryId,
  UnitID: u.unitId,
});

export function matrixBuilding(b: Building): Record<string, unknown> {
  return compact({
    PropId: b.propId,
    PID: b.pid,
    Config: b.config,
    OperatingHours: b.operatingHours,
    Coordinates: b.coordinates ?? {},
    Name: b.name,
    Address: b.address,
    LevelsCount: b.levelsCount,
    Status: b.status,
    TimeZone: b.timeZone,
    IsBeaconEnabled: b.isBeaconEnabled,
    IsPropertyAddress: b.isPropertyAddress,
    Country: b.country,
    CountryLocale: b.countryLocale,
    Area: b.area,
    CreatedBy: b.createdBy,
    CreatedOn: epoch(b.createdOn),
    UpdatedBy: b.updatedBy,
    UpdatedOn: epoch(b.updatedOn),
  });
}

export function matrixLevel(l: Level): Record<string, unknown> {
  return compact({
    Name: l.name,
    Level: l.level,
    Area: l.area,
    FloorPlan: l.floorPlan,
    LID: l.lid,
    PID: l.pid,
  });
}

export function matrixZone(z: Zone): Record<string, unknown> {
  return compact({
    InsID: z.insId,
    LID: z.lid,
    PID: z.pid,
    BeaconID: z.beaconId,
    ZoneCategoryID: z.zoneCategoryId ?? '',
    Name: z.name,
    Area: z.area,
    FloorType: z.floorType,
    Tags: z.tags,
    Units: z.units,
    Status: z.status,
    IsBuildingOperatingHours: z.isBuildingOperatingHours,
    OperatingHours: z.operatingHours,
    CreatedOn: epoch(z.createdOn),
  });
}

/** The device-slot record of `scdevicemanagement.getDeviceSlots` (reference §3.3). */
export function matrixDeviceSlot(s: DeviceSlot): Record<string, unknown> {
  return {
    ID: `SCDevices#${s.pid}`,
    ATTR: `attr#devices#info#${s.alias}`,
    NS: 'DEVICE_INFO_GENERAL',
    Alias: s.alias,
    Devid: s.devid ?? '',
    Type: s.type,
    PartnerId: s.provider,
    ProviderOrg: s.provider,
    Org: s.orgId,
    PropId: s.propId,
    PID: s.pid,
    LID: s.lid,
    ZoneId: s.zoneId,
    Display: s.display ?? '',
    Conn: s.conn ?? '',
    Params: s.params,
    FirmwareVersion: s.firmwareVersion ?? '',
    Commissioned: s.commissioned ? 1 : 0,
    DeviceNotAssociated: s.devid ? 0 : 1,
    Unhealthy: s.unhealthy ? 1 : 0,
    RequiresHealthCheck: s.requiresHealthCheck ? 1 : 0,
    RequiresOnDeviceConfiguration: 0,
    RequiresParamsConfiguration: Object.keys(s.params).length === 0 ? 1 : 0,
    ParamsNotConfigured: Object.keys(s.params).length === 0 ? 1 : 0,
    ParamsOnDeviceNotConfigured: 0,
    SRN: `srn:scdevices:${s.orgId}:::${s.propId}/${s.pid}:DEVICE_INFO_GENERAL:${s.alias}`,
    TZ: s.timeZone,
    CreatedBy: s.createdBy ?? '',
    CreatedOn: epoch(s.createdOn),
    UpdatedBy: s.updatedBy ?? '',
    UpdatedOn: epoch(s.updatedOn),
  };
}

/** What sensor-normaliser needs to enrich a reading from its alias: the DEVICE_SLOTS KV value. */
export function directoryEntry(s: DeviceSlot): Record<string, unknown> {
  return {
    Alias: s.alias,
    DevType: s.type,
    Provider: s.provider,
    Org: s.orgId,
    PropId: s.propId,
    PID: s.pid,
    LID: s.lid,
    InsID: s.zoneId,
    Display: s.display,
    Region: s.timeZone,
    Devid: s.devid,
    UpdatedOn: s.updatedOn.toISOString(),
  };
}
