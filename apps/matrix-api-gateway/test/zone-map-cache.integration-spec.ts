import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/matrix-api-gateway.config';
import { createGatewayApp } from '../src/gateway-http-adapter';
import { ZoneMapCache } from '../src/registry/zone-map-cache';
import { GatewayHarness, type Keys } from './gateway-harness';

/*
 * The zone map is cached per replica (ZoneMapCache), keyed by the building's zone_map_version. Two
 * replicas on one database: a change made through either one, or straight in SQL, must show in the next
 * read on both, on both surfaces, with no waiting.
 */
const gw = new GatewayHarness('zone_map_cache');
let replicaB: INestApplication;
/** The same client calls, sent to replica B. */
let viaB: GatewayHarness;
let sql: Client;
let admin: Keys;
let pid: string;
let lid: string;
const ids: Record<string, string> = {};

/** The zone map as read on both surfaces of one replica; fails unless both agree. */
async function zoneMap(replica: GatewayHarness): Promise<Record<string, string>> {
  const rest = await replica.rest(admin, 'GET', `/v1/buildings/${pid}/zone-map`);
  const matrix = await replica.action(admin, { op: 'scgrids.buildingZoneMap', pid });
  expect(rest.status).toBe(200);
  expect(matrix.status).toBe(200);
  expect(matrix.body.data).toEqual(rest.body.zones);
  return rest.body.zones;
}

/** Every page of the REST zone map of one replica, `limit` zones at a time. */
async function restPages(replica: GatewayHarness, limit: number): Promise<Record<string, string>[]> {
  const pages: Record<string, string>[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `limit=${limit}&cursor=${cursor}` : `limit=${limit}`;
    const page = await replica.rest(admin, 'GET', `/v1/buildings/${pid}/zone-map?${query}`);
    expect(page.status).toBe(200);
    pages.push(page.body.zones);
    cursor = page.body.nextCursor;
  } while (cursor);
  return pages;
}

