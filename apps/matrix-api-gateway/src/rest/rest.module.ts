import { Module } from '@nestjs/common';
import { IngestKeysModule } from '../ingest-keys/ingest-keys.module';
import { RegistryModule } from '../registry/registry.module';
import { SensorDataModule } from '../sensor-data/sensor-data.module';
import { IngestKeysController } from './ingest-keys.controller';
import { OpenApiController } from './openapi.controller';
import { RegistryController } from './registry.controller';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { SensorDataController } from './sensor-data.controller';

@Module({
  imports: [IngestKeysModule, RegistryModule, SensorDataModule],
  controllers: [IngestKeysController, OpenApiController, RegistryController, SensorDataController],
  providers: [IdempotencyInterceptor],
})
export class RestModule {}
