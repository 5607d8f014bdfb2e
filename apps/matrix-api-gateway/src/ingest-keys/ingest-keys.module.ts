import { Module, type OnModuleInit } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { RemovalsService } from '../registry/removals.service';
import { IdempotencyInterceptor } from '../rest/idempotency.interceptor';
import { IngestKeysController } from './ingest-keys.controller';
import { IngestKeysService, removeBuildingIngestKeys } from './ingest-keys.service';

/**
 * Ingest keys of buildings: the registry table, the INGEST_KEYS KV bucket push-ingress reads, and REST v1
 * `/v1/buildings/{pid}/ingest-keys`. A removed building's keys go in the removal's transaction.
 */
@Module({
  imports: [RegistryModule],
  controllers: [IngestKeysController],
  providers: [IdempotencyInterceptor, IngestKeysService],
  exports: [IngestKeysService],
})
export class IngestKeysModule implements OnModuleInit {
  constructor(private readonly removals: RemovalsService) {}

  onModuleInit(): void {
    this.removals.onRemoveBuilding(removeBuildingIngestKeys);
  }
}
