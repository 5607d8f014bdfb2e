// The data of the ingest benchmark, shared by run.mjs (seeding), load.mjs (the POSTed batches) and
// ceilings.mjs (the same points as JetStream messages and as matrix.sensor_data rows).
//
// A bench building has `slots` device slots, round-robin over four slot types, ten to a zone. A point is
// what a device that is in the registry sends: DEVID, DevType, unixT and v only; sensor-normaliser fills
// in the rest from the DEVICE_SLOTS directory. Every point of a run has its own sequence number `seq` and
// unixT = `unixBase + seq` (milliseconds): unixT identifies the point (and its POST), and no two points
// share a reading id, so nothing is dropped as a duplicate.
import { createHash } from 'node:crypto';

export const PROVIDER = 'SMARTCLEAN';
export const SLOT_TYPES = ['PPLCTR', 'FD', 'UM', 'TH'];
export const SLOTS_PER_ZONE = 10;
export const TIME_ZONE = 'Europe/Berlin';

/** Alias (= DEVID, = DEVICE_SLOTS key) of slot `i`. */
export const slotAlias = (i) => `bench-slot-${String(i).padStart(5, '0')}`;
export const slotType = (i) => `${PROVIDER}#${SLOT_TYPES[i % SLOT_TYPES.length]}`;
export const zoneId = (i) => `bench-zone-${String(Math.floor(i / SLOTS_PER_ZONE)).padStart(4, '0')}`;

/**
 * The DEVICE_SLOTS value of slot `i`, shaped like matrix-api-gateway's `directoryEntry()`
 * (apps/matrix-api-gateway/src/registry/matrix-shapes.ts).
 */
export function slotEntry(i, { pid, propId, org }) {
  return {
    Alias: slotAlias(i),
    DevType: slotType(i),
    Provider: PROVIDER,
    Org: org,
    PropId: propId,
    PID: pid,
    LID: 'bench-level-0',
    InsID: zoneId(i),
    Display: `Bench zone ${Math.floor(i / SLOTS_PER_ZONE)} ${SLOT_TYPES[i % SLOT_TYPES.length]}`,
    Region: TIME_ZONE,
    Devid: `hw-${String(i).padStart(5, '0')}`,
    UpdatedOn: new Date().toISOString(),
  };
}

/** A few valid readings per slot type (reference §3.4); `seq` picks one. */
const VALUES = {
  PPLCTR: [0, 1, 2, 3, 5, 8].map((n) => ({ count: n, out_count: n % 3 })),
  FD: [1, 2, 3, 4, 5].map((n) => ({ rating: n, s: 6 - n, n: n > 3 ? 1 : 0 })),
  UM: [0, 1, 2, 4, 7].map((n) => ({ count: n, b: String(3000 + n * 10) })),
  TH: [19.5, 20.25, 21, 22.75, 23.5].map((t, n) => ({ t, h: 40 + n * 3 })),
};

/**
 * Renders points fast (the load generator must not be the bottleneck): per slot a JSON prefix up to
 * `"unixT":` and a few suffixes with `v`, so a point is three string pieces.
 */
export function pointRenderer(slots, unixBase) {
  const prefixes = [];
  const suffixes = [];
  for (let i = 0; i < slots; i++) {
    const type = SLOT_TYPES[i % SLOT_TYPES.length];
    prefixes.push(`{"DEVID":"${slotAlias(i)}","DevType":"${slotType(i)}","unixT":`);
    suffixes.push(VALUES[type].map((v) => `,"v":${JSON.stringify(v)}}`));
  }
  /** The JSON of point `seq`. */
  const point = (seq) => {
    const slot = seq % slots;
    const variants = suffixes[slot];
    return `${prefixes[slot]}${unixBase + seq}${variants[Math.floor(seq / slots) % variants.length]}`;
  };
  /** A JSON array of `count` points from `firstSeq` on. */
  const batch = (firstSeq, count) => {
    let body = '[';
    for (let k = 0; k < count; k++) body += (k ? ',' : '') + point(firstSeq + k);
    return `${body}]`;
  };
  /** The parsed point `seq` (for rendering rows). */
  const object = (seq) => JSON.parse(point(seq));
  return { point, batch, object };
}

/** A 40-hex id standing in for a reading id (same length as contracts' readingId()). */
export const fakeReadingId = (seq, salt = '') =>
  createHash('sha256').update(`${salt}:${seq}`).digest('hex').slice(0, 40);
