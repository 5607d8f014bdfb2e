/** An ingest key as the registry keeps it (never the secret; the table keeps only its SHA-256). */
export interface IngestKey {
  id: string;
  /** The building (project) whose points the key may post: the `PID` of those points. */
  pid: string;
  /** The only provider the key may post points for, or null for any. */
  provider: string | null;
  name: string;
  createdBy: string | null;
  createdAt: Date;
  revokedBy: string | null;
  revokedAt: Date | null;
}

/** A key just issued: the only time the whole key (`mik_<id>_<secret>`) is known to the platform. */
export interface IssuedIngestKey extends IngestKey {
  key: string;
}
