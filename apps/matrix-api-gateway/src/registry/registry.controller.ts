import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator';
import { AuthGuard } from '../auth/auth.guard';
import type { RegistryAccess } from '../auth/registry-access';
import { sendJsonBytes } from '../json-bytes';
import { IdempotencyInterceptor } from '../rest/idempotency.interceptor';
import { limitParam, pageView } from '../rest/paging';
import { ApiAnswer, ApiIdempotencyKey, ApiNoContent, ApiOp, ApiPaging, ApiProblems } from '../rest/rest.api';
import { BuildingsService } from './buildings.service';
import { DeviceSlotsService } from './device-slots.service';
import { LevelsService } from './levels.service';
import { PropertiesService } from './properties.service';
import {
  BuildingDto,
  BuildingPage,
  CreatedZonesDto,
  DeviceSlotDto,
  DeviceSlotPage,
  LevelDto,
  LevelPage,
  PropertyDto,
  PropertyPage,
  ZoneDto,
  ZoneMapDto,
  ZonePage,
} from './registry.api';
import {
  CreateBuildingInput,
  CreateDeviceSlotInput,
  CreateLevelInput,
  CreatePropertyInput,
  CreateZonesInput,
  UpdateBuildingInput,
  UpdateDeviceSlotInput,
  UpdateLevelInput,
  UpdateZoneInput,
} from './registry-inputs';
import { RemovalsService } from './removals.service';
import { RegistryError } from './registry-error';
import { buildingView, deviceSlotView, levelView, propertyView, zoneView } from './registry-views';
import { ZonesService } from './zones.service';

const PID = ApiParam({ name: 'pid', description: 'building (project) id' });
const PROP_ID = ApiParam({ name: 'propId', description: 'property id' });
const LID = ApiParam({ name: 'lid', description: 'level id' });
const INS_ID = ApiParam({ name: 'insId', description: 'zone (installation) id' });
const ALIAS = ApiParam({ name: 'alias', description: 'device slot alias id (DEVID in sensor data)' });

/** REST v1 over the registry: one-line delegations to the application services (docs: /v1/openapi.json). */
@Controller('v1')
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
@ApiProblems()
export class RegistryController {
  constructor(
    private readonly properties: PropertiesService,
    private readonly buildings: BuildingsService,
    private readonly levels: LevelsService,
    private readonly zones: ZonesService,
    private readonly slots: DeviceSlotsService,
    private readonly removals: RemovalsService,
  ) {}

  @Get('properties')
  @ApiOp('Properties', 'listProperties', 'Properties the credential can see')
  @ApiAnswer(200, PropertyPage)
  async listProperties(@Access() access: RegistryAccess) {
    return { items: (await this.properties.list(access)).map(propertyView), nextCursor: null };
  }

  @Post('properties')
  @ApiOp('Properties', 'createProperty', 'Create a property (organisation-wide admin)')
  @ApiBody({ type: CreatePropertyInput })
  @ApiIdempotencyKey()
  @ApiAnswer(201, PropertyDto)
  async createProperty(@Access() access: RegistryAccess, @Body() body: unknown) {
    return propertyView(await this.properties.create(access, body, true));
  }

  @Get('properties/:propId')
  @ApiOp('Properties', 'readProperty', 'Read a property')
  @PROP_ID
  @ApiAnswer(200, PropertyDto)
  async readProperty(@Access() access: RegistryAccess, @Param('propId') propId: string) {
    return propertyView(await this.properties.read(access, propId));
  }

  @Get('properties/:propId/buildings')
  @ApiOp('Buildings', 'listBuildings', 'Buildings of a property')
  @PROP_ID
  @ApiAnswer(200, BuildingPage)
  async listBuildings(@Access() access: RegistryAccess, @Param('propId') propId: string) {
    return {
      items: (await this.buildings.listByProperty(access, propId)).map(buildingView),
      nextCursor: null,
    };
  }

  @Post('properties/:propId/buildings')
  @ApiOp('Buildings', 'createBuilding', 'Create a building')
  @PROP_ID
  @ApiBody({ type: CreateBuildingInput })
  @ApiIdempotencyKey()
  @ApiAnswer(201, BuildingDto)
  async createBuilding(
    @Access() access: RegistryAccess,
    @Param('propId') propId: string,
    @Body() body: unknown,
  ) {
    return buildingView(await this.buildings.create(access, propId, body, true));
  }

  @Get('buildings/:pid')
  @ApiOp('Buildings', 'readBuilding', 'Read a building')
  @PID
  @ApiAnswer(200, BuildingDto)
  async readBuilding(@Access() access: RegistryAccess, @Param('pid') pid: string) {
    return buildingView(await this.buildings.load(access, pid));
  }

