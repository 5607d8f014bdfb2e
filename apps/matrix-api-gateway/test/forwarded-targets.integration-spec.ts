import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { actionCommandV1, WORKFORCE_ACTIONS_SUBJECT, type ActionCommandV1 } from '@matrix/contracts';
import { CommandBus } from '@matrix/messaging';
import { Database } from '@matrix/persistence';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/matrix-api-gateway.config';
import { createGatewayApp } from '../src/gateway-http-adapter';
import { ZoneMapCache } from '../src/registry/zone-map-cache';
import { GatewayHarness, type Keys } from './gateway-harness';

/*
 * What a forwarded workforce call costs the registry, and that it is never stale. Replica B is measured:
 * every statement its pool sends is recorded. Its clock stands still, so the credential lookup (cached
 * 30 s per instance) and the last-used mark (once a minute) stay warm whatever the test's pace; the
 * zone-map cache is checked against the building's version on every call. Changes are committed by
 * someone else: through replica A (the harness's gateway), or in SQL on a connection of their own.
 */
const gw = new GatewayHarness('forwarded_targets');
let replicaB: INestApplication;
let viaB: GatewayHarness;
let owner: CommandBus;
let sql: Client;
let admin: Keys;
let pid: string;
let otherPid: string;
let lid: string;
const ids: Record<string, string> = {};
const received: ActionCommandV1[] = [];
const statements: string[] = [];

const silentLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
const MODULE = 'scworkforcemanagement';
const op = 'scteams.getUnassignedIncidentsForZone';

/** Statements on the tables of tenancy, credentials and targets (the outbox relay's are not the call's). */
const REGISTRY_READ = /\bregistry\.(buildings|properties|zones|credentials|organisations)\b/;

/** One forwarded call through replica B: its answer, what the owner was told, and the registry statements it sent. */
async function forwardViaB(building: string, zoneId?: string) {
  const before = statements.length;
  const count = received.length;
  const answer = await viaB.action(
    admin,
    { module: MODULE, op, pid: building },
    zoneId === undefined ? {} : { zoneId, StartTime: 1700000000 },
  );
  return {
    answer,
    command: received.length > count ? received.at(-1) : undefined,
    sent: statements.slice(before).filter((text) => REGISTRY_READ.test(text)),
  };
}

