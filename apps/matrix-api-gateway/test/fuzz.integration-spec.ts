import * as fc from 'fast-check';
import { Client } from 'pg';
import { expectProblem, hostileJson, malformedJson, mutatedJson } from '@matrix/testing';
import { GatewayHarness, type Keys } from './gateway-harness';
import { createSensorDataTable } from './sensor-data-table';

/*
 * Property-based fuzzing (fast-check) of both gateway surfaces: request bodies as JSON text with prototype
 * keys at any depth, deep nesting, huge numbers, lone surrogates, NUL, wrong types, and mutations of valid
 * requests (so runs reach deep validation); paths and query strings likewise. Nothing may answer 5xx,
 * every refusal carries its surface's error body naming what is wrong, and a refused request stores
 * nothing. The seed is fixed (FUZZ_SEED overrides it, FUZZ_RUNS the number of runs); fast-check prints
 * the seed and the shrunk counterexample of a failure.
 */

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261207);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 250);

const gw = new GatewayHarness('fuzz');
let admin: Keys;
let pid: string;
let lid: string;
let insId: string;
let sql: Client;

type Counts = Record<'buildings' | 'levels' | 'zones' | 'slots' | 'ingestKeys', number>;

async function counts(): Promise<Counts> {
  const { rows } = await sql.query(`select
      (select count(*) from registry.buildings)::int as buildings, (select count(*) from registry.levels)::int as levels,
      (select count(*) from registry.zones)::int as zones, (select count(*) from registry.device_slots)::int as slots,
      (select count(*) from registry.ingest_keys)::int as "ingestKeys"`);
  return rows[0];
}

/** Values for path segments and query parameters: hostile text, ids of this tenant, percent escapes. */
const urlValue = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      '%00',
      '%FF',
      '%ED%A0%80',
      '%',
      '%zz',
      '..%2F..%2Fetc%2Fpasswd',
      encodeURIComponent("'; drop table registry.zones; --"),
      encodeURIComponent('Zone ✓ 区域 🚻'),
      'x'.repeat(3000),
      '1e308',
      '-0',
      '9007199254740993',
      '-1',
      '0',
      '61',
      'null',
      'no-such-id',
      '2026-11-26T08:15:30Z',
      encodeURIComponent('2026-11-26T08:15:30+01:00'),
    ),
    fc.constantFrom(pid, lid, insId).map(encodeURIComponent),
    fc.string({ maxLength: 20 }).map(encodeURIComponent),
  );