const version = async () =>
  (await sql.query('select zone_map_version::text as v from registry.buildings where pid = $1', [pid]))
    .rows[0].v as string;

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  replicaB = await createGatewayApp(AppModule.forRoot(loadConfig(gw.env)), { logger: false });
  await replicaB.listen(0, '127.0.0.1');
  const urlB = (await replicaB.getUrl()).replace('[::1]', '127.0.0.1');
  // The harness's signed calls, against replica B's URL.
  viaB = Object.assign(Object.create(gw) as GatewayHarness, { url: urlB });
  sql = new Client({ connectionString: gw.db.url });
  await sql.connect();

  const building = await gw.rest(admin, 'POST', `/v1/properties/${gw.tenant.propid}/buildings`, {
    name: 'Cache Tower',
    levelsCount: 1,
    timeZone: 'Europe/Berlin',
  });
  pid = building.body.pid;
  lid = (await gw.rest(admin, 'POST', `/v1/buildings/${pid}/levels`, { name: 'Ground' })).body.lid;
  const created = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/zones`, {
    zones: ['Lobby', 'Kitchen', 'Office'].map((name) => ({ name, lid })),
  });
  for (const zone of created.body.items) ids[zone.name] = zone.insId;
});
afterAll(async () => {
  await sql?.end();
  await replicaB?.close();
  await gw.stop();
});

describe('the zone-map cache with two replicas', () => {
  it('serves a rename through one replica at once on both', async () => {
    // Both replicas have the map cached now.
    expect(Object.values(await zoneMap(gw)).sort()).toEqual(['Kitchen', 'Lobby', 'Office']);
    expect(Object.values(await zoneMap(viaB)).sort()).toEqual(['Kitchen', 'Lobby', 'Office']);

    const renamed = await gw.rest(admin, 'PATCH', `/v1/buildings/${pid}/zones/${ids['Lobby']}`, {
      name: 'Reception',
    });
    expect(renamed.status).toBe(200);
    expect((await zoneMap(viaB))[ids['Lobby']!]).toBe('Reception');
    expect((await zoneMap(gw))[ids['Lobby']!]).toBe('Reception');
  });

  it('serves zones created and removed through either replica at once on the other', async () => {
    const created = await viaB.action(
      admin,
      { op: 'scgrids.createZone', pid },
      { Zone: [{ Name: 'Washroom', LID: lid }] },
    );
    expect(created.status).toBe(201);
    ids['Washroom'] = created.body.data[0].InsID;
    expect((await zoneMap(gw))[ids['Washroom']!]).toBe('Washroom');

    expect((await gw.rest(admin, 'DELETE', `/v1/buildings/${pid}/zones/${ids['Kitchen']}`)).status).toBe(204);
    const map = await zoneMap(viaB);
    expect(map[ids['Kitchen']!]).toBeUndefined();
    expect(Object.values(map).sort()).toEqual(['Office', 'Reception', 'Washroom']);
  });

  it('sees changes made in SQL, outside the gateway', async () => {
    await zoneMap(gw);
    await zoneMap(viaB);
    await sql.query('update registry.zones set name = $2 where ins_id = $1', [ids['Office'], 'Open Office']);
    expect((await zoneMap(gw))[ids['Office']!]).toBe('Open Office');
    expect((await zoneMap(viaB))[ids['Office']!]).toBe('Open Office');
  });

  it('keeps the cached map when a change does not touch it', async () => {
    const before = await version();
    const updated = await viaB.rest(admin, 'PATCH', `/v1/buildings/${pid}/zones/${ids['Office']}`, {
      status: 'inactive',
      area: 42,
    });
    expect(updated.status).toBe(200);
    expect(await version()).toBe(before);
    expect((await zoneMap(gw))[ids['Office']!]).toBe('Open Office');
  });

  it('bumps the version once per committed transaction that changes the map, never for a rolled-back one', async () => {
    const v0 = BigInt(await version());
    const created = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/zones`, {
      zones: ['Store 1', 'Store 2', 'Store 3'].map((name) => ({ name, lid })),
    });
    expect(created.status).toBe(201);
    expect(BigInt(await version())).toBe(v0 + 1n);

    const [a, b] = created.body.items.map((z: { insId: string }) => z.insId);
    await sql.query('begin');
    await sql.query(`update registry.zones set name = 'Store A' where ins_id = $1`, [a]);
    await sql.query(`update registry.zones set name = 'Store B' where ins_id = $1`, [b]);
    await sql.query('commit');
    expect(BigInt(await version())).toBe(v0 + 2n);

    await sql.query('begin');
    await sql.query(`update registry.zones set name = 'Gone' where ins_id = $1`, [a]);
    await sql.query('rollback');
    expect(BigInt(await version())).toBe(v0 + 2n);

    // A savepoint rolled back takes its bump (and the once-per-transaction mark) with it.
    await sql.query('begin');
    await sql.query('savepoint s');
    await sql.query(`update registry.zones set name = 'Nope' where ins_id = $1`, [a]);
    await sql.query('rollback to savepoint s');
    await sql.query(`update registry.zones set name = 'Store AA' where ins_id = $1`, [a]);
    await sql.query('commit');
    expect(BigInt(await version())).toBe(v0 + 3n);
    expect((await zoneMap(viaB))[a]).toBe('Store AA');
    expect((await zoneMap(gw))[b]).toBe('Store B');
  });

  it('pages the cached map with a cursor on both surfaces', async () => {
    const full = await zoneMap(gw);
    const sorted = Object.keys(full).sort();
    const pages = await restPages(viaB, 2);
    expect(pages.map((page) => Object.keys(page))).toEqual(
      Array.from({ length: Math.ceil(sorted.length / 2) }, (_, i) => sorted.slice(2 * i, 2 * i + 2)),
    );
    expect(Object.assign({}, ...pages)).toEqual(full);
    const last = sorted[sorted.length - 1]!;
    const tail = await gw.action(admin, { op: 'scgrids.buildingZoneMap', pid }, { ESK: sorted[1] });
    expect(Object.keys(tail.body.data)).toEqual(sorted.slice(2));
    const none = await gw.action(admin, { op: 'scgrids.buildingZoneMap', pid }, { ESK: last });
    expect(none.body).toEqual({ status: 200, message: 'Success', data: {} });
  });

  it('pages a building too large to cache straight from the database, in the same order', async () => {
    const full = await zoneMap(gw);
    // Replica B takes the building for one too large to cache (at its current version).
    replicaB.get(ZoneMapCache).markTooLarge(pid, BigInt(await version()));
    expect(await zoneMap(viaB)).toEqual(full);
    const pages = await restPages(viaB, 2);
    expect(pages.flatMap((page) => Object.keys(page))).toEqual(Object.keys(full).sort());
    expect(Object.assign({}, ...pages)).toEqual(full);
  });

  it('answers 304 to a matching If-None-Match until the map changes', async () => {
    const first = await gw.rest(admin, 'GET', `/v1/buildings/${pid}/zone-map`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    // fetch adds `Cache-Control: no-cache` (which forbids a 304) to conditional requests without one.
    const conditional = { 'if-none-match': etag, 'cache-control': 'max-age=0' };
    const again = await viaB.rest(admin, 'GET', `/v1/buildings/${pid}/zone-map`, undefined, conditional);
    expect(again.status).toBe(304);
    await viaB.rest(admin, 'PATCH', `/v1/buildings/${pid}/zones/${ids['Washroom']}`, { name: 'WC' });
    const changed = await gw.rest(admin, 'GET', `/v1/buildings/${pid}/zone-map`, undefined, conditional);
    expect(changed.status).toBe(200);
    expect(changed.body.zones[ids['Washroom']!]).toBe('WC');
  });

  it('keeps tenancy: another property gets not found, also from a warm cache', async () => {
    await zoneMap(gw);
    const other = await gw.bootstrap('ACME', 'Other Campus');
    const rest = await gw.rest(other, 'GET', `/v1/buildings/${pid}/zone-map`);
    expect(rest.status).toBe(404);
    const matrix = await viaB.action(other, { op: 'scgrids.buildingZoneMap', pid, propid: other.propid });
    expect(matrix.status).toBe(404);
    expect(JSON.stringify(matrix.body)).not.toContain('Reception');
  });
});