const zoneOf = async (zoneId: string) => (await forwardViaB(pid, zoneId)).command?.zones?.[zoneId];

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  const config = loadConfig(gw.env);
  const frozenAt = Date.now();
  // AppModule hands `config.auth` to AuthModule.forRoot, whose options take a clock for tests.
  const auth = { ...config.auth, clock: { now: () => frozenAt } };
  replicaB = await createGatewayApp(AppModule.forRoot({ ...config, auth }), { logger: false });
  await replicaB.listen(0, '127.0.0.1');
  viaB = Object.assign(Object.create(gw) as GatewayHarness, {
    url: (await replicaB.getUrl()).replace('[::1]', '127.0.0.1'),
  });
  const pool = replicaB.get(Database).pool;
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  jest.spyOn(pool, 'query').mockImplementation(((...args: unknown[]) => {
    const first = args[0];
    statements.push(typeof first === 'string' ? first : String((first as { text?: unknown }).text));
    return query(...args);
  }) as never);

  owner = new CommandBus(gw.nats, silentLogger as never);
  owner.serve(actionCommandV1(WORKFORCE_ACTIONS_SUBJECT), async (command) => {
    received.push(command);
    return { data: { Items: [] } };
  });
  await gw.nats.nc.flush();
  sql = new Client({ connectionString: gw.db.url });
  await sql.connect();

  const building = await gw.rest(admin, 'POST', `/v1/properties/${gw.tenant.propid}/buildings`, {
    name: 'Forward Tower',
    levelsCount: 1,
    timeZone: 'Asia/Singapore',
  });
  pid = building.body.pid;
  lid = (await gw.rest(admin, 'POST', `/v1/buildings/${pid}/levels`, { name: 'Ground' })).body.lid;
  const created = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/zones`, {
    zones: ['Lobby', 'Pantry'].map((name) => ({ name, lid })),
  });
  for (const zone of created.body.items) ids[zone.name] = zone.insId;
  const other = await gw.rest(admin, 'POST', `/v1/properties/${gw.tenant.propid}/buildings`, {
    name: 'Annex',
    levelsCount: 1,
    timeZone: 'Asia/Singapore',
  });
  otherPid = other.body.pid;
  const otherLid = (await gw.rest(admin, 'POST', `/v1/buildings/${otherPid}/levels`, { name: 'G' })).body.lid;
  const annexZones = await gw.rest(admin, 'POST', `/v1/buildings/${otherPid}/zones`, {
    zones: [{ name: 'Annex Hall', lid: otherLid }],
  });
  ids['Annex Hall'] = annexZones.body.items[0].insId;
}, 60_000);

afterAll(async () => {
  await owner?.stop();
  await sql?.end();
  await replicaB?.close();
  await gw.stop();
});

describe('a forwarded workforce call', () => {
  it('sends one registry statement per call once warm: the building, its tenancy and zone-map version', async () => {
    await forwardViaB(pid, ids['Lobby']); // warms the credential and the zone map
    for (const zone of ['Lobby', 'Pantry', 'Lobby']) {
      const { answer, command, sent } = await forwardViaB(pid, ids[zone]);
      expect(answer.status).toBe(200);
      expect(command).toMatchObject({
        op,
        building: {
          pid,
          org: gw.tenant.org,
          propId: gw.tenant.propid,
          name: 'Forward Tower',
          timeZone: 'Asia/Singapore',
        },
        zones: { [ids[zone]!]: { name: zone, categoryId: null } },
      });
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatch(/zone_map_version/);
      expect(sent[0]).not.toMatch(/registry\.zones/);
    }
    const noZone = await forwardViaB(pid);
    expect(noZone.command).toMatchObject({ building: { pid }, zones: {} });
    expect(noZone.sent).toHaveLength(1);
  });

  it('sees a zone renamed or added through another replica on the next call', async () => {
    expect(await zoneOf(ids['Lobby']!)).toEqual({ name: 'Lobby', categoryId: null });
    const renamed = await gw.rest(admin, 'PATCH', `/v1/buildings/${pid}/zones/${ids['Lobby']}`, {
      name: 'Reception',
    });
    expect(renamed.status).toBe(200);
    const next = await forwardViaB(pid, ids['Lobby']);
    expect(next.command?.zones).toEqual({ [ids['Lobby']!]: { name: 'Reception', categoryId: null } });
    // The new version is read with the building, and the zone map loaded once at it.
    expect(next.sent).toHaveLength(2);
    expect((await forwardViaB(pid, ids['Lobby'])).sent).toHaveLength(1);

    const added = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/zones`, {
      zones: [{ name: 'Washroom', lid, zoneCategoryId: 'WASHROOM' }],
    });
    expect(added.status).toBe(201);
    ids['Washroom'] = added.body.items[0].insId;
    expect(await zoneOf(ids['Washroom']!)).toEqual({ name: 'Washroom', categoryId: 'WASHROOM' });
  });

  it('sees a rename, a new category and a removal committed in SQL by another connection on the next call', async () => {
    expect(await zoneOf(ids['Pantry']!)).toEqual({ name: 'Pantry', categoryId: null });
    await sql.query('update registry.zones set name = $2 where ins_id = $1', [ids['Pantry'], 'Kitchen']);
    expect(await zoneOf(ids['Pantry']!)).toEqual({ name: 'Kitchen', categoryId: null });
    await sql.query('update registry.zones set zone_category_id = $2 where ins_id = $1', [
      ids['Pantry'],
      'PANTRY',
    ]);
    expect(await zoneOf(ids['Pantry']!)).toEqual({ name: 'Kitchen', categoryId: 'PANTRY' });
    await sql.query('delete from registry.zones where ins_id = $1', [ids['Pantry']]);
    const removed = await forwardViaB(pid, ids['Pantry']);
    expect(removed.answer).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: `zone ${ids['Pantry']} not found` },
    });
    expect(removed.command).toBeUndefined();
  });

  it('answers NOT_FOUND for a zone of another building, an unknown zone and building, without forwarding', async () => {
    await forwardViaB(otherPid, ids['Annex Hall']); // both buildings' zone maps cached
    const count = received.length;
    expect((await forwardViaB(pid, ids['Annex Hall'])).answer).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: `zone ${ids['Annex Hall']} not found` },
    });
    expect((await forwardViaB(otherPid, ids['Lobby'])).answer).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: `zone ${ids['Lobby']} not found` },
    });
    expect((await forwardViaB(pid, 'nosuchzone')).answer).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: 'zone nosuchzone not found' },
    });
    expect((await forwardViaB('nosuchbuilding', ids['Lobby'])).answer).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: 'building nosuchbuilding not found' },
    });
    expect(received.length).toBe(count);
  });

  it("answers another tenant's building exactly as a missing one", async () => {
    const stranger = await gw.bootstrap('STRANGER', 'Stranger Campus');
    const theirs = await gw.rest(stranger, 'POST', `/v1/properties/${stranger.propid}/buildings`, {
      name: 'Their Tower',
      levelsCount: 1,
      timeZone: 'UTC',
    });
    expect(theirs.status).toBe(201);
    const count = received.length;
    expect((await forwardViaB(theirs.body.pid, ids['Lobby'])).answer).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: `building ${theirs.body.pid} not found` },
    });
    expect(received.length).toBe(count);
  });

  it('reads the named zones with one query when the building is too large to cache', async () => {
    const [{ v }] = (
      await sql.query('select zone_map_version::text as v from registry.buildings where pid = $1', [pid])
    ).rows;
    replicaB.get(ZoneMapCache).markTooLarge(pid, BigInt(v));
    const { command, sent } = await forwardViaB(pid, ids['Washroom']);
    expect(command?.zones).toEqual({ [ids['Washroom']!]: { name: 'Washroom', categoryId: 'WASHROOM' } });
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatch(/from registry\.zones where pid = \$1 and ins_id = any/);
    expect((await forwardViaB(pid, 'nosuchzone')).answer).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: 'zone nosuchzone not found' },
    });
  });
});
