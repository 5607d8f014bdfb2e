import { ApiSchema } from '@nestjs/swagger';
import { NullableText, PageOf, Text, Time } from '../rest/api-fields';

/* Ingest keys' REST v1 answers as OpenAPI schemas (the views in ingest-key-views.ts). */

@ApiSchema({ name: 'IngestKey' })
export class IngestKeyDto {
  @Text({ description: 'key id (not secret)' }) id!: string;
  @Text({ description: 'the building whose points (PID) the key may post' }) pid!: string;
  @NullableText({ description: 'the only provider (DevType before #) the key may post for' }, true)
  provider!: string | null;
  @Text() name!: string;
  @NullableText({ description: 'access key that issued it' }) createdBy!: string | null;
  @Time() createdAt!: string;
  @NullableText() revokedBy!: string | null;
  @NullableText({ description: 'ISO 8601', format: 'date-time' }, true) revokedAt!: string | null;
}

@ApiSchema({ name: 'IssuedIngestKey' })
export class IssuedIngestKeyDto {
  @Text({ description: 'key id (not secret)' }) id!: string;
  @Text({
    description: 'mik_<id>_<secret>: send as `Authorization: Bearer <key>` to push-ingress; shown once',
    pattern: '^mik_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$',
  })
  key!: string;
  @Text() pid!: string;
  @NullableText({}, true) provider!: string | null;
  @Text() name!: string;
  @Time() createdAt!: string;
}

export const IngestKeyPage = PageOf(IngestKeyDto, 'IngestKeyPage');
