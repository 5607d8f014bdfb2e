import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { AuthGuard } from '../auth/auth.guard';
import { Access } from '../auth/access.decorator';
import type { RegistryAccess } from '../auth/registry-access';
import { ApiAnswer, ApiOp, ApiProblems } from '../rest/rest.api';
import {
  SensorDataAggregateDto,
  SensorDataAggregation,
  SensorDataFilter,
  SensorDataPage,
  SensorDataPaging,
} from './sensor-data.api';
import { SensorDataQueryService } from './sensor-data-query.service';

/** REST v1 over past sensor data (docs/api.md, /v1/openapi.json). */
@Controller('v1')
@UseGuards(AuthGuard)
@ApiProblems()
export class SensorDataController {
  constructor(private readonly sensorData: SensorDataQueryService) {}

  @Get('sensor-data')
  @ApiOp(
    'Sensor data',
    'listSensorData',
    'Sensor data points of a building in a time range, oldest first (general data format, reference §3.2)',
  )
  @SensorDataFilter()
  @SensorDataPaging()
  @ApiAnswer(200, SensorDataPage)
  async list(@Access() access: RegistryAccess, @Query() query: Record<string, unknown>) {
    const page = await this.sensorData.list(access, query);
    return { items: page.items, nextCursor: page.next ?? null };
  }

  @Get('sensor-data/aggregate')
  @ApiOp(
    'Sensor data',
    'aggregateSensorData',
    'sum/avg/min/max/count of a numeric field of v per interval (calendar intervals in an IANA time zone); empty buckets omitted',
  )
  @SensorDataFilter()
  @SensorDataAggregation()
  @ApiAnswer(200, SensorDataAggregateDto)
  aggregate(@Access() access: RegistryAccess, @Query() query: Record<string, unknown>) {
    return this.sensorData.aggregate(access, query);
  }
}
