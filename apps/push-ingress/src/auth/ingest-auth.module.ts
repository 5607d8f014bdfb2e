import { Module } from '@nestjs/common';
import { IngestAuthenticator } from './ingest-authenticator';
import { IngestKeyDirectory } from './ingest-key-directory';

/** Ingest keys: the INGEST_KEYS directory and the check of `Authorization: Bearer <key>`. */
@Module({
  providers: [IngestAuthenticator, IngestKeyDirectory],
  exports: [IngestAuthenticator, IngestKeyDirectory],
})
export class IngestAuthModule {}
