import { Injectable } from '@nestjs/common';
import { BuildingsService } from './buildings.service';
import { CatalogueService } from './catalogue.service';
import { GridMetricsService } from './grid-metrics.service';
import { LevelsService } from './levels.service';
import { MediaAttachmentsService } from './media-attachments.service';
import { mediaActions } from './media.actions';
import {
  matrixBuilding,
  matrixCollaboration,
  matrixLevel,
  matrixProperty,
  matrixPropertyType,
  matrixZone,
  matrixZoneCategory,
  matrixZoneUnit,
} from './matrix-shapes';
import { PropertiesService } from './properties.service';
import { RegistryError } from './registry-error';
import { ZonesService } from './zones.service';
import { ActionError } from '../actions/action-error';
import type { ActionDefinition, ActionRequest, LocalActionModule } from '../actions/action.types';
import { CaselessBody } from '../actions/caseless-body';
import { camelBody } from '../actions/matrix-keys';

export interface GridsServices {
  properties: PropertiesService;
  buildings: BuildingsService;
  levels: LevelsService;
  zones: ZonesService;
  catalogue: CatalogueService;
  metrics: GridMetricsService;
  media: MediaAttachmentsService;
}

const text = (body: Record<string, unknown>, key: string, required = true): string | undefined => {
  const value = body[key];
  if (value === undefined || value === '') {
    if (required) throw new ActionError('MISSING_PARAMETERS', `Missing ${key} in the body`);
    return undefined;
  }
  if (typeof value !== 'string') throw new ActionError('WRONG_PARAMETERS', `${key} must be a string`);
  return value;
};

const list = (body: Record<string, unknown>, key: string, required = true): string[] => {
  const value = body[key];
  if (value === undefined) {
    if (required) throw new ActionError('MISSING_PARAMETERS', `Missing ${key} in the body`);
    return [];
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new ActionError('WRONG_PARAMETERS', `${key} must be a list of strings`);
  }
  return value as string[];
};

/** `ESK` (and its long form `ExclusiveStartKey`) is the last id of the previous page; `LEK` the last of this one. */
const esk = (body: Record<string, unknown>) =>
  text(body, 'ESK', false) ?? text(body, 'ExclusiveStartKey', false);
const eskCursor = (value: string | undefined) =>
  value ? Buffer.from(value).toString('base64url') : undefined;
const lek = (next: string | undefined) =>
  next ? { LEK: Buffer.from(next, 'base64url').toString('utf8') } : {};

const propertyOf = (request: ActionRequest) => request.propid ?? request.access.propId ?? '';

/**
 * An input of the ops added for issue 16 (`Name`, `CategoryID`, …) read case-tolerantly (the Java SDK's
 * Jackson may write `categoryID`) into the registry's camelCase fields; a refusal names the fields as
 * the reference spells them (`CategoryID: must be …`, `TimeZone: is required`), not as the registry does.
 */
async function matrixInput<T>(
  body: Record<string, unknown>,
  fields: Record<string, string>,
  create: (input: Record<string, unknown>) => Promise<T>,
): Promise<T> {
  const caseless = new CaselessBody(body);
  const input = Object.fromEntries(
    Object.entries(fields).map(([camel, pascal]) => [camel, caseless.get(pascal)]),
  );
  try {
    return await create(input);
  } catch (error) {
    if (!(error instanceof RegistryError) || error.code !== 'INVALID') throw error;
    const rename = (detail: string) => detail.replace(/^(\w+)(?=: )/, (camel) => fields[camel] ?? camel);
    const details = error.details.map(rename);
    throw new RegistryError('INVALID', details.join('; ') || error.message, details);
  }
}

const PROPERTY_FIELDS = {
  name: 'Name',
  typeId: 'TypeID',
  address: 'Address',
  timeZone: 'TimeZone',
  country: 'Country',
  countryLocale: 'CountryLocale',
};
const PROPERTY_UPDATE_FIELDS = { name: 'Name', status: 'Status' };
const PROPERTY_TYPE_FIELDS = { name: 'Name', typeId: 'TypeID' };
const ZONE_CATEGORY_FIELDS = { name: 'Name', categoryId: 'CategoryID', propertyTypeId: 'PropertyTypeID' };
const ZONE_UNIT_FIELDS = {
  name: 'Name',
  unitId: 'UnitID',
  imageUrl: 'ImageURL',
  zoneCategoryId: 'ZoneCategoryID',
};

