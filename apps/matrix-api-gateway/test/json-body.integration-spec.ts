import { Client } from 'pg';
import { GatewayHarness, type Keys } from './gateway-harness';

/*
 * The JSON literal `null` as a body, as the public SDKs post it for an op without arguments (the Python
 * SDK sends `json.dumps(None)` as `application/json`): no arguments on the Matrix actions API, for every
 * op of every module; a refusal naming the body on a REST v1 operation that needs one.
 */

const gw = new GatewayHarness('json-body');
let admin: Keys;
let pid: string;
let sql: Client;

async function counts(): Promise<Record<string, number>> {
  const { rows } = await sql.query(`select
      (select count(*) from registry.buildings)::int as buildings, (select count(*) from registry.levels)::int as levels,
      (select count(*) from registry.zones)::int as zones, (select count(*) from registry.device_slots)::int as slots,
      (select count(*) from registry.ingest_keys)::int as ingest_keys, (select count(*) from registry.properties)::int as properties`);
  return rows[0];
}

/** An answer without its `UpdatedOn` stamps (an op that writes with no arguments changes them). */
const comparable = (body: unknown): string =>
  JSON.stringify(body, (key, value: unknown) => (key === 'UpdatedOn' ? undefined : value));

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  sql = new Client({ connectionString: gw.db.url });
  await sql.connect();
  pid = (
    await gw.rest(admin, 'POST', `/v1/properties/${gw.tenant.propid}/buildings`, {
      name: 'Null Tower',
      levelsCount: 1,
      timeZone: 'UTC',
    })
  ).body.pid;
  await gw.rest(admin, 'POST', `/v1/buildings/${pid}/levels`, { name: 'Ground' });
});
afterAll(async () => {
  await sql?.end();
  await gw.stop();
});

describe('a null body on the Matrix actions API', () => {
  it('is no arguments for the ops the SDKs call without any (arguments in the query string only)', async () => {
    const property = await gw.action(admin, { op: 'scgrids.readProperty' }, null);
    expect(property).toMatchObject({
      status: 200,
      body: { status: 200, data: { PropId: gw.tenant.propid } },
    });
    const buildings = await gw.action(admin, { op: 'scgrids.listBuildingsByProperty' }, null);
    expect(buildings.status).toBe(200);
    expect(buildings.body.data.map((b: { PID: string }) => b.PID)).toEqual([pid]);
    const building = await gw.action(admin, { op: 'scgrids.readBuilding', pid }, null);
    expect(building).toMatchObject({ status: 200, body: { data: { PID: pid, Name: 'Null Tower' } } });
    const levels = await gw.action(admin, { op: 'scgrids.listLevelsByBuilding', pid }, null);
    expect(levels.status).toBe(200);
    expect(levels.body.data.map((l: { Name: string }) => l.Name)).toEqual(['Ground']);
    // The body as the Python SDK sends it, byte for byte.
    expect((await gw.action(admin, { op: 'scgrids.readProperty' }, 'null')).status).toBe(200);
  });

  it('answers every op of every module as an empty object does, storing nothing more', async () => {
    const { operations } = (await gw.rest(admin, 'GET', '/prod/v2/operations')).body as {
      operations: string[];
    };
    expect(operations.length).toBeGreaterThan(20);
    const modules = new Set(operations.map((op) => op.split('.')[0]));
    expect(modules.size).toBeGreaterThanOrEqual(3);
    const before = await counts();
    const differences: string[] = [];
    for (const op of operations) {
      const call = { module: op.split('.')[0], op, pid };
      const empty = await gw.action(admin, call, {});
      const none = await gw.action(admin, call, null);
      expect(none.status).toBeLessThan(500);
      if (none.status !== empty.status || comparable(none.body) !== comparable(empty.body)) {
        differences.push(
          `${op}: {} → ${empty.status} ${JSON.stringify(empty.body).slice(0, 200)}; null → ${none.status} ${JSON.stringify(none.body).slice(0, 200)}`,
        );
      }
      expect(JSON.stringify(none.body)).not.toMatch(/not valid JSON/);
    }
    expect(differences).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it('still refuses a body that is neither an object nor null, naming it', async () => {
    for (const body of ['42', '"text"', 'true', '[]', '[null]']) {
      const response = await gw.action(admin, { op: 'scgrids.readProperty' }, body);
      expect(response).toMatchObject({
        status: 400,
        body: { status: 400, code: 'WRONG_PARAMETERS', message: expect.stringMatching(/body|JSON/) },
      });
    }
  });
});

describe('a null body on REST v1', () => {
  it('is refused with 400 naming the body where an operation needs one, storing nothing', async () => {
    const before = await counts();
    const needBody: [string, string][] = [
      ['POST', `/v1/properties/${gw.tenant.propid}/buildings`],
      ['PATCH', `/v1/buildings/${pid}`],
      ['POST', `/v1/buildings/${pid}/levels`],
      ['POST', `/v1/buildings/${pid}/zones`],
      ['POST', `/v1/buildings/${pid}/device-slots`],
      ['POST', `/v1/buildings/${pid}/ingest-keys`],
      ['POST', '/v1/subscriptions'],
    ];
    for (const [method, path] of needBody) {
      const response = await gw.rest(admin, method, path, 'null');
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 400 });
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        status: 400,
        detail: expect.any(String),
        errors: ['body: must be a JSON object'],
      });
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses other bodies that are not an object as before', async () => {
    const response = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/levels`, '42');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, detail: expect.stringMatching(/JSON/) });
  });
});

describe('hostile bodies at the parse layer', () => {
  const deep = `${'['.repeat(20_000)}1${']'.repeat(20_000)}`;

  it('refuses a body nested deeper than MAX_INPUT_DEPTH naming the field, before anything walks it', async () => {
    const before = await counts();
    // The Idempotency-Key interceptor hashes the body before any validation (it overflowed the stack: 500).
    const rest = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/levels`, `{"name": ${deep}}`, {
      'idempotency-key': 'deep-1',
    });
    expect(rest).toMatchObject({
      status: 400,
      body: { errors: [expect.stringMatching(/^name(\.0)+: is nested more than 16 levels deep$/)] },
    });
    const action = await gw.action(admin, { op: 'scgrids.readBuilding', pid }, `{"x": ${deep}}`);
    expect(action).toMatchObject({
      status: 400,
      body: {
        code: 'WRONG_PARAMETERS',
        message: expect.stringMatching(/is nested more than 16 levels deep/),
      },
    });
    expect(await counts()).toEqual(before);
  });

  it('refuses prototype keys anywhere in a body on both surfaces, naming the field', async () => {
    const hostile = '{"Name": "x", "Tags": {"constructor": {"prototype": {"x": 1}}}}';
    const action = await gw.action(admin, { op: 'scgrids.readBuilding', pid }, hostile);
    expect(action).toMatchObject({
      status: 400,
      body: {
        code: 'WRONG_PARAMETERS',
        message: expect.stringMatching(/constructor: is not an allowed field name/),
      },
    });
    const rest = await gw.rest(admin, 'PATCH', `/v1/buildings/${pid}`, '{"__proto__": {"name": "y"}}');
    expect(rest).toMatchObject({
      status: 400,
      body: { errors: ['__proto__: is not an allowed field name'] },
    });
  });
});
