import type { ActionCommandV1 } from '@matrix/contracts';
import { DOCUMENTED_CREATE_ESCALATION_POLICY } from '@matrix/testing';
import { dataOf, WorkforceHarness, workforceCommand } from './workforce-harness';

/*
 * The six escalation-policy ops on a real NATS and PostgreSQL, with the documented request bodies of the
 * Matrix documentation (Appendix A), as the gateway forwards them.
 */

const B2 = { pid: 'b2', org: 'ACME', propId: 'p1', name: 'Annex', timeZone: 'Asia/Singapore' };

/** The documented body of `scteams.createEscalationPolicy`. */
const CREATE_BODY = DOCUMENTED_CREATE_ESCALATION_POLICY;

const DOCUMENTED_DURATIONS = {
  H: { StartThreshold: 300, DueTime: 900 },
  M: { StartThreshold: 600, DueTime: 900 },
  N: { StartThreshold: 900, DueTime: 1800 },
  L: { StartThreshold: 1800, DueTime: 3600 },
};

describe('incident-service: the escalation-policy ops', () => {
  const harness = new WorkforceHarness('escalation');

  beforeAll(() => harness.start(), 60_000);
  afterAll(() => harness.stop());

  const command = (op: string, args: Record<string, unknown>, extra: Partial<ActionCommandV1> = {}) =>
    workforceCommand(op, args, {}, extra);
  const call = (op: string, args: Record<string, unknown>, extra: Partial<ActionCommandV1> = {}) =>
    harness.call(command(op, args, extra));
  const data = dataOf;
  const create = async (policy: Record<string, unknown> = {}) =>
    data(
      await call('scteams.createEscalationPolicy', {
        EscalationPolicy: { ...CREATE_BODY.EscalationPolicy, ...policy },
      }),
    );
  const stored = async () =>
    (await harness.sql.query('select * from workforce.escalation_policies order by pid, policy_id')).rows;

  it('serves the documented default policy before a building changes it, in the map and the array form', async () => {
    expect(
      data(await call('scteams.getEscalationPolicy', { EscalationPolicyId: 'default', MapToArray: false })),
    ).toEqual({
      ID: 'b1',
      ATTR: 'attr#escalationpolicy#b1#default',
      PolicyId: 'default',
      Name: 'Default',
      Description: '',
      IsDefault: true,
      IncidentTypes: ['*'],
      TargetDurations: DOCUMENTED_DURATIONS,
      EscalationSettings: {
        UnassignedSettings: {},
        StartThresholdSettings: {},
        DueTimeThresholdSettings: {},
      },
    });
    const all = data(await call('scteams.getAllEscalationPolicies', { MapToArray: true }));
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      PolicyId: 'default',
      TargetDurations: [
        { Priority: 'H', StartThreshold: 300, DueTime: 900 },
        { Priority: 'M', StartThreshold: 600, DueTime: 900 },
        { Priority: 'N', StartThreshold: 900, DueTime: 1800 },
        { Priority: 'L', StartThreshold: 1800, DueTime: 3600 },
      ],
      UnassignedSettings: [],
      StartThresholdSettings: [],
      DueTimeThresholdSettings: [],
    });
    // A body without EscalationPolicyId (or the SDK's null body) reads the default one.
    expect(data(await call('scteams.getEscalationPolicy', {}))['PolicyId']).toBe('default');
    expect(await stored()).toEqual([]);
  });

  it('creates a policy from the documented body (retry-safe) and reads it back in both forms, per building', async () => {
    const answer = await call('scteams.createEscalationPolicy', CREATE_BODY);
    const created = data(answer);
    expect(answer.ok && answer.reply.message).toBe('Escalation policy created');
    expect(created['PolicyId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(created).toMatchObject({
      ID: 'b1',
      ATTR: `attr#escalationpolicy#b1#${created['PolicyId']}`,
      Name: 'EscalationPolicy 1',
      IsDefault: false,
      IncidentTypes: ['*'],
      TargetDurations: DOCUMENTED_DURATIONS,
      EscalationSettings: {
        UnassignedSettings: {},
        StartThresholdSettings: {
          L2: {
            Action: 'NOTIFY',
            Recipients: [{ Entity: 'gaurav@smartclean.sg', EntityMedium: 'EMAIL' }],
            TimeAfter: 90,
          },
          L3: {
            Action: 'NOTIFY',
            Recipients: [{ Entity: 'OCBC_001', EntityMedium: 'MATRIX_MOBILE_APP' }],
            TimeAfter: 90,
          },
        },
      },
    });
    expect(Object.keys(created['EscalationSettings']['DueTimeThresholdSettings'])).toEqual(['L2', 'L3']);
    expect(Math.abs(created['CreatedOn'] - Date.now() / 1000)).toBeLessThan(60);

    const asArray = data(
      await call('scteams.getEscalationPolicy', {
        EscalationPolicyId: created['PolicyId'],
        MapToArray: true,
      }),
    );
    const { Name, Description, IsDefault, IncidentTypes } = CREATE_BODY.EscalationPolicy;
    expect(asArray).toMatchObject({ Name, Description, IsDefault, IncidentTypes, UnassignedSettings: [] });
    expect(asArray['DueTimeThresholdSettings']).toEqual(
      [...CREATE_BODY.EscalationPolicy.DueTimeThresholdSettings].reverse(),
    );
    expect(asArray['TargetDurations']).toEqual(CREATE_BODY.EscalationPolicy.TargetDurations);

    const retry = await call('scteams.createEscalationPolicy', CREATE_BODY);
    expect(retry.ok && retry.reply.message).toBe('Escalation policy already created by an identical request');
    expect(data(retry)['PolicyId']).toBe(created['PolicyId']);
    expect((await stored()).filter((row) => row.policy_id === created['PolicyId'])).toHaveLength(1);

    const all = data(await call('scteams.getAllEscalationPolicies', { MapToArray: true }));
    expect(all.map((p: any) => p.PolicyId)).toEqual(['default', created['PolicyId']]);
    expect(all[0].IsDefault).toBe(true);
    const other = data(await call('scteams.getAllEscalationPolicies', {}, { pid: 'b2', building: B2 }));
    expect(other.map((p: any) => p.PolicyId)).toEqual(['default']);
    expect(
      await call(
        'scteams.getEscalationPolicy',
        { EscalationPolicyId: created['PolicyId'] },
        { pid: 'b2', building: B2 },
      ),
    ).toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: `escalation policy ${created['PolicyId']} not found`,
    });
  });

  it('updates details, threshold settings and target durations with the documented bodies', async () => {
    const { PolicyId } = await create({ Name: 'To update' });
    const details = await call('scteams.updateEscalationPolicyDetails', {
      EscalationPolicy: {
        PolicyId,
        Description: 'Additional Policy',
        Name: 'New Policy',
        IncidentTypes: [],
        UpdateOverride: false,
      },
      MapToArray: true,
    });
    expect(details.ok && details.reply.message).toBe('Escalation policy updated');
    expect(data(details)).toMatchObject({
      PolicyId,
      Name: 'New Policy',
      Description: 'Additional Policy',
      IncidentTypes: ['*'],
      TargetDurations: CREATE_BODY.EscalationPolicy.TargetDurations,
    });
    const added = data(
      await call('scteams.updateEscalationPolicyDetails', {
        EscalationPolicy: { PolicyId, IncidentTypes: ['Sensor'] },
      }),
    );
    expect(added).toMatchObject({ Name: 'New Policy', IncidentTypes: ['*', 'Sensor'] });
    const replaced = data(
      await call('scteams.updateEscalationPolicyDetails', {
        EscalationPolicy: { PolicyId, IncidentTypes: ['Sensor'], UpdateOverride: true },
      }),
    );
    expect(replaced['IncidentTypes']).toEqual(['Sensor']);

    const settings = data(
      await call('scteams.updateEscalationPolicySettings', {
        EscalationPolicy: {
          PolicyId,
          StartThresholdSettings: [
            {
              Level: 'L2',
              Recipients: [{ Entity: 'OCBC_001', EntityMedium: 'MATRIX_MOBILE_APP' }],
              TimeAfter: 100,
              Action: 'NOTIFY',
            },
            {
              Level: 'L1',
              Recipients: [{ Entity: 'OCBC_001', EntityMedium: 'MATRIX_MOBILE_APP' }],
              TimeAfter: 90,
              Action: 'NOTIFY',
            },
          ],
        },
      }),
    );
    const start = settings['EscalationSettings']['StartThresholdSettings'];
    expect(Object.keys(start)).toEqual(['L1', 'L2', 'L3']);
    expect(start['L2']).toEqual({
      Action: 'NOTIFY',
      Recipients: [{ Entity: 'OCBC_001', EntityMedium: 'MATRIX_MOBILE_APP' }],
      TimeAfter: 100,
    });
    expect(start['L3'].Recipients[0].Entity).toBe('OCBC_001');
    expect(Object.keys(settings['EscalationSettings']['DueTimeThresholdSettings'])).toEqual(['L2', 'L3']);

    const durations = data(
      await call('scteams.updateEscalationPolicyTargetDurations', {
        EscalationPolicy: {
          PolicyId,
          TargetDurations: [
            { Priority: 'H', DueTime: 190, StartThreshold: 150 },
            { Priority: 'L', DueTime: 190, StartThreshold: 150 },
            { Priority: 'M', DueTime: 190, StartThreshold: 150 },
          ],
        },
      }),
    );
    expect(durations['TargetDurations']).toEqual({
      H: { StartThreshold: 150, DueTime: 190 },
      M: { StartThreshold: 150, DueTime: 190 },
      N: { StartThreshold: 900, DueTime: 1800 },
      L: { StartThreshold: 150, DueTime: 190 },
    });
    // What the reads answer is what was stored.
    expect(data(await call('scteams.getEscalationPolicy', { EscalationPolicyId: PolicyId }))).toEqual(
      durations,
    );
  });

  it("updates a building's default policy (stored from then on) without touching another building's", async () => {
    const updated = data(
      await call('scteams.updateEscalationPolicyTargetDurations', {
        EscalationPolicy: {
          PolicyId: 'default',
          TargetDurations: [{ Priority: 'N', DueTime: 2400, StartThreshold: 1200 }],
        },
      }),
    );
    expect(updated).toMatchObject({
      PolicyId: 'default',
      IsDefault: true,
      IncidentTypes: ['*'],
      TargetDurations: { ...DOCUMENTED_DURATIONS, N: { StartThreshold: 1200, DueTime: 2400 } },
    });
    expect((await stored()).filter((row) => row.policy_id === 'default').map((row) => row.pid)).toEqual([
      'b1',
    ]);
    expect(
      data(await call('scteams.getEscalationPolicy', {}, { pid: 'b2', building: B2 }))['TargetDurations'][
        'N'
      ],
    ).toEqual({ StartThreshold: 900, DueTime: 1800 });
  });

  it('keeps one default policy per building: the latest created with IsDefault, else default', async () => {
    const first = await create({ Name: 'First default', IsDefault: true });
    const second = await create({ Name: 'Second default', IsDefault: true });
    const all = data(await call('scteams.getAllEscalationPolicies', {}));
    const defaults = all.filter((p: any) => p.IsDefault).map((p: any) => p.PolicyId);
    expect(defaults).toEqual([second['PolicyId']]);
    expect(all.find((p: any) => p.PolicyId === first['PolicyId']).IsDefault).toBe(false);
    expect(data(await call('scteams.getEscalationPolicy', {}))['IsDefault']).toBe(false);
  });

  it('refuses bad bodies, unknown policies and non-admins, naming the field, and writes nothing', async () => {
    const { PolicyId } = await create({ Name: 'Untouched' });
    const before = await stored();
    const level = (settings: Record<string, unknown>) => ({
      EscalationPolicy: {
        PolicyId,
        StartThresholdSettings: [
          { Level: 'L1', Recipients: [], TimeAfter: 60, Action: 'NOTIFY', ...settings },
        ],
      },
    });
    const answers = await Promise.all([
      call('scteams.createEscalationPolicy', {
        EscalationPolicy: { ...CREATE_BODY.EscalationPolicy, Name: undefined },
      }),
      call('scteams.createEscalationPolicy', {
        EscalationPolicy: {
          ...CREATE_BODY.EscalationPolicy,
          TargetDurations: [{ Priority: 'X', DueTime: 1, StartThreshold: 1 }],
        },
      }),
      call('scteams.updateEscalationPolicySettings', level({ Level: 'L4' })),
      call('scteams.updateEscalationPolicySettings', level({ TimeAfter: -1 })),
      call('scteams.updateEscalationPolicySettings', level({ Action: 'CALL' })),
      call(
        'scteams.updateEscalationPolicySettings',
        level({ Recipients: [{ Entity: 'x', EntityMedium: 'SMS' }] }),
      ),
      call('scteams.updateEscalationPolicySettings', { EscalationPolicy: { PolicyId } }),
      call('scteams.updateEscalationPolicyTargetDurations', {
        EscalationPolicy: {
          PolicyId,
          TargetDurations: [
            { Priority: 'H', DueTime: 1, StartThreshold: 1 },
            { Priority: 'H', DueTime: 2, StartThreshold: 2 },
          ],
        },
      }),
      call('scteams.updateEscalationPolicyDetails', { EscalationPolicy: { PolicyId: 'nope', Name: 'x' } }),
      call(
        'scteams.updateEscalationPolicyDetails',
        { EscalationPolicy: { PolicyId, Name: 'x' } },
        {
          caller: { accessKey: 'AK3', org: 'ACME', property: 'p1', role: 'write' },
        },
      ),
      call('scteams.getEscalationPolicy', { EscalationPolicyId: 'nope' }),
    ]);
    expect(answers.map((a) => (a.ok ? 'ok' : `${a.code}: ${a.message}`))).toEqual([
      'MISSING_PARAMETERS: EscalationPolicy.Name: is required',
      'WRONG_PARAMETERS: EscalationPolicy.TargetDurations[0].Priority: must be one of H, M, N, L',
      'WRONG_PARAMETERS: EscalationPolicy.StartThresholdSettings[0].Level: must be one of L0, L1, L2, L3',
      'WRONG_PARAMETERS: EscalationPolicy.StartThresholdSettings[0].TimeAfter: must be seconds (a non-negative integer)',
      'WRONG_PARAMETERS: EscalationPolicy.StartThresholdSettings[0].Action: must be one of NOTIFY',
      'WRONG_PARAMETERS: EscalationPolicy.StartThresholdSettings[0].Recipients[0].EntityMedium: must be one of MATRIX_APP_NOTIFICATION, MATRIX_MOBILE_APP, EMAIL',
      'MISSING_PARAMETERS: EscalationPolicy: names none of UnassignedSettings, StartThresholdSettings, DueTimeThresholdSettings',
      'WRONG_PARAMETERS: EscalationPolicy.TargetDurations[1].Priority: H is named twice',
      'NOT_FOUND: escalation policy nope not found',
      'IMPLICIT_DENY: scteams.updateEscalationPolicyDetails needs a credential with admin access',
      'NOT_FOUND: escalation policy nope not found',
    ]);
    expect(await stored()).toEqual(before);
  });
  it("applies to an incident the building's oldest policy listing its name, else its default, else default", async () => {
    const B3 = { pid: 'b3', org: 'ACME', propId: 'p1', name: 'Depot', timeZone: 'Asia/Singapore' };
    const inB3 = { pid: 'b3', building: B3 };
    let start = 1656588219;
    const policyOf = async (name: string) => {
      const incident = data(
        await harness.call(
          workforceCommand(
            'scteams.createIncidentWithoutAssignee',
            { Incident: { Name: name, Priority: 'H', Start: ++start, Tasks: [], Zone: 'z1' } },
            { z1: { name: 'Dock', categoryId: null } },
            inB3,
          ),
        ),
      );
      const { rows } = await harness.sql.query(
        'select escalation_policy from workforce.incidents where task_id = $1',
        [incident['TaskId']],
      );
      return rows[0].escalation_policy as string;
    };
    const policy = async (body: Record<string, unknown>) =>
      data(
        await call(
          'scteams.createEscalationPolicy',
          { EscalationPolicy: { ...CREATE_BODY.EscalationPolicy, ...body } },
          inB3,
        ),
      )['PolicyId'] as string;

    expect(await policyOf('Leak')).toBe('default'); // documented, not stored
    data(
      await call(
        'scteams.updateEscalationPolicyTargetDurations',
        {
          EscalationPolicy: {
            PolicyId: 'default',
            TargetDurations: [{ Priority: 'H', DueTime: 60, StartThreshold: 30 }],
          },
        },
        inB3,
      ),
    );
    expect(await policyOf('Leak')).toBe('default'); // stored
    const leaks = await policy({ Name: 'Leaks', IncidentTypes: ['Leak'] });
    expect([await policyOf('Leak'), await policyOf('Spill')]).toEqual([leaks, 'default']);
    const wet = await policy({ Name: 'Wet', IncidentTypes: ['Leak', 'Spill'], IsDefault: true });
    expect([await policyOf('Leak'), await policyOf('Spill'), await policyOf('Other')]).toEqual([
      leaks,
      wet,
      wet,
    ]);
  });
});
