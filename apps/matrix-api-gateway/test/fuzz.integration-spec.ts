import { Client } from 'pg';
import { GatewayHarness, type Keys } from './gateway-harness';

/*
 * Fuzzed bodies and query strings against both surfaces: wrong types, huge values, unicode, missing
 * fields. Nothing may answer 500, and a refused request may not leave a partial write.
 */

const gw = new GatewayHarness('fuzz');
let admin: Keys;
let pid: string;
let lid: string;
let insId: string;
let sql: Client;

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed: number) {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const strings = [
    '',
    ' ',
    'Zone ✓ 区域 🚻',
    'x'.repeat(5000),
    '\u0000\u0001',
    '../../etc/passwd',
    "'; drop table registry.zones; --",
    '%00',
    '{{lid}}',
    'L0',
  ];
  const numbers = [0, -1, 1e308, -1e308, 3.14, 2 ** 53 + 1, 61, 60, 1e9 + 1];
  const value = (depth = 0): unknown => {
    switch (Math.floor(next() * (depth > 2 ? 5 : 8))) {
      case 0:
        return pick(strings);
      case 1:
        return pick(numbers);
      case 2:
        return next() < 0.5;
      case 3:
        return null;
      case 4:
        return pick([lid, insId, pid, 'no-such-id']);
      case 5:
        return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
      default:
        return Object.fromEntries(
          Array.from({ length: Math.floor(next() * 4) }, () => [
            pick(['Name', 'LID', 'x', '__proto__', 'constructor']),
            value(depth + 1),
          ]),
        );
    }
  };
  const body = (fields: readonly string[]): unknown => {
    if (next() < 0.1) return pick(['[]', 'null', '"text"', '42', '{"unterminated":', '\uFEFF{}']);
    return Object.fromEntries(fields.filter(() => next() < 0.7).map((field) => [field, value()]));
  };
  return { next, pick, value, body, strings };
}

const ACTION_OPS: Record<string, readonly string[]> = {
  'scgrids.createZone': ['Zone'],
  'scgrids.updateZone': [
    'InsID',
    'Name',
    'Area',
    'Status',
    'OperatingHours',
    'Units',
    'IsBuildingOperatingHours',
  ],
  'scgrids.createLevel': ['Name', 'Level', 'Area', 'FloorPlan'],
  'scgrids.updateLevel': ['LID', 'Name', 'Level', 'Area'],
  'scgrids.readZone': ['InsID'],
  'scgrids.listZonesByLevel': ['LID', 'ZoneCategoryIDs', 'ESK'],
  'scgrids.buildingZoneMap': ['ESK'],
  'scgrids.listZonesByIDs': ['InsIDs'],
  'scgrids.updateBuilding': ['Name', 'Status', 'LevelsCount', 'OperatingHours', 'TimeZone'],
  'scgrids.createBuilding': ['Name', 'LevelsCount', 'TimeZone', 'OperatingHours', 'Area', 'PID'],
  'scdevicemanagement.getDeviceSlots': ['Alias'],
  'scdevicemanagement.listDevicesByProviderType': ['DeviceProviderType', 'ESK'],
};

async function counts(): Promise<Record<string, number>> {
  const { rows } = await sql.query(`select
      (select count(*) from registry.buildings)::int as buildings, (select count(*) from registry.levels)::int as levels,
      (select count(*) from registry.zones)::int as zones, (select count(*) from registry.device_slots)::int as slots`);
  return rows[0];
}

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  sql = new Client({ connectionString: gw.db.url });
  await sql.connect();
  pid = (
    await gw.rest(admin, 'POST', `/v1/properties/${gw.tenant.propid}/buildings`, {
      name: 'Fuzz',
      levelsCount: 1,
      timeZone: 'UTC',
    })
  ).body.pid;
  lid = (await gw.rest(admin, 'POST', `/v1/buildings/${pid}/levels`, { name: 'G' })).body.lid;
  insId = (await gw.rest(admin, 'POST', `/v1/buildings/${pid}/zones`, { zones: [{ name: 'Z', lid }] })).body
    .items[0].insId;
});
afterAll(async () => {
  await sql?.end();
  await gw.stop();
});