/** The `scgrids` ops (reference §4.3, Appendix A). */
export function gridsActions(s: GridsServices): Record<string, ActionDefinition> {
  const grids = (
    target: ActionDefinition['target'],
    handle: ActionDefinition['handle'],
  ): ActionDefinition => ({
    module: 'scgrids',
    target,
    handle,
  });
  const zoneUnitsByCategory = grids('propid', async (r) => {
    const category = new CaselessBody(r.body).text('ZoneCategoryID', true);
    return {
      data: (await s.catalogue.listZoneUnits(r.access, propertyOf(r), category)).map(matrixZoneUnit),
    };
  });
  return {
    'scgrids.listProperties': grids('none', async ({ access }) => ({
      data: (await s.properties.list(access)).map(matrixProperty),
    })),
    'scgrids.listOwnerOrgProperties': grids('none', async ({ access, body }) => {
      const type = text(body, 'PropTypeID', false);
      const properties = await s.properties.list(access);
      return { data: properties.filter((p) => !type || p.typeId === type).map(matrixProperty) };
    }),
    'scgrids.readProperty': grids('propid', async (r) => ({
      data: matrixProperty(await s.properties.read(r.access, propertyOf(r))),
    })),
    'scgrids.listBuildingsByProperty': grids('propid', async (r) => ({
      data: (await s.buildings.listByProperty(r.access, propertyOf(r))).map(matrixBuilding),
    })),
    'scgrids.readBuilding': grids('pid', async ({ access, pid }) => ({
      data: matrixBuilding(await s.buildings.load(access, pid)),
    })),
    'scgrids.readBuildings': grids('none', async ({ access, body }) => ({
      data: (await s.buildings.readMany(access, list(body, 'PIDs'))).map(matrixBuilding),
    })),
    'scgrids.createBuilding': grids('propid', async (r) => {
      const building = await s.buildings.create(
        r.access,
        propertyOf(r),
        camelBody(r.body, ['PropID', 'PropId']),
      );
      return { status: 201, message: 'Successfully created the project!', data: matrixBuilding(building) };
    }),
    'scgrids.updateBuilding': grids('pid', async ({ access, pid, body }) => ({
      data: matrixBuilding(await s.buildings.update(access, pid, camelBody(body))),
    })),
    'scgrids.listLevelsByBuilding': grids('pid', async ({ access, pid }) => ({
      data: (await s.levels.listByBuilding(access, pid)).map(({ lid, name, level, area }) => ({
        Name: name,
        Level: level,
        Area: area ?? undefined,
        LID: lid,
      })),
    })),
    'scgrids.readLevel': grids('pid', async ({ access, pid, body }) => ({
      data: matrixLevel(await s.levels.read(access, pid, text(body, 'LID')!)),
    })),
    'scgrids.createLevel': grids('pid', async ({ access, pid, body }) => {
      const level = await s.levels.create(access, pid, camelBody(body));
      return {
        status: 201,
        message: 'Successfully created the level!',
        data: { Name: level.name, FloorPlan: level.floorPlan ?? undefined, LID: level.lid },
      };
    }),
    'scgrids.updateLevel': grids('pid', async ({ access, pid, body }) => {
      const level = await s.levels.update(access, pid, text(body, 'LID')!, camelBody(body, ['LID']));
      return { data: matrixLevel(level) };
    }),
    'scgrids.buildingZoneMap': grids('pid', async ({ access, pid, body }) => {
      const cursor = eskCursor(esk(body));
      return {
        serialised: (envelope) =>
          s.zones.zoneMapJson(access, pid, cursor, undefined, 'scgrids.buildingZoneMap', (page) =>
            envelope({
              data: Object.fromEntries(page.items.map((z) => [z.insId, z.name])),
              extra: lek(page.next),
            }),
          ),
      };
    }),
    'scgrids.listZonesByBuilding': grids('pid', async ({ access, pid, body }) => {
      const page = await s.zones.listByBuilding(access, pid, eskCursor(esk(body)));
      return { data: page.items.map(matrixZone), extra: lek(page.next) };
    }),
    'scgrids.listZonesByLevel': grids('pid', async ({ access, pid, body }) => {
      const page = await s.zones.listByLevel(
        access,
        pid,
        text(body, 'LID')!,
        list(body, 'ZoneCategoryIDs', false),
        eskCursor(esk(body)),
      );
      return { data: page.items.map(matrixZone), extra: lek(page.next) };
    }),
    'scgrids.listZonesByIDs': grids('pid', async ({ access, pid, body }) => ({
      data: (await s.zones.listByIds(access, pid, list(body, 'InsIDs'))).map(matrixZone),
    })),
    'scgrids.readZone': grids('pid', async ({ access, pid, body }) => ({
      data: matrixZone(await s.zones.read(access, pid, text(body, 'InsID')!)),
    })),
    'scgrids.createZone': grids('pid', async ({ access, pid, body }) => {
      const zones = body['Zone'];
      if (zones === undefined) throw new ActionError('MISSING_PARAMETERS', 'Missing Zone in the body');
      if (!Array.isArray(zones)) throw new ActionError('WRONG_PARAMETERS', 'Zone must be a list of zones');
      const input = zones.map((zone) =>
        typeof zone === 'object' && zone !== null ? camelBody(zone as Record<string, unknown>) : zone,
      );
      const created = await s.zones.create(access, pid, { zones: input });
      return { status: 201, data: created.map(matrixZone) };
    }),
    'scgrids.updateZone': grids('pid', async ({ access, pid, body }) => ({
      data: matrixZone(await s.zones.update(access, pid, text(body, 'InsID')!, camelBody(body, ['InsID']))),
    })),
    'scgrids.deleteZone': grids('pid', async ({ access, pid, body }) => ({
      message: 'Successfully removed the zone',
      data: matrixZone(await s.zones.remove(access, pid, text(body, 'InsID')!)),
    })),
    'scgrids.readPropertyByBuilding': grids('pid', async ({ access, pid }) => {
      const building = await s.buildings.load(access, pid);
      return { data: matrixProperty(await s.properties.read(access, building.propId)) };
    }),
    'scgrids.readPropertyCollaboration': grids('propid', async (r) => ({
      data: matrixCollaboration(await s.properties.read(r.access, propertyOf(r))),
    })),
    'scgrids.listBuildingMetrics': grids('pid', async ({ access, pid }) => ({
      data: await s.metrics.ofBuilding(access, pid),
    })),
    'scgrids.listPropertyMetrics': grids('propid', async (r) => ({
      data: await s.metrics.ofProperty(r.access, propertyOf(r)),
    })),
    'scgrids.updateProperty': grids('propid', async (r) => {
      const property = await matrixInput(r.body, PROPERTY_UPDATE_FIELDS, (input) =>
        s.properties.update(r.access, propertyOf(r), input),
      );
      return { data: matrixProperty(property) };
    }),
    'scgrids.createProperty': grids('none', async ({ access, body }) => {
      const property = await matrixInput(body, PROPERTY_FIELDS, (input) =>
        s.properties.create(access, input),
      );
      return { status: 201, message: 'Successfully created a Property!', data: matrixProperty(property) };
    }),
    'scgrids.listPropertyTypes': grids('none', async ({ access }) => ({
      data: (await s.catalogue.listPropertyTypes(access)).map(matrixPropertyType),
    })),
    'scgrids.createPropertyType': grids('none', async ({ access, body }) => {
      const created = await matrixInput(body, PROPERTY_TYPE_FIELDS, (input) =>
        s.catalogue.createPropertyType(access, input),
      );
      return { status: 201, data: matrixPropertyType(created) };
    }),
    'scgrids.listZoneCategories': grids('propid', async (r) => {
      const type = new CaselessBody(r.body).text('PropertyTypeID');
      return {
        data: (await s.catalogue.listZoneCategories(r.access, propertyOf(r), type)).map(matrixZoneCategory),
      };
    }),
    'scgrids.createZoneCategory': grids('propid', async (r) => {
      const created = await matrixInput(r.body, ZONE_CATEGORY_FIELDS, (input) =>
        s.catalogue.createZoneCategory(r.access, propertyOf(r), input),
      );
      return { status: 201, data: matrixZoneCategory(created) };
    }),
    'scgrids.createZoneUnit': grids('propid', async (r) => {
      const created = await matrixInput(r.body, ZONE_UNIT_FIELDS, (input) =>
        s.catalogue.createZoneUnit(r.access, propertyOf(r), input),
      );
      return { status: 201, data: matrixZoneUnit(created) };
    }),
    'scgrids.listZoneUnitsByZoneCategory': zoneUnitsByCategory,
    // The name the reference's page for that op sends in its query string.
    'scgrids.listZoneAssetsByZoneCategory': zoneUnitsByCategory,
    'scgrids.listZonesByZoneCategory': grids('pid', async ({ access, pid, body }) => {
      const category = new CaselessBody(body).text('ZoneCategoryID', true);
      const page = await s.zones.listByCategory(access, pid, category, eskCursor(esk(body)));
      return { data: page.items.map(matrixZone), extra: lek(page.next) };
    }),
    ...mediaActions(s.media, grids),
  };
}

/** The `scgrids` module of the actions API, served here from the registry. */
@Injectable()
export class GridsActions implements LocalActionModule {
  readonly module = 'scgrids';
  readonly ops: Record<string, ActionDefinition>;

  constructor(
    properties: PropertiesService,
    buildings: BuildingsService,
    levels: LevelsService,
    zones: ZonesService,
    catalogue: CatalogueService,
    metrics: GridMetricsService,
    media: MediaAttachmentsService,
  ) {
    this.ops = gridsActions({ properties, buildings, levels, zones, catalogue, metrics, media });
  }
}
