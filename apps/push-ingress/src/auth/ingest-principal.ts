/**
 * Who posted a batch: the ingest key the request authenticated with (`Authorization: Bearer <key>`).
 * push-ingress stamps it on every raw message (headers `Matrix-Ingest-Key`, `Matrix-Ingest-Pid`), and
 * sensor-normaliser refuses points for devices of another building.
 */
export interface IngestPrincipal {
  /** The key's id (not secret). It also names the ordering lane: `sensor.raw.<provider>.<keyId>.p<partition>`. */
  readonly keyId: string;
  /** The building (PID) the key belongs to; `*` (only with `INGEST_AUTH=disabled`) = any. */
  readonly pid: string;
  /** When set, the only provider (the part of `DevType` before `#`) the key may post for. */
  readonly provider?: string;
}
