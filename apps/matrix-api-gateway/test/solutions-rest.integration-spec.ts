import { WorkforceRest } from './workforce-rest';

/*
 * REST v1 `/v1/buildings/{pid}/solutions…`: the gateway on a real PostgreSQL and NATS, forwarding
 * scteams.getSolutionSettings / updateSolutionSettings to the real incident-service.
 */

const w = new WorkforceRest('solutions-rest');

beforeAll(() => w.start(), 60_000);
afterAll(() => w.stop());

const solutions = (suffix = '') => `/v1/buildings/${w.pid}/solutions${suffix}`;
const stored = () =>
  w.query('select pid, slot_type, params::text as params from workforce.solution_settings order by 1, 2');

const PPLCTR_DEFAULTS = {
  slotType: 'PPLCTR',
  rules: ['usage'],
  params: { enabled: true, deviceBlockSeconds: 900, zoneBlockSeconds: 900, peopleThreshold: 30 },
  customised: [],
};

describe('solution settings over REST v1', () => {
  it('lists every watched slot type with its rules and defaults, and reads one named with or without its provider, any case', async () => {
    const list = await w.gw.rest(w.reader, 'GET', solutions());
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { slotType: string }) => s.slotType)).toEqual([
      'BIN',
      'FD',
      'ODRDTR',
      'ODRDTR_10_IN_1',
      'ODRDTR_BATT_V1',
      'PPLCTR',
      'PT',
      'SS',
      'TR',
      'UM',
      'WD',
    ]);
    expect(list.body.items[5]).toEqual(PPLCTR_DEFAULTS);
    expect(list.body.items[2]).toEqual({
      slotType: 'ODRDTR',
      rules: ['air-quality', 'ammonia'],
      params: {
        enabled: true,
        deviceBlockSeconds: 900,
        zoneBlockSeconds: 900,
        aqMaxAnomalies: 1,
        aqWindowSeconds: 600,
        aqZScore: 1.96,
        ammoniaThresholdPpm: null,
      },
      customised: [],
    });
    for (const name of ['PPLCTR', 'smartclean%23pplctr', 'pplctr']) {
      const one = await w.gw.rest(w.reader, 'GET', solutions(`/${name}`));
      expect([name, one.status, one.body]).toEqual([name, 200, PPLCTR_DEFAULTS]);
    }
  });

  it('changes parameters (admin) in camelCase, keeps the others, and the actions API reads the same settings; DELETE resets them (204)', async () => {
    const changed = await w.gw.rest(w.admin, 'PATCH', solutions('/SMARTCLEAN%23ODRDTR'), {
      ammoniaThresholdPpm: 0.5,
      zoneBlockSeconds: 600,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({
      slotType: 'ODRDTR',
      rules: ['air-quality', 'ammonia'],
      params: {
        enabled: true,
        deviceBlockSeconds: 900,
        zoneBlockSeconds: 600,
        aqMaxAnomalies: 1,
        aqWindowSeconds: 600,
        aqZScore: 1.96,
        ammoniaThresholdPpm: 0.5,
      },
      customised: ['ammoniaThresholdPpm', 'zoneBlockSeconds'],
    });
    const again = await w.gw.rest(w.admin, 'PATCH', solutions('/odrdtr'), { zoneBlockSeconds: 900 });
    expect(again.body).toMatchObject({
      params: { zoneBlockSeconds: 900, ammoniaThresholdPpm: 0.5 },
      customised: ['ammoniaThresholdPpm'],
    });
    expect((await w.gw.rest(w.reader, 'GET', solutions('/ODRDTR'))).body).toEqual(again.body);

    const viaActions = await w.gw.action(
      w.reader,
      { module: 'scworkforcemanagement', op: 'scteams.getSolutionSettings', pid: w.pid },
      { SlotType: 'ODRDTR' },
    );
    expect(viaActions.body.data.Solutions[0]).toMatchObject({
      SlotType: 'ODRDTR',
      Params: { AmmoniaThresholdPpm: 0.5, ZoneBlockSeconds: 900 },
      Customised: ['AmmoniaThresholdPpm'],
    });
    expect(await stored()).toEqual([
      { pid: w.pid, slot_type: 'ODRDTR', params: '{"AmmoniaThresholdPpm": 0.5}' },
    ]);

    const reset = await w.gw.rest(w.admin, 'DELETE', solutions('/ODRDTR'));
    expect([reset.status, reset.body]).toEqual([204, undefined]);
    const after = await w.gw.rest(w.reader, 'GET', solutions('/ODRDTR'));
    expect(after.body).toMatchObject({ params: { ammoniaThresholdPpm: null }, customised: [] });
    // A reset of defaults is no error.
    expect((await w.gw.rest(w.admin, 'DELETE', solutions('/ODRDTR'))).status).toBe(204);
  });

  it('refuses a parameter the slot type does not take or a value out of range (400 naming it), a reader or writer (403), an unknown slot type (404), another tenant (404), no credential (401), and writes nothing', async () => {
    const before = await stored();
    const patch = (
      body: unknown,
      keys: { accessKey: string; secretKey: string } = w.admin,
      slotType = 'PPLCTR',
    ) => w.gw.rest(keys, 'PATCH', solutions(`/${slotType}`), body);

    const unknown = await patch({ minFillPercent: 3, peopleThreshold: 40 });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.body.errors).toEqual([
      'minFillPercent: is not a parameter of PPLCTR (one of enabled, deviceBlockSeconds, zoneBlockSeconds, peopleThreshold)',
    ]);
    // REST names are camelCase exactly (the op's PascalCase is refused, as any other unknown field).
    expect((await patch({ PeopleThreshold: 40 })).body.errors).toEqual([
      'PeopleThreshold: is not a parameter of PPLCTR (one of enabled, deviceBlockSeconds, zoneBlockSeconds, peopleThreshold)',
    ]);
    const range = await patch({ peopleThreshold: 0, enabled: 'no' });
    expect([range.status, range.body.errors]).toEqual([
      400,
      ['peopleThreshold: must be a number from 1 to 1000000', 'enabled: must be true or false'],
    ]);
    expect((await patch(null)).body.errors).toEqual(['body: must be a JSON object']);
    expect((await patch([])).body.errors).toEqual(['body: must be a JSON object']);
    expect((await patch({})).body.errors).toEqual([
      'body: must change at least one of enabled, deviceBlockSeconds, zoneBlockSeconds, peopleThreshold',
    ]);

    for (const keys of [w.reader, w.writer]) {
      const denied = await patch({ peopleThreshold: 40 }, keys);
      expect(denied.status).toBe(403);
      expect((await w.gw.rest(keys, 'DELETE', solutions('/PPLCTR'))).status).toBe(403);
    }

    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { enabled: false }],
      ['DELETE', undefined],
    ] as const) {
      const missing = await w.gw.rest(w.admin, method, solutions('/TH'), body);
      expect([method, missing.status, missing.body.detail]).toEqual([
        method,
        404,
        'solution TH not found: TH is not a slot type a solution watches (one of BIN, FD, ODRDTR, ODRDTR_10_IN_1, ODRDTR_BATT_V1, PPLCTR, PT, SS, TR, UM, WD)',
      ]);
      const theirs = await w.gw.rest(w.stranger, method, solutions('/PPLCTR'), body);
      expect([method, theirs.status, theirs.body.detail]).toEqual([
        method,
        404,
        `building ${w.pid} not found`,
      ]);
    }
    expect((await w.gw.rest(w.stranger, 'GET', solutions())).status).toBe(404);
    expect((await fetch(`${w.gw.url}${solutions()}`)).status).toBe(401);
    expect((await fetch(`${w.gw.url}${solutions('/PPLCTR')}`, { method: 'DELETE' })).status).toBe(401);

    expect(await stored()).toEqual(before);
    expect((await w.gw.rest(w.reader, 'GET', solutions('/PPLCTR'))).body).toEqual(PPLCTR_DEFAULTS);
  });
});
