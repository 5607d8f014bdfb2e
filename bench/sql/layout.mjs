// The world of the SQL benchmark, shared by the seeding (seed.mjs), the Matrix events (events.mjs) and the
// measurements (run.mjs): 2 properties of 2 buildings each, 50 zones per building on 5 levels, and the
// device slots of each zone. Everything is derived from the run id and a seeded PRNG, so a run can be
// repeated with the same inputs.

export const DAYS = 30;
export const PROVIDER = 'SMARTCLEAN';
const LEVELS_PER_BUILDING = 5;
const ZONES_PER_LEVEL = 10;

/**
 * The properties and their time zones. The tenant role of the benchmark is made for the first; the
 * second (another time zone, with summer time) is data the tenant must not see.
 */
const PROPERTIES = [
  { key: 'a', region: 'Asia/Singapore', buildings: 2 },
  { key: 'b', region: 'Europe/Berlin', buildings: 2 },
];

/**
 * The slot types of a zone by its kind, with the relative rate of readings of each (a people counter
 * reports about every 100 s at the full 10 million rows; a feedback panel a dozenth as often). Every zone
 * has a people counter, so the people-per-zone query answers one row per zone of the building.
 */
export const ZONE_KINDS = {
  washroom: { PPLCTR: 12, UM: 6, FD: 1, TR: 2, ODRDTR_BATT_V1: 4, TH: 4 },
  pantry: { PPLCTR: 12, FD: 1, BIN: 2, TH: 4 },
  lobby: { PPLCTR: 12, TH: 4 },
};
/** Zone kinds in turn along a level: half washrooms, a quarter pantries, a quarter lobbies and offices. */
const KIND_CYCLE = ['washroom', 'pantry', 'washroom', 'lobby'];
const NAMES = { washroom: 'Washroom', pantry: 'Pantry', lobby: 'Lobby' };

/** A small, fast, seeded PRNG (mulberry32): floats in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` hex digits from `random` (building ids look like the registry's: 32 hex digits). */
const hex = (random, n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');

/**
 * The properties, buildings, levels, zones and slots of a run. `slots` is flat, each with its index
 * `slotNo` (0…), the weight of its type and the columns its sensor rows carry.
 */
export function benchLayout(runId) {
  const random = prng(0x5eed15);
  const properties = [];
  const buildings = [];
  const zones = [];
  const slots = [];
  for (const spec of PROPERTIES) {
    const property = {
      propId: `bench-sql-${runId}-${spec.key}`,
      org: 'BENCH',
      region: spec.region,
      buildings: [],
    };
    properties.push(property);
    for (let b = 0; b < spec.buildings; b++) {
      const pid = hex(random, 32);
      const building = { pid, propId: property.propId, region: property.region, levels: [], zones: [] };
      for (let l = 0; l < LEVELS_PER_BUILDING; l++) {
        const level = { lid: `${pid.slice(0, 8)}-l${l + 1}`, name: `Level ${l + 1}`, level: String(l + 1) };
        building.levels.push(level);
        for (let z = 0; z < ZONES_PER_LEVEL; z++) {
          const kind = KIND_CYCLE[z % KIND_CYCLE.length];
          const zone = {
            pid,
            propId: property.propId,
            region: property.region,
            insid: `${pid.slice(0, 8)}-z${String(l * ZONES_PER_LEVEL + z + 1).padStart(3, '0')}`,
            lid: level.lid,
            name: `${NAMES[kind]} L${l + 1}-${z + 1}`,
            kind,
            area: 20 + Math.round(random() * 80),
          };
          building.zones.push(zone);
          zones.push(zone);
          for (const [type, weight] of Object.entries(ZONE_KINDS[kind])) {
            slots.push({
              slotNo: slots.length,
              pid,
              propId: property.propId,
              region: property.region,
              insid: zone.insid,
              devtype: `${PROVIDER}#${type}`,
              alias: `${zone.insid}-${type.toLowerCase()}`,
              display: `${type} in ${zone.name}`,
              weight,
            });
          }
        }
      }
      property.buildings.push(building);
      buildings.push(building);
    }
  }
  return { properties, buildings, zones, slots };
}

/**
 * How many rows each slot gets on day `day` so that the days add up to exactly `rows`: the day's share
 * (`rows / DAYS`, the remainder spread over the first days) split by the slots' weights, what rounding
 * leaves spread over the first slots.
 */
export function rowsPerSlot(slots, rows, day) {
  const dayRows = Math.floor(rows / DAYS) + (day < rows % DAYS ? 1 : 0);
  const total = slots.reduce((sum, s) => sum + s.weight, 0);
  const counts = slots.map((s) => Math.floor((dayRows * s.weight) / total));
  let left = dayRows - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % counts.length, left--) counts[i]++;
  return counts;
}

/** UTC offset (`+08:00`) of `timeZone` at epoch ms `at`. */
export function offsetAt(timeZone, at) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  const minutes = Math.round((local - Math.floor(at / 1000) * 1000) / 60_000);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The local wall-clock time `date` (`YYYY-MM-DD`) `time` (`HH:MM:SS`) in `timeZone` as an ISO literal with
 * its offset, e.g. `2026-11-20T23:59:59+08:00` (the form the documented queries use).
 */
export function localLiteral(date, time, timeZone) {
  const wall = Date.parse(`${date}T${time}Z`);
  // The offset at the instant this wall time names: guess with the offset at the wall time read as UTC,
  // then correct once (enough away from a summer-time change, and exact on either side of one).
  let offset = offsetAt(timeZone, wall);
  const instant = wall - offsetMinutes(offset) * 60_000;
  offset = offsetAt(timeZone, instant);
  return `${date}T${time}${offset}`;
}

const offsetMinutes = (offset) => {
  const [, sign, h, m] = /^([+-])(\d\d):(\d\d)$/.exec(offset);
  return (sign === '-' ? -1 : 1) * (Number(h) * 60 + Number(m));
};

/** `YYYY-MM-DD` of epoch ms `at` plus `days`, in UTC. */
export const utcDate = (at, days = 0) => new Date(at + days * 86_400_000).toISOString().slice(0, 10);
