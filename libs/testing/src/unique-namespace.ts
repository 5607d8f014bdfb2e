import { randomBytes } from 'node:crypto';

/*
 * Jest evaluates this module once per test file, so the counter alone would repeat across suites
 * running in the same worker process; the random part keeps those (and later runs against a
 * long-lived server with leftover streams) apart.
 */
const instance = `${process.pid.toString(36)}${randomBytes(3).readUIntBE(0, 3).toString(36).padStart(5, '0')}`;
let counter = 0;

/** Longest label kept, so that `uniqueNamespace` stays a valid PostgreSQL identifier (≤ 63). */
const MAX_LABEL = 40;

/**
 * A lowercase `[a-z0-9_]` token unique to this run and call: `t<pid36><random><counter36>_<label>`,
 * e.g. `t1z4k3f9q0_sensor_data`. Use it as a NATS subject prefix, upper-cased as a stream-name
 * prefix, or as a database name, so suites never collide with a running platform or each other.
 * `label` is lower-cased; other characters than `[a-z0-9_]` become `_`.
 */
export function uniqueNamespace(label: string): string {
  const clean = label
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_LABEL);
  if (clean === '') {
    throw new TypeError(`uniqueNamespace: label ${JSON.stringify(label)} has no [a-z0-9] character`);
  }
  counter += 1;
  return `t${instance}${counter.toString(36)}_${clean}`;
}