describe('fuzzed requests', () => {
  it('never answer 500 on the Matrix actions API and leave no partial write', async () => {
    const g = generator(20261126);
    const before = await counts();
    const failures: string[] = [];
    let created = { zones: 0, levels: 0, buildings: 0 };
    for (let i = 0; i < 250; i++) {
      const op = g.pick(Object.keys(ACTION_OPS));
      const module = op.split('.')[0] === 'scgrids' ? 'scgrids' : 'scdevicemanagement';
      const body = g.body(ACTION_OPS[op]!);
      const target = g.next() < 0.85 ? pid : g.pick(g.strings);
      const response = await gw.action(
        admin,
        { module, op, pid: target || 'scnoop' },
        typeof body === 'string' ? body : body,
      );
      if (response.status >= 500) {
        failures.push(
          `${op} ${JSON.stringify(body).slice(0, 200)} → ${response.status} ${JSON.stringify(response.body)}`,
        );
      }
      if (response.status < 300) {
        if (op === 'scgrids.createZone') {
          created = { ...created, zones: created.zones + response.body.data.length };
        }
        if (op === 'scgrids.createLevel') created = { ...created, levels: created.levels + 1 };
        if (op === 'scgrids.createBuilding') created = { ...created, buildings: created.buildings + 1 };
      } else {
        expect(response.body).toEqual({
          status: response.status,
          code: expect.any(String),
          message: expect.any(String),
        });
      }
    }
    expect(failures).toEqual([]);
    const after = await counts();
    expect(after).toEqual({
      buildings: before['buildings']! + created.buildings,
      levels: before['levels']! + created.levels,
      zones: before['zones']! + created.zones,
      slots: before['slots'],
    });
  });

  it('never answer 500 on REST v1, for bodies, paths and query strings', async () => {
    const g = generator(7);
    const routes: [string, () => string, readonly string[]][] = [
      ['POST', () => `/v1/buildings/${pid}/zones`, ['zones']],
      [
        'PATCH',
        () => `/v1/buildings/${pid}/zones/${insId}`,
        ['name', 'status', 'area', 'operatingHours', 'units'],
      ],
      ['POST', () => `/v1/buildings/${pid}/device-slots`, ['alias', 'type', 'zoneId', 'params', 'timeZone']],
      ['PATCH', () => `/v1/buildings/${pid}`, ['name', 'levelsCount', 'timeZone', 'operatingHours']],
      ['POST', () => `/v1/buildings/${pid}/levels`, ['name', 'level', 'area']],
      [
        'GET',
        () =>
          `/v1/device-slots?pid=${encodeURIComponent(String(g.value()))}&type=${encodeURIComponent(String(g.value()))}&limit=${encodeURIComponent(String(g.value()))}`,
        [],
      ],
      [
        'GET',
        () =>
          `/v1/buildings/${pid}/zone-map?cursor=${encodeURIComponent(String(g.value()))}&limit=${encodeURIComponent(String(g.value()))}`,
        [],
      ],
      [
        'GET',
        () =>
          `/v1/buildings/${encodeURIComponent(String(g.value()))}/zones?levelId=${encodeURIComponent(String(g.value()))}`,
        [],
      ],
    ];
    const failures: string[] = [];
    for (let i = 0; i < 250; i++) {
      const [method, path, fields] = g.pick(routes);
      const url = path();
      const body = method === 'GET' ? undefined : g.body(fields);
      const response = await gw.rest(admin, method, url, body);
      if (response.status >= 500) {
        failures.push(
          `${method} ${url} ${JSON.stringify(body)?.slice(0, 200)} → ${response.status} ${JSON.stringify(response.body)}`,
        );
      }
      if (response.status >= 400) {
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
    }
    expect(failures).toEqual([]);
  });
});