/** A body: a valid one mutated at any depth (most runs), any hostile JSON, or text that is not JSON. */
const body = (valid: unknown, fields: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: mutatedJson(valid, fields, [pid, lid, insId, 'no-such-id']) },
    { weight: 2, arbitrary: hostileJson(fields, [pid, lid, insId]) },
    { weight: 1, arbitrary: malformedJson },
  );

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  sql = new Client({ connectionString: gw.db.url });
  await sql.connect();
  await createSensorDataTable(gw.db.url);
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
  it('never answer 5xx on the Matrix actions API, refuse with the envelope and leave no partial write', async () => {
    const hours = { '1': [{ Start: '0700', End: '1900' }] };
    /** A valid body of each op, with the fields its mutations use as keys. */
    const ops: Record<string, unknown> = {
      'scgrids.createZone': { Zone: [{ Name: 'Zone', LID: lid, ZoneCategoryID: 'LOBBY', Area: 12.5 }] },
      'scgrids.updateZone': {
        InsID: insId,
        Name: 'Z',
        Area: 10,
        Status: 'Active',
        OperatingHours: hours,
        Units: { sqm: 1 },
        IsBuildingOperatingHours: false,
      },
      'scgrids.createLevel': { Name: 'Level', Level: 'L9', Area: 100, FloorPlan: 'plan.png' },
      'scgrids.updateLevel': { LID: lid, Name: 'G', Level: 'L0', Area: 1 },
      'scgrids.readZone': { InsID: insId },
      'scgrids.listZonesByLevel': { LID: lid, ZoneCategoryIDs: ['LOBBY'] },
      'scgrids.buildingZoneMap': {},
      'scgrids.listZonesByIDs': { InsIDs: [insId] },
      'scgrids.updateBuilding': {
        Name: 'Fuzz',
        Status: 'Active',
        LevelsCount: 1,
        OperatingHours: hours,
        TimeZone: 'UTC',
      },
      'scgrids.createBuilding': { Name: 'Annex', LevelsCount: 1, TimeZone: 'UTC', Area: 100 },
      'scgrids.readBuilding': null,
      'scgrids.listLevelsByBuilding': null,
      'scdevicemanagement.getDeviceSlots': { Alias: 'no-such-slot' },
      'scdevicemanagement.listDevicesByProviderType': { DeviceProviderType: 'SMARTCLEAN#PPLCTR' },
      'scmetrics.tsdbQuery': {
        time: { start: '-1h' },
        metrics: ['sg.smartclean.pplctr.raw.count'],
        aggregations: ['sum'],
        aggregationInterval: '30T',
        filter: [{ tagk: 'l0class', tagv: pid }],
      },
    };
    const fieldsOf = (valid: unknown): string[] =>
      typeof valid === 'object' && valid !== null
        ? Object.keys(valid).concat(...Object.values(valid).map(fieldsOf))
        : [];
    const call = fc.oneof(
      ...Object.entries(ops).map(([op, valid]) =>
        fc.record({
          op: fc.constant(op),
          body: body(valid, fieldsOf(valid)),
          pid: fc.oneof({ weight: 6, arbitrary: fc.constant(pid) }, { weight: 1, arbitrary: urlValue() }),
        }),
      ),
    );
    const before = await counts();
    const created = { buildings: 0, levels: 0, zones: 0 };
    await fc.assert(
      fc.asyncProperty(call, async ({ op, body, pid: target }) => {
        const module = op.split('.')[0]!;
        const was = await counts();
        const response = await gw.action(admin, { module, op, pid: target || 'scnoop' }, body);
        const now = await counts();
        const seen = `${op} ${body.slice(0, 300)} → ${response.status} ${JSON.stringify(response.body)}`;
        expect({ seen, status: response.status < 500 }).toEqual({ seen, status: true });
        if (response.status < 300) {
          const grew = {
            zones: op === 'scgrids.createZone' ? response.body.data.length : 0,
            levels: op === 'scgrids.createLevel' ? 1 : 0,
            buildings: op === 'scgrids.createBuilding' ? 1 : 0,
          };
          created.zones += grew.zones;
          created.levels += grew.levels;
          created.buildings += grew.buildings;
          expect(now).toEqual({
            ...was,
            zones: was.zones + grew.zones,
            levels: was.levels + grew.levels,
            buildings: was.buildings + grew.buildings,
          });
        } else {
          expect(response.body).toEqual({
            status: response.status,
            code: expect.any(String),
            message: expect.stringMatching(/\S/),
          });
          expect({ seen, stored: now }).toEqual({ seen, stored: was });
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(await counts()).toEqual({
      ...before,
      buildings: before.buildings + created.buildings,
      levels: before.levels + created.levels,
      zones: before.zones + created.zones,
    });
  });

  it('never answer 5xx on REST v1, for bodies, paths and query strings, refuse with problem+json and store nothing refused', async () => {
    const zone = { name: 'Zone', lid, zoneCategoryId: 'LOBBY', area: 3, operatingHours: { '1': [] } };
    const routes: fc.Arbitrary<{ method: string; path: string; body?: string }>[] = [
      body({ zones: [zone, { ...zone, name: 'Other' }] }, ['zones', ...Object.keys(zone)]).map((b) => ({
        method: 'POST',
        path: `/v1/buildings/${pid}/zones`,
        body: b,
      })),
      body({ name: 'Z', status: 'Active', area: 1, operatingHours: { '2': [] }, units: { sqm: 1 } }, [
        'name',
        'status',
        'area',
        'operatingHours',
        'units',
      ]).map((b) => ({ method: 'PATCH', path: `/v1/buildings/${pid}/zones/${insId}`, body: b })),
      body({ type: 'SMARTCLEAN#PPLCTR', zoneId: insId, params: { x: 1 }, timeZone: 'UTC' }, [
        'alias',
        'type',
        'zoneId',
        'params',
        'timeZone',
      ]).map((b) => ({ method: 'POST', path: `/v1/buildings/${pid}/device-slots`, body: b })),
      body({ name: 'Fuzz', levelsCount: 1, timeZone: 'UTC', operatingHours: { '1': [] } }, [
        'name',
        'levelsCount',
        'timeZone',
        'operatingHours',
      ]).map((b) => ({ method: 'PATCH', path: `/v1/buildings/${pid}`, body: b })),
      body({ name: 'L', level: 'L1', area: 5 }, ['name', 'level', 'area']).map((b) => ({
        method: 'POST',
        path: `/v1/buildings/${pid}/levels`,
        body: b,
      })),
      body({ name: 'key', provider: 'SMARTCLEAN' }, ['name', 'provider']).map((b) => ({
        method: 'POST',
        path: `/v1/buildings/${pid}/ingest-keys`,
        body: b,
      })),
      fc.tuple(urlValue(), urlValue(), urlValue()).map(([p, type, limit]) => ({
        method: 'GET',
        path: `/v1/device-slots?pid=${p}&type=${type}&limit=${limit}`,
      })),
      fc.tuple(urlValue(), urlValue()).map(([cursor, limit]) => ({
        method: 'GET',
        path: `/v1/buildings/${pid}/zone-map?cursor=${cursor}&limit=${limit}`,
      })),
      fc.tuple(urlValue(), urlValue()).map(([building, levelId]) => ({
        method: 'GET',
        path: `/v1/buildings/${building}/zones?levelId=${levelId}`,
      })),
      fc.tuple(urlValue(), urlValue(), urlValue(), urlValue()).map(([from, to, type, limit]) => ({
        method: 'GET',
        path: `/v1/sensor-data?pid=${pid}&from=${from}&to=${to}&type=${type}&limit=${limit}`,
      })),
    ];
    // Some POSTs carry an Idempotency-Key (its interceptor hashes the body before any validation).
    const idempotencyKey = fc.option(
      fc.oneof(fc.uuid(), fc.constantFrom('', ' ', 'k1', 'x'.repeat(300), '%C3%A4', 'a\tb')),
      { freq: 3 },
    );
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(fc.oneof(...routes), idempotencyKey, async ({ method, path, body }, key) => {
        const was = await counts();
        const headers: Record<string, string> = key === null ? {} : { 'idempotency-key': key };
        const response = await gw.rest(admin, method, path, body, headers);
        const now = await counts();
        const seen = `${method} ${path.slice(0, 200)} [${key}] ${body?.slice(0, 300)} → ${response.status} ${JSON.stringify(response.body)}`;
        expect({ seen, status: response.status < 500 }).toEqual({ seen, status: true });
        if (response.status >= 400) {
          expectProblem(response, seen);
          expect({ seen, stored: now }).toEqual({ seen, stored: was });
        }
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
    // Only the building's creations over REST (levels, zones, slots, keys) may have added rows.
    expect((await counts()).buildings).toBe(before.buildings);
  });
});
