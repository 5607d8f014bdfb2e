import type { IngestKey, IssuedIngestKey } from './ingest-key.types';

/* REST v1 views of ingest keys; the whole key only in the answer that issues it. */

export const ingestKeyView = (k: IngestKey) => ({
  id: k.id,
  pid: k.pid,
  provider: k.provider,
  name: k.name,
  createdBy: k.createdBy,
  createdAt: k.createdAt.toISOString(),
  revokedBy: k.revokedBy,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

export const issuedIngestKeyView = (k: IssuedIngestKey) => ({
  id: k.id,
  key: k.key,
  pid: k.pid,
  provider: k.provider,
  name: k.name,
  createdAt: k.createdAt.toISOString(),
});
