import { encodeSubjectToken } from '../shared/subject-token';

/*
 * ⚠️ Subjects are persistent contracts: downstream teams subscribe to them and streams capture them.
 * Renaming one is a migration (new subject beside the old, dual-publish, then retire), never a refactor.
 */

/**
 * Partitions of `SENSOR_RAW`: each lane belongs to one (`sensorRawPartition`), and each partition has a durable
 * of its own that one sensor-normaliser replica at a time works, so a lane keeps its order with any number of
 * replicas. Part of the subjects and durable names: changing it is a migration (docs/scaling.md).
 */
export const SENSOR_RAW_PARTITIONS = 8;

/** FNV-1a, 32 bit, of a string's UTF-16 code units (ASCII for subject tokens): small, fast, well spread. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** The partition of a lane: {@link fnv1a32} of its subject token, modulo {@link SENSOR_RAW_PARTITIONS}. */
export function sensorRawPartition(lane: string): number {
  return partitionOfToken(encodeSubjectToken(lane));
}

const partitionOfToken = (token: string): number => fnv1a32(token) % SENSOR_RAW_PARTITIONS;

/**
 * Raw readings exactly as received: `sensor.raw.<provider>.<lane>.p<partition>`. push-ingress publishes batches
 * on the lane of the ingest key that posted them (`<lane>` = key id), so one gateway's readings are normalised
 * in the order it sent them; the partition is the lane's ({@link sensorRawPartition}). A re-drive goes back to
 * the subject its reading arrived on — for a reading from before partitions, `sensor.raw.<provider>.<lane>`
 * (four tokens, read by the durable those subjects keep), and from before lanes were ingest keys, its device id.
 */
export function sensorRawSubject(provider: string, lane: string): string {
  // The lane's token once: push-ingress builds this subject for every message it publishes.
  const token = encodeSubjectToken(lane);
  return `sensor.raw.${encodeSubjectToken(provider)}.${token}.p${partitionOfToken(token)}`;
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
