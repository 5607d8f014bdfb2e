import {
  allowedFrom,
  escalationLevelName,
  INCIDENT_STATUSES,
  transit,
  type IncidentStatus,
  type IncidentTransition,
} from './incident-lifecycle';

const at = (status: IncidentStatus, escalationLevel = 0) => ({ status, escalationLevel });

/** Every (status, transition) pair and its expected target status, or the rule that refuses it. */
const TABLE: Record<
  IncidentStatus,
  Record<Exclude<IncidentTransition, 'create-open' | 'create-assigned'>, IncidentStatus | string>
> = {
  NOT_ASSIGNED: {
    assign: 'ASSIGNED',
    start: 'STARTED',
    end: 'an incident must be started before it is completed',
    incomplete: 'an open incident must be assigned or started before it is marked incomplete',
    reassign: 'an open incident is assigned, not reassigned',
    reopen: 'an open incident is assigned, not reassigned',
    escalate: 'NOT_ASSIGNED',
  },
  ASSIGNED: {
    assign: 'only an open (NOT_ASSIGNED) incident can be assigned',
    start: 'STARTED',
    end: 'an incident must be started before it is completed',
    incomplete: 'INCOMPLETE',
    reassign: 'ASSIGNED',
    reopen: 'NOT_ASSIGNED',
    escalate: 'ASSIGNED',
  },
  STARTED: {
    assign: 'only an open (NOT_ASSIGNED) incident can be assigned',
    start: 'an incident is started only once',
    end: 'COMPLETED',
    incomplete: 'INCOMPLETE',
    reassign: 'a started incident cannot be reassigned',
    reopen: 'a started incident cannot be reassigned',
    escalate: 'STARTED',
  },
  COMPLETED: {
    assign: 'only an open (NOT_ASSIGNED) incident can be assigned',
    start: 'a resolved incident cannot be started',
    end: 'a resolved incident cannot be completed again',
    incomplete: 'a resolved incident cannot be marked incomplete',
    reassign: 'a completed incident is not reassigned (incident setting ALLOW_REASSIGNMENT_RESOLVED is 0)',
    reopen: 'a completed incident is not reassigned (incident setting ALLOW_REASSIGNMENT_RESOLVED is 0)',
    escalate: 'a resolved incident cannot be escalated',
  },
  INCOMPLETE: {
    assign: 'only an open (NOT_ASSIGNED) incident can be assigned',
    start: 'a resolved incident cannot be started',
    end: 'a resolved incident cannot be completed again',
    incomplete: 'a resolved incident cannot be marked incomplete',
    reassign: 'ASSIGNED',
    reopen: 'NOT_ASSIGNED',
    escalate: 'a resolved incident cannot be escalated',
  },
};

describe('the incident lifecycle', () => {
  it('creates an open incident at L0, and only once', () => {
    expect(transit(null, 'create-open')).toEqual({ ok: true, to: at('NOT_ASSIGNED') });
    expect(transit(at('NOT_ASSIGNED'), 'create-open')).toEqual({
      ok: false,
      rule: 'an incident is created only once',
    });
  });

  it('creates an incident assigned to a seat at L0, and only once', () => {
    expect(transit(null, 'create-assigned')).toEqual({ ok: true, to: at('ASSIGNED') });
    expect(transit(at('ASSIGNED'), 'create-assigned')).toEqual({
      ok: false,
      rule: 'an incident is created only once',
    });
  });

  it('refuses every transition of an incident that does not exist', () => {
    for (const transition of ['assign', 'start', 'end', 'incomplete', 'escalate'] as const) {
      expect(transit(null, transition)).toEqual({ ok: false, rule: 'the incident must exist' });
    }
  });

  describe.each(INCIDENT_STATUSES)('from %s', (status) => {
    it.each(Object.entries(TABLE[status]))('%s → %s', (transition, expected) => {
      const outcome = transit(at(status, 1), transition as IncidentTransition);
      if ((INCIDENT_STATUSES as readonly string[]).includes(expected)) {
        const level = transition === 'escalate' ? 2 : ['reassign', 'reopen'].includes(transition) ? 0 : 1;
        expect(outcome).toEqual({ ok: true, to: at(expected as IncidentStatus, level) });
      } else {
        expect(outcome).toEqual({ ok: false, rule: expected });
      }
    });
  });

  it('escalates one level at a time up to L3, then refuses', () => {
    let state = at('ASSIGNED');
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      const outcome = transit(state, 'escalate');
      if (!outcome.ok) throw new Error(outcome.rule);
      state = outcome.to;
      names.push(escalationLevelName(state.escalationLevel));
    }
    expect(names).toEqual(['L1', 'L2', 'L3']);
    expect(transit(state, 'escalate')).toEqual({ ok: false, rule: 'an incident escalates at most to L3' });
  });

  it('reassigns or reopens a completed incident at L0 only when the settings allow resolved reassignment', () => {
    const completed = at('COMPLETED', 2);
    expect(transit(completed, 'reassign')).toMatchObject({ ok: false });
    expect(transit(completed, 'reassign', { reassignResolved: true })).toEqual({
      ok: true,
      to: at('ASSIGNED'),
    });
    expect(transit(completed, 'reopen', { reassignResolved: true })).toEqual({
      ok: true,
      to: at('NOT_ASSIGNED'),
    });
    expect(transit(at('STARTED'), 'reassign', { reassignResolved: true })).toMatchObject({ ok: false });
  });

  it('names the statuses each transition may start from (what the conditional update expects)', () => {
    expect(allowedFrom('assign')).toEqual(['NOT_ASSIGNED']);
    expect(allowedFrom('start')).toEqual(['NOT_ASSIGNED', 'ASSIGNED']);
    expect(allowedFrom('end')).toEqual(['STARTED']);
    expect(allowedFrom('incomplete')).toEqual(['ASSIGNED', 'STARTED']);
    expect(allowedFrom('escalate')).toEqual(['NOT_ASSIGNED', 'ASSIGNED', 'STARTED']);
    expect(allowedFrom('reassign')).toEqual(['ASSIGNED', 'INCOMPLETE']);
    expect(allowedFrom('reopen')).toEqual(['ASSIGNED', 'INCOMPLETE']);
  });
});
