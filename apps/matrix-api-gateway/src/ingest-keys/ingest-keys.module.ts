import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { IngestKeysService } from './ingest-keys.service';

/** Ingest keys of properties: the registry table and the INGEST_KEYS KV bucket push-ingress reads. */
@Module({
  imports: [RegistryModule],
  providers: [IngestKeysService],
  exports: [IngestKeysService],
})
export class IngestKeysModule {}
