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
import type { Response } from 'express';
import { AuthGuard } from '../auth/auth.guard';
import { sendJsonBytes } from '../json-bytes';
import { Access } from '../auth/access.decorator';
import type { RegistryAccess } from '../auth/registry-access';
import { IdempotencyInterceptor } from '../rest/idempotency.interceptor';
import { limitParam, pageView } from '../rest/paging';
import { BuildingsService } from './buildings.service';
import { DeviceSlotsService } from './device-slots.service';
import { LevelsService } from './levels.service';
import { PropertiesService } from './properties.service';
import { RemovalsService } from './removals.service';
import { RegistryError } from './registry-error';
import { buildingView, deviceSlotView, levelView, propertyView, zoneView } from './registry-views';
import { ZonesService } from './zones.service';

/** REST v1 over the registry: one-line delegations to the application services (docs: /v1/openapi.json). */
@Controller('v1')
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
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
  async listProperties(@Access() access: RegistryAccess) {
    return { items: (await this.properties.list(access)).map(propertyView), nextCursor: null };
  }

  @Post('properties')
  async createProperty(@Access() access: RegistryAccess, @Body() body: unknown) {
    return propertyView(await this.properties.create(access, body, true));
  }

  @Get('properties/:propId')
  async readProperty(@Access() access: RegistryAccess, @Param('propId') propId: string) {
    return propertyView(await this.properties.read(access, propId));
  }

  @Get('properties/:propId/buildings')
  async listBuildings(@Access() access: RegistryAccess, @Param('propId') propId: string) {
    return {
      items: (await this.buildings.listByProperty(access, propId)).map(buildingView),
      nextCursor: null,
    };
  }

  @Post('properties/:propId/buildings')
  async createBuilding(
    @Access() access: RegistryAccess,
    @Param('propId') propId: string,
    @Body() body: unknown,
  ) {
    return buildingView(await this.buildings.create(access, propId, body, true));
  }

  @Get('buildings/:pid')
  async readBuilding(@Access() access: RegistryAccess, @Param('pid') pid: string) {
    return buildingView(await this.buildings.load(access, pid));
  }

  @Delete('buildings/:pid')
  @HttpCode(204)
  async removeBuilding(@Access() access: RegistryAccess, @Param('pid') pid: string): Promise<void> {
    await this.removals.removeBuilding(access, pid);
  }

  @Patch('buildings/:pid')
  async updateBuilding(@Access() access: RegistryAccess, @Param('pid') pid: string, @Body() body: unknown) {
    return buildingView(await this.buildings.update(access, pid, body, true));
  }

  @Get('buildings/:pid/zone-map')
  async zoneMap(
    @Access() access: RegistryAccess,
    @Param('pid') pid: string,
    @Query('cursor') cursor: string | undefined,
    @Query('limit') limit: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const json = await this.zones.zoneMapJson(access, pid, cursor, limitParam(limit), 'rest', (page) => ({
      zones: Object.fromEntries(page.items.map((z) => [z.insId, z.name])),
      nextCursor: page.next ?? null,
    }));
    sendJsonBytes(response, json);
  }

  @Get('buildings/:pid/levels')
  async listLevels(@Access() access: RegistryAccess, @Param('pid') pid: string) {
    return { items: (await this.levels.listByBuilding(access, pid)).map(levelView), nextCursor: null };
  }

  @Post('buildings/:pid/levels')
  async createLevel(@Access() access: RegistryAccess, @Param('pid') pid: string, @Body() body: unknown) {
    return levelView(await this.levels.create(access, pid, body, true));
  }

  @Get('buildings/:pid/levels/:lid')
  async readLevel(@Access() access: RegistryAccess, @Param('pid') pid: string, @Param('lid') lid: string) {
    return levelView(await this.levels.read(access, pid, lid));
  }

  @Delete('buildings/:pid/levels/:lid')
  @HttpCode(204)
  async removeLevel(
    @Access() access: RegistryAccess,
    @Param('pid') pid: string,
    @Param('lid') lid: string,
  ): Promise<void> {
    await this.removals.removeLevel(access, pid, lid);
  }

  @Patch('buildings/:pid/levels/:lid')
  async updateLevel(
    @Access() access: RegistryAccess,
    @Param('pid') pid: string,
    @Param('lid') lid: string,
    @Body() body: unknown,
  ) {
    return levelView(await this.levels.update(access, pid, lid, body, true));
  }

  @Get('buildings/:pid/zones')
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
  async createZones(@Access() access: RegistryAccess, @Param('pid') pid: string, @Body() body: unknown) {
    return { items: (await this.zones.create(access, pid, body, true)).map(zoneView) };
  }

  @Get('buildings/:pid/zones/:insId')
  async readZone(@Access() access: RegistryAccess, @Param('pid') pid: string, @Param('insId') insId: string) {
    return zoneView(await this.zones.read(access, pid, insId));
  }

  @Patch('buildings/:pid/zones/:insId')
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
  async removeZone(
    @Access() access: RegistryAccess,
    @Param('pid') pid: string,
    @Param('insId') insId: string,
  ): Promise<void> {
    await this.zones.remove(access, pid, insId);
  }

  @Get('device-slots')
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
  async createDeviceSlot(@Access() access: RegistryAccess, @Param('pid') pid: string, @Body() body: unknown) {
    return deviceSlotView(await this.slots.create(access, pid, body, true));
  }

  @Get('device-slots/:alias')
  async readDeviceSlot(@Access() access: RegistryAccess, @Param('alias') alias: string) {
    return deviceSlotView(await this.slots.read(access, alias));
  }

  @Patch('device-slots/:alias')
  async updateDeviceSlot(
    @Access() access: RegistryAccess,
    @Param('alias') alias: string,
    @Body() body: unknown,
  ) {
    return deviceSlotView(await this.slots.update(access, alias, body, true));
  }

  @Delete('device-slots/:alias')
  @HttpCode(204)
  async removeDeviceSlot(@Access() access: RegistryAccess, @Param('alias') alias: string): Promise<void> {
    await this.slots.remove(access, alias);
  }
}