  @Delete('buildings/:pid')
  @HttpCode(204)
  @ApiOp(
    'Buildings',
    'removeBuilding',
    'Remove a building with its levels, zones, device slots and ingest keys (admin); ZONE_REMOVED for each zone',
  )
  @PID
  @ApiNoContent('Removed')
  async removeBuilding(@Access() access: RegistryAccess, @Param('pid') pid: string): Promise<void> {
    await this.removals.removeBuilding(access, pid);
  }

  @Patch('buildings/:pid')
  @ApiOp('Buildings', 'updateBuilding', 'Update a building')
  @PID
  @ApiBody({ type: UpdateBuildingInput })
  @ApiAnswer(200, BuildingDto)
  async updateBuilding(@Access() access: RegistryAccess, @Param('pid') pid: string, @Body() body: unknown) {
    return buildingView(await this.buildings.update(access, pid, body, true));
  }

  @Get('buildings/:pid/zone-map')
  @ApiOp('Zones', 'buildingZoneMap', 'Zone id → name map of a building')
  @PID
  @ApiPaging()
  @ApiAnswer(200, ZoneMapDto)
  async zoneMap(
    @Access() access: RegistryAccess,
    @Param('pid') pid: string,
    @Query('cursor') cursor: string | undefined,
    @Query('limit') limit: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const json = await this.zones.zoneMapJson(access, pid, cursor, limitParam(limit), 'rest', (page) => ({
      zones: Object.fromEntries(page.items.map((z) => [z.insId, z.name])),
      nextCursor: page.next ?? null,
    }));
    sendJsonBytes(reply, json);
  }

  @Get('buildings/:pid/levels')
  @ApiOp('Levels', 'listLevels', 'Levels of a building')
  @PID
  @ApiAnswer(200, LevelPage)
  async listLevels(@Access() access: RegistryAccess, @Param('pid') pid: string) {
    return { items: (await this.levels.listByBuilding(access, pid)).map(levelView), nextCursor: null };
  }

  @Post('buildings/:pid/levels')
  @ApiOp('Levels', 'createLevel', 'Create a level (at most 60 per building); emits LEVEL_CREATED')
  @PID
  @ApiBody({ type: CreateLevelInput })
  @ApiIdempotencyKey()
  @ApiAnswer(201, LevelDto)
  async createLevel(@Access() access: RegistryAccess, @Param('pid') pid: string, @Body() body: unknown) {
    return levelView(await this.levels.create(access, pid, body, true));
  }

  @Get('buildings/:pid/levels/:lid')
  @ApiOp('Levels', 'readLevel', 'Read a level')
  @PID
  @LID
  @ApiAnswer(200, LevelDto)
  async readLevel(@Access() access: RegistryAccess, @Param('pid') pid: string, @Param('lid') lid: string) {
    return levelView(await this.levels.read(access, pid, lid));
  }

  @Delete('buildings/:pid/levels/:lid')
  @HttpCode(204)
  @ApiOp(
    'Levels',
    'removeLevel',
    'Remove a level with its zones and device slots (admin); ZONE_REMOVED for each zone',
  )
  @PID
  @LID
  @ApiNoContent('Removed')
  async removeLevel(
    @Access() access: RegistryAccess,
    @Param('pid') pid: string,
    @Param('lid') lid: string,
  ): Promise<void> {
    await this.removals.removeLevel(access, pid, lid);
  }

  @Patch('buildings/:pid/levels/:lid')
  @ApiOp('Levels', 'updateLevel', 'Update a level; emits LEVEL_NAME_MODIFIED on a new name')
  @PID
  @LID
  @ApiBody({ type: UpdateLevelInput })
  @ApiAnswer(200, LevelDto)
  async updateLevel(
    @Access() access: RegistryAccess,
    @Param('pid') pid: string,
    @Param('lid') lid: string,
    @Body() body: unknown,
  ) {
    return levelView(await this.levels.update(access, pid, lid, body, true));
  }

  @Get('buildings/:pid/zones')
  @ApiOp('Zones', 'listZones', 'Zones of a building, or of one level')
  @PID
  @ApiQuery({ name: 'levelId', required: false, type: String, description: 'only this level' })
  @ApiQuery({
    name: 'category',
    required: false,
    type: String,
    description: 'zone category id; repeat for several (≤ 10)',
  })
  @ApiPaging()
  @ApiAnswer(200, ZonePage)
  async listZones(
    @Access() access: RegistryAccess,
    @Param('pid') pid: string,
    @Query('levelId') levelId?: string,
    @Query('category') category?: string | string[],
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ) {
    const categories = category === undefined ? [] : Array.isArray(category) ? category : [category];
    const page = levelId
      ? await this.zones.listByLevel(access, pid, levelId, categories, cursor, limitParam(limit))
      : await this.zones.listByBuilding(access, pid, cursor, limitParam(limit));
    return pageView(page, zoneView);
  }

