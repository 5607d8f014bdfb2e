import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { SensorDataModule } from '../sensor-data/sensor-data.module';
import { OpenApiController } from './openapi.controller';
import { RegistryController } from './registry.controller';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { SensorDataController } from './sensor-data.controller';

@Module({
  imports: [RegistryModule, SensorDataModule],
  controllers: [OpenApiController, RegistryController, SensorDataController],
  providers: [IdempotencyInterceptor],
})
export class RestModule {}
