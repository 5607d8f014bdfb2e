import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { AuthGuard } from '../auth/auth.guard';
import { Access } from '../auth/access.decorator';
import type { RegistryAccess } from '../auth/registry-access';
import { SensorDataQueryService } from './sensor-data-query.service';

/** REST v1 over past sensor data (docs/api.md, /v1/openapi.json). */
@Controller('v1')
@UseGuards(AuthGuard)
export class SensorDataController {
  constructor(private readonly sensorData: SensorDataQueryService) {}

  @Get('sensor-data')
  async list(@Access() access: RegistryAccess, @Query() query: Record<string, unknown>) {
    const page = await this.sensorData.list(access, query);
    return { items: page.items, nextCursor: page.next ?? null };
  }

  @Get('sensor-data/aggregate')
  aggregate(@Access() access: RegistryAccess, @Query() query: Record<string, unknown>) {
    return this.sensorData.aggregate(access, query);
  }
}
