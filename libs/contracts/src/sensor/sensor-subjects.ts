import { encodeSubjectToken } from '../shared/subject-token';

/*
 * ⚠️ Subjects are persistent contracts: downstream teams subscribe to them and streams capture them.
 * Renaming one is a migration (new subject beside the old, dual-publish, then retire), never a refactor.
 */

/**
 * Raw readings exactly as received: `sensor.raw.<provider>.<lane>`. push-ingress publishes batches on the
 * lane of the ingest key that posted them (`<lane>` = key id), so one gateway's readings are normalised
 * in the order it sent them; a re-drive goes back to the subject its reading arrived on (for a reading
 * from before lanes were ingest keys, its device id).
 */
export function sensorRawSubject(provider: string, lane: string): string {
  return `sensor.raw.${encodeSubjectToken(provider)}.${encodeSubjectToken(lane)}`;
}

/** Normalised data points: `sensor.data.<pid>.<provider>.<type>`. */
export function sensorDataSubject(pid: string, provider: string, slotType: string): string {
  return `sensor.data.${encodeSubjectToken(pid)}.${encodeSubjectToken(provider)}.${encodeSubjectToken(slotType)}`;
}

/** Why a raw reading could not be normalised. */
export const REJECTION_REASONS = [
  'invalid_point',
  'invalid_value',
  'unknown_device',
  'invalid_time_zone',
  /** The device slot belongs to another building than the ingest key that posted the reading. */
  'foreign_device',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** Readings that could not be normalised: `sensor.rejected.<reason>`. */
export function sensorRejectedSubject(reason: RejectionReason): string {
  return `sensor.rejected.${reason}`;
}
