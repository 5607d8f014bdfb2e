// The data of the ingest benchmark, shared by run.mjs (seeding), load.mjs (the POSTed batches) and
// ceilings.mjs (the same points as JetStream messages and as matrix.sensor_data rows).
//
// A bench building has `slots` device slots, round-robin over the slot types of a mix, ten to a zone. A
// point is what a device that is in the registry sends: DEVID, DevType, unixT and v only; sensor-normaliser
// fills in the rest from the DEVICE_SLOTS directory. Every point of a run has its own sequence number `seq`
// and unixT = `unixBase + seq` (milliseconds): unixT identifies the point (and its POST), and no two points
// share a reading id, so nothing is dropped as a duplicate.
//
// Mixes: `default` (four types, the ingest benchmark of issue #4) and `solutions` (run.mjs --solutions:
// every slot type incident-service's solutions watch — RULES_OF_SLOT_TYPE in
// apps/incident-service/src/solutions/solution-params.ts — plus TH, which they do not, with values that
// behave like a building: people counts that add up past the usage threshold now and then, consumables
// and bins that empty and are refilled, mostly good feedback, a rare spill, air quality with a rare spike).
// A slot's readings take its type's values in turn, so a level falls reading by reading and is refilled.
//
// Probes (run.mjs --solutions): people counters `bench-probe-NNNNN`, each alone in a zone of its own, that
// get exactly one reading, with count PROBE_COUNT (the documented default PeopleThreshold): that reading
// and no other crosses a threshold of that device, so its incident's event tells when it was raised.
import { createHash } from 'node:crypto';

export const PROVIDER = 'SMARTCLEAN';
export const MIXES = {
  default: ['PPLCTR', 'FD', 'UM', 'TH'],
  solutions: [
    'PPLCTR',
    'UM',
    'FD',
    'TR',
    'PT',
    'SS',
    'BIN',
    'WD',
    'ODRDTR_10_IN_1',
    'ODRDTR_BATT_V1',
    'ODRDTR',
    'TH',
  ],
};
/** The slot types of the default mix. */
export const SLOT_TYPES = MIXES.default;
export const SLOTS_PER_ZONE = 10;
export const TIME_ZONE = 'Europe/Berlin';

/** The slot types of a mix (a clear error for an unknown one). */
export function slotTypesOf(mix = 'default') {
  const types = MIXES[mix];
  if (!types) throw new Error(`unknown point mix ${mix} (one of ${Object.keys(MIXES).join(', ')})`);
  return types;
}

/** Alias (= DEVID, = DEVICE_SLOTS key) of slot `i`. */
export const slotAlias = (i) => `bench-slot-${String(i).padStart(5, '0')}`;
export const slotType = (i, mix = 'default') => {
  const types = slotTypesOf(mix);
  return `${PROVIDER}#${types[i % types.length]}`;
};
export const zoneId = (i) => `bench-zone-${String(Math.floor(i / SLOTS_PER_ZONE)).padStart(4, '0')}`;

/** Alias and zone of probe `k`. */
export const probeAlias = (k) => `bench-probe-${String(k).padStart(5, '0')}`;
export const probeZoneId = (k) => `bench-probe-zone-${String(k).padStart(5, '0')}`;
/** A probe's one reading: `count` equal to the documented default PeopleThreshold (30), so it crosses it. */
export const PROBE_COUNT = 30;

/**
 * The DEVICE_SLOTS value of slot `i`, shaped like matrix-api-gateway's `directoryEntry()`
 * (apps/matrix-api-gateway/src/registry/matrix-shapes.ts).
 */
export function slotEntry(i, { pid, propId, org }, mix = 'default') {
  const types = slotTypesOf(mix);
  return {
    Alias: slotAlias(i),
    DevType: slotType(i, mix),
    Provider: PROVIDER,
    Org: org,
    PropId: propId,
    PID: pid,
    LID: 'bench-level-0',
    InsID: zoneId(i),
    Display: `Bench zone ${Math.floor(i / SLOTS_PER_ZONE)} ${types[i % types.length]}`,
    Region: TIME_ZONE,
    Devid: `hw-${String(i).padStart(5, '0')}`,
    UpdatedOn: new Date().toISOString(),
  };
}