  @Post('buildings/:pid/zones')
  @ApiOp('Zones', 'createZones', 'Create zones (up to 1,000 at once); emits ZONE_CREATED each')
  @PID
  @ApiBody({ type: CreateZonesInput })
  @ApiIdempotencyKey()
  @ApiAnswer(201, CreatedZonesDto)
  async createZones(@Access() access: RegistryAccess, @Param('pid') pid: string, @Body() body: unknown) {
    return { items: (await this.zones.create(access, pid, body, true)).map(zoneView) };
  }

  @Get('buildings/:pid/zones/:insId')
  @ApiOp('Zones', 'readZone', 'Read a zone')
  @PID
  @INS_ID
  @ApiAnswer(200, ZoneDto)
  async readZone(@Access() access: RegistryAccess, @Param('pid') pid: string, @Param('insId') insId: string) {
    return zoneView(await this.zones.read(access, pid, insId));
  }

  @Patch('buildings/:pid/zones/:insId')
  @ApiOp('Zones', 'updateZone', 'Update a zone; emits ZONE_NAME_MODIFIED / ZONE_STATUS_MODIFIED')
  @PID
  @INS_ID
  @ApiBody({ type: UpdateZoneInput })
  @ApiAnswer(200, ZoneDto)
  async updateZone(
    @Access() access: RegistryAccess,
    @Param('pid') pid: string,
    @Param('insId') insId: string,
    @Body() body: unknown,
  ) {
    return zoneView(await this.zones.update(access, pid, insId, body, true));
  }

  @Delete('buildings/:pid/zones/:insId')
  @HttpCode(204)
  @ApiOp('Zones', 'removeZone', 'Remove a zone and its device slots (admin); emits ZONE_REMOVED')
  @PID
  @INS_ID
  @ApiNoContent('Removed')
  async removeZone(
    @Access() access: RegistryAccess,
    @Param('pid') pid: string,
    @Param('insId') insId: string,
  ): Promise<void> {
    await this.zones.remove(access, pid, insId);
  }

  @Get('device-slots')
  @ApiOp('Device slots', 'listDeviceSlots', 'Device slots of a building, by provider and type')
  @ApiQuery({ name: 'pid', required: true, type: String, description: 'building id' })
  @ApiQuery({ name: 'provider', required: false, type: String, description: 'e.g. SMARTCLEAN' })
  @ApiQuery({
    name: 'type',
    required: false,
    type: String,
    description: 'SMARTCLEAN#PPLCTR, or PPLCTR with provider',
  })
  @ApiPaging()
  @ApiAnswer(200, DeviceSlotPage)
  async listDeviceSlots(
    @Access() access: RegistryAccess,
    @Query('pid') pid: string,
    @Query('provider') provider?: string,
    @Query('type') type?: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ) {
    if (!pid) {
      throw new RegistryError('INVALID', 'pid: is required (the building whose slots to list)', [
        'pid: is required',
      ]);
    }
    return pageView(
      await this.slots.list(access, pid, { provider, type }, cursor, limitParam(limit)),
      deviceSlotView,
    );
  }

  @Post('buildings/:pid/device-slots')
  @ApiOp('Device slots', 'createDeviceSlot', 'Create a device slot in a zone of the building')
  @PID
  @ApiBody({ type: CreateDeviceSlotInput })
  @ApiIdempotencyKey()
  @ApiAnswer(201, DeviceSlotDto)
  async createDeviceSlot(@Access() access: RegistryAccess, @Param('pid') pid: string, @Body() body: unknown) {
    return deviceSlotView(await this.slots.create(access, pid, body, true));
  }

  @Get('device-slots/:alias')
  @ApiOp('Device slots', 'readDeviceSlot', 'Read a device slot')
  @ALIAS
  @ApiAnswer(200, DeviceSlotDto)
  async readDeviceSlot(@Access() access: RegistryAccess, @Param('alias') alias: string) {
    return deviceSlotView(await this.slots.read(access, alias));
  }

  @Patch('device-slots/:alias')
  @ApiOp('Device slots', 'updateDeviceSlot', 'Update a device slot (e.g. move it to another zone)')
  @ALIAS
  @ApiBody({ type: UpdateDeviceSlotInput })
  @ApiAnswer(200, DeviceSlotDto)
  async updateDeviceSlot(
    @Access() access: RegistryAccess,
    @Param('alias') alias: string,
    @Body() body: unknown,
  ) {
    return deviceSlotView(await this.slots.update(access, alias, body, true));
  }

  @Delete('device-slots/:alias')
  @HttpCode(204)
  @ApiOp('Device slots', 'removeDeviceSlot', 'Remove a device slot (admin)')
  @ALIAS
  @ApiNoContent('Removed')
  async removeDeviceSlot(@Access() access: RegistryAccess, @Param('alias') alias: string): Promise<void> {
    await this.slots.remove(access, alias);
  }
}
