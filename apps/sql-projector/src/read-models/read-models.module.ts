import { Module } from '@nestjs/common';
import { PrincipalsModule } from '../principals/principals.module';
import { KvReadModelsService } from './kv-read-models.service';
import { ReadModelsHandler } from './read-models.handler';
import { ReadModelsRepository } from './read-models.repository';

/**
 * The registry and workforce read models (docs/sql.md): from MATRIX_EVENTS (`ReadModelsHandler`) and the
 * gateway's KV buckets (`KvReadModelsService`).
 */
@Module({
  imports: [PrincipalsModule],
  providers: [KvReadModelsService, ReadModelsHandler, ReadModelsRepository],
})
export class ReadModelsModule {}
