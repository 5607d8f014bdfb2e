import type { RejectionReason } from './sensor-subjects';

/**
 * The body sensor-normaliser publishes to `sensor.rejected.<reason>` (stream `SENSOR_REJECTED`), one per
 * refused point, and `matrix-cli redrive` reads back (docs/data-formats.md, "Rejected readings and
 * re-drive").
 */
export interface RejectedReading {
  reason: RejectionReason;
  /** Every problem found, e.g. `PID: missing, and device … has no registry entry to fill it in`. */
  errors: string[];
  /** `sensor.raw.<provider>.<lane>.p<partition>` the reading arrived on (four tokens from before partitions; without the deployment namespace). */
  rawSubject: string;
  /** Its reading id (ADR-4): from `Matrix-Reading-Ids`, else the raw `Nats-Msg-Id`, else `raw-seq:<sequence>`. */
  rawMsgId: string;
  /** ISO 8601. */
  rejectedAt: string;
  /** Revision of the device-slot directory the decision was made with. */
  directoryRevision?: number;
  /** The reading exactly as it was on `SENSOR_RAW` (one point, also when it came in a batch). */
  point: unknown;
  /** The ingest key that posted it: a re-drive carries it again, so the building check still applies. */
  ingest?: { keyId: string; pid: string };
}
