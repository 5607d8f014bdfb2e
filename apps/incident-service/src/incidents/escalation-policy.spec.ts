import {
  DEFAULT_ESCALATION_POLICY,
  matrixPolicy,
  policyFromCreate,
  withDetails,
  withTargetDurations,
  withThresholds,
} from './escalation-policy';

const notify = (entity: string, timeAfter: number, level: string) => ({
  Level: level,
  Recipients: [{ Entity: entity, EntityMedium: 'EMAIL' }],
  TimeAfter: timeAfter,
  Action: 'NOTIFY',
});

describe('escalation policies', () => {
  it('fills the priorities a create body leaves out with the documented target durations', () => {
    const policy = policyFromCreate({
      Name: 'P',
      TargetDurations: [{ Priority: 'H', DueTime: 60, StartThreshold: 30 }],
    });
    expect(policy.targetDurations).toEqual({
      H: { StartThreshold: 30, DueTime: 60 },
      M: { StartThreshold: 600, DueTime: 900 },
      N: { StartThreshold: 900, DueTime: 1800 },
      L: { StartThreshold: 1800, DueTime: 3600 },
    });
    expect(policy).toMatchObject({ description: '', isDefault: false, incidentTypes: ['*'] });
  });

  it('replaces the levels an update names and keeps the others', () => {
    const policy = {
      ...DEFAULT_ESCALATION_POLICY,
      ...policyFromCreate({ Name: 'P', UnassignedSettings: [notify('a', 1, 'L1'), notify('b', 2, 'L2')] }),
    };
    const updated = withThresholds(policy, { UnassignedSettings: [notify('c', 3, 'L2')] });
    expect(updated.settings.UnassignedSettings['L1']?.Recipients[0]?.Entity).toBe('a');
    expect(updated.settings.UnassignedSettings['L2']?.TimeAfter).toBe(3);
    expect(policy.settings.UnassignedSettings['L2']?.TimeAfter).toBe(2);
  });

  it('adds incident types, or replaces them with UpdateOverride', () => {
    expect(withDetails(DEFAULT_ESCALATION_POLICY, { IncidentTypes: ['Sensor', '*'] }).incidentTypes).toEqual([
      '*',
      'Sensor',
    ]);
    expect(
      withDetails(DEFAULT_ESCALATION_POLICY, { IncidentTypes: ['Sensor'], UpdateOverride: true })
        .incidentTypes,
    ).toEqual(['Sensor']);
    expect(() => withDetails(DEFAULT_ESCALATION_POLICY, { Name: ' ' })).toThrow(
      'EscalationPolicy.Name: must not be empty',
    );
  });

  it('refuses a target-duration update without durations', () => {
    expect(() => withTargetDurations(DEFAULT_ESCALATION_POLICY, {})).toThrow(
      'EscalationPolicy.TargetDurations: is required',
    );
  });

  it('renders the array form in level and priority order', () => {
    const policy = withThresholds(DEFAULT_ESCALATION_POLICY, {
      DueTimeThresholdSettings: [notify('x', 9, 'L3'), notify('y', 8, 'L0')],
    });
    const array = matrixPolicy('b1', policy, true);
    expect((array['DueTimeThresholdSettings'] as { Level: string }[]).map((s) => s.Level)).toEqual([
      'L0',
      'L3',
    ]);
    expect((array['TargetDurations'] as { Priority: string }[]).map((d) => d.Priority)).toEqual([
      'H',
      'M',
      'N',
      'L',
    ]);
    expect(matrixPolicy('b1', policy, false)['EscalationSettings']).toMatchObject({
      DueTimeThresholdSettings: { L0: { TimeAfter: 8 }, L3: { TimeAfter: 9 } },
    });
  });
});