/** The DEVICE_SLOTS value of probe `k`: a people counter alone in its zone. */
export function probeEntry(k, { pid, propId, org }) {
  return {
    Alias: probeAlias(k),
    DevType: `${PROVIDER}#PPLCTR`,
    Provider: PROVIDER,
    Org: org,
    PropId: propId,
    PID: pid,
    LID: 'bench-level-0',
    InsID: probeZoneId(k),
    Display: `Bench probe zone ${k} PPLCTR`,
    Region: TIME_ZONE,
    Devid: `hw-probe-${String(k).padStart(5, '0')}`,
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

/** `d` (mm from the sensor to the level) of a fill level `p` %, for a 250 mm deep dispenser or bin. */
const distance = (p) => Math.round(20 + (250 * (100 - p)) / 100);

/**
 * The values of the solutions mix, in the order a slot sends them (see the header): per type, how many of
 * its readings cross a line of its rule (before the block windows and re-arming keep most from raising).
 */
const SOLUTION_VALUES = {
  ...VALUES,
  // Usage: 3.2 visits per reading on average, so a zone's count reaches 30 about every tenth reading.
  // Feedback: one bad rating (5, with a reason) in eight.
  FD: [1, 2, 1, 3, 1, 2, 5, 1].map((rating) =>
    rating === 5
      ? { rating, s: 1, n: 1, reasons: { ID_1: { ID: '1', Name: 'Dirty floor', selector: 1 } } }
      : { rating, s: 6 - rating, n: 0 },
  ),
  // Consumables (% left): used up reading by reading, below the 5 % minimum once, then refilled.
  ...Object.fromEntries(
    ['TR', 'PT', 'SS'].map((type) => [
      type,
      [92, 78, 63, 49, 36, 24, 13, 4].map((p) => ({ p, d: distance(p) })),
    ]),
  ),
  // Bin (% of space left): fills up, below the 10 % minimum once, then emptied.
  BIN: [95, 81, 66, 52, 39, 27, 16, 7].map((p) => ({ p, d: distance(100 - p) })),
  // Spill: dry nine readings in ten.
  WD: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1].map((value) => (value ? { value, AreaP: 4.5 } : { value })),
  // AQ 10-in-1: a steady room with one CO₂/TVOC spike in ten readings (an anomaly once the baseline is warm).
  ODRDTR_10_IN_1: [520, 535, 548, 560, 541, 530, 552, 1480, 538, 527].map((co2, n) => ({
    co2,
    tvoc: co2 > 1000 ? 0.9 : 0.12 + (n % 3) * 0.01,
    hcho: 0.02,
    pm_25: 8 + (n % 4),
    pm_10: 14 + (n % 5),
    temperature: 22.5 + (n % 3) * 0.1,
    humidity: 45 + (n % 4),
    pressure: 1012,
    light_level: 2,
    pir_trigger: n % 2,
  })),
  // AQ Lite: ammonia (ppb) and IAQ steady, one spike in eight; rh and temp ×10.
  ODRDTR_BATT_V1: [80, 85, 90, 82, 78, 88, 84, 310].map((amm, n) => ({
    amm,
    aqi: amm > 200 ? 180 : 60 + n,
    rh: 450 + n * 5,
    temp: 224 + (n % 3),
  })),
  // AQ Wired: the device's own z-scores, above 1.96 once in eight readings.
  ODRDTR: [0.3, -0.5, 0.9, 1.1, -0.2, 0.4, 2.7, 0.1].map((z, n) => ({
    amm: Math.round((0.8 + z * 0.2) * 100) / 100,
    alc: 1.2 + (n % 3) * 0.1,
    no2: 0.05,
    amm_zscore: z,
    alc_zscore: 0.2,
    no2_zscore: -0.1,
    amm_expected: 0.8,
    alc_expected: 1.3,
    no2_expected: 0.05,
    rssi: '-68',
  })),
};

/**
 * Renders points fast (the load generator must not be the bottleneck): per slot a JSON prefix up to
 * `"unixT":` and a few suffixes with `v`, so a point is three string pieces.
 */
export function pointRenderer(slots, unixBase, mix = 'default') {
  const types = slotTypesOf(mix);
  const values = mix === 'solutions' ? SOLUTION_VALUES : VALUES;
  const prefixes = [];
  const suffixes = [];
  for (let i = 0; i < slots; i++) {
    const type = types[i % types.length];
    prefixes.push(`{"DEVID":"${slotAlias(i)}","DevType":"${slotType(i, mix)}","unixT":`);
    suffixes.push(values[type].map((v) => `,"v":${JSON.stringify(v)}}`));
  }
  /** The JSON of point `seq`. */
  const point = (seq) => {
    const slot = seq % slots;
    const variants = suffixes[slot];
    return `${prefixes[slot]}${unixBase + seq}${variants[Math.floor(seq / slots) % variants.length]}`;
  };
  /** Probe `k`'s one reading, as point `seq`. */
  const probe = (k, seq) =>
    `{"DEVID":"${probeAlias(k)}","DevType":"${PROVIDER}#PPLCTR","unixT":${unixBase + seq},"v":{"count":${PROBE_COUNT},"out_count":0}}`;
  /** A JSON array of `count` points from `firstSeq` on; with `probeK`, the last one is that probe's reading. */
  const batch = (firstSeq, count, probeK) => {
    let body = '[';
    const last = probeK === undefined ? count : count - 1;
    for (let k = 0; k < last; k++) body += (k ? ',' : '') + point(firstSeq + k);
    if (last < count) body += (last ? ',' : '') + probe(probeK, firstSeq + last);
    return `${body}]`;
  };
  /** The parsed point `seq` (for rendering rows). */
  const object = (seq) => JSON.parse(point(seq));
  return { point, batch, object };
}

/**
 * Which probe, if any, request `index` of a load carries (as its last point): every `every`-th request
 * (the last of each group of `every`), probes 0 … count − 1 in turn. Shared by load.mjs and run.mjs.
 */
export function probeOfRequest(index, probes) {
  if (!probes || index % probes.every !== probes.every - 1) return undefined;
  const k = probes.first + Math.floor(index / probes.every);
  return k < probes.first + probes.count ? k : undefined;
}

/** A 40-hex id standing in for a reading id (same length as contracts' readingId()). */
export const fakeReadingId = (seq, salt = '') =>
  createHash('sha256').update(`${salt}:${seq}`).digest('hex').slice(0, 40);
