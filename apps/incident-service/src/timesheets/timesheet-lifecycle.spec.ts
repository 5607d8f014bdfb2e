import {
  TIMESHEET_STATUSES,
  transitTimesheet,
  type TimesheetState,
  type TimesheetStatus,
  type TimesheetTransition,
} from './timesheet-lifecycle';

const state = (status: TimesheetStatus, extra: Partial<TimesheetState> = {}): TimesheetState => ({
  status,
  stored: status !== 'PENDING',
  shiftStatus: 'COMPLETED',
  ...extra,
});

/** Every (from status, transition) of a COMPLETED shift's timesheet: the status after it, or the rule. */
const TABLE: [TimesheetStatus, TimesheetTransition, TimesheetStatus | string][] = [
  ['PENDING', 'request', 'REQUESTED'],
  ['PENDING', 'regularize', 'REGULARIZATION_REQUESTED'],
  ['PENDING', 'edit', 'PENDING'],
  ['PENDING', 'approve', 'APPROVED'],
  ['PENDING', 'reject', 'REJECTED'],
  ['REQUESTED', 'request', 'REQUESTED'],
  ['REQUESTED', 'regularize', 'REGULARIZATION_REQUESTED'],
  ['REQUESTED', 'edit', 'REQUESTED'],
  ['REQUESTED', 'approve', 'APPROVED'],
  ['REQUESTED', 'reject', 'REJECTED'],
  ['REGULARIZATION_REQUESTED', 'request', 'REQUESTED'],
  ['REGULARIZATION_REQUESTED', 'regularize', 'REGULARIZATION_REQUESTED'],
  ['REGULARIZATION_REQUESTED', 'edit', 'REGULARIZATION_REQUESTED'],
  ['REGULARIZATION_REQUESTED', 'approve', 'APPROVED'],
  ['REGULARIZATION_REQUESTED', 'reject', 'REJECTED'],
  ['APPROVED', 'request', 'an APPROVED timesheet is final: it is not requested again'],
  ['APPROVED', 'regularize', 'an APPROVED timesheet is final: it is not requested again'],
  ['APPROVED', 'edit', 'an APPROVED timesheet is final: it is not edited'],
  ['APPROVED', 'approve', 'a timesheet is approved only once'],
  ['APPROVED', 'reject', 'an APPROVED timesheet is final: it cannot be rejected'],
  ['REJECTED', 'request', 'REQUESTED'],
  ['REJECTED', 'regularize', 'REGULARIZATION_REQUESTED'],
  ['REJECTED', 'edit', 'PENDING'],
  ['REJECTED', 'approve', 'a REJECTED timesheet is approved only after it is requested again or edited'],
  ['REJECTED', 'reject', 'a timesheet is rejected only once'],
];

describe('timesheet lifecycle', () => {
  it('covers every status and transition', () => {
    expect(new Set(TABLE.map(([from]) => from))).toEqual(new Set(TIMESHEET_STATUSES));
    expect(TABLE).toHaveLength(TIMESHEET_STATUSES.length * 5);
  });

  it.each(TABLE)('%s, %s → %s', (from, transition, expected) => {
    const outcome = transitTimesheet(state(from), transition);
    if ((TIMESHEET_STATUSES as readonly string[]).includes(expected)) {
      expect(outcome).toEqual({ ok: true, to: expected, edited: transition === 'edit' });
    } else {
      expect(outcome).toEqual({ ok: false, rule: expected });
    }
  });

  it.each([
    ['UNPUBLISHED', 'a timesheet is for a COMPLETED shift: this shift is UNPUBLISHED'],
    ['PUBLISHED', 'a timesheet is for a COMPLETED shift: this shift is PUBLISHED'],
    ['STARTED', 'a timesheet is for a COMPLETED shift: this shift is STARTED and not ended yet'],
    ['ON_LEAVE', 'a timesheet is for a COMPLETED shift: this shift is ON_LEAVE'],
  ])('refuses every transition of a %s shift', (shiftStatus, rule) => {
    for (const transition of ['request', 'regularize', 'edit', 'approve', 'reject'] as const) {
      for (const stored of [false, true]) {
        expect(
          transitTimesheet(state('PENDING', { shiftStatus, stored }), transition, { timesGiven: true }),
        ).toEqual({ ok: false, rule });
      }
    }
  });

  it('gives an ABSENT shift a timesheet only with times, and approves or rejects it only once stored', () => {
    const absent = state('PENDING', { shiftStatus: 'ABSENT', stored: false });
    expect(transitTimesheet(absent, 'regularize', { timesGiven: true })).toEqual({
      ok: true,
      to: 'REGULARIZATION_REQUESTED',
      edited: false,
    });
    expect(transitTimesheet(absent, 'edit', { timesGiven: true })).toEqual({
      ok: true,
      to: 'PENDING',
      edited: true,
    });
    expect(transitTimesheet(absent, 'regularize')).toEqual({
      ok: false,
      rule: 'an ABSENT shift was not clocked: its timesheet needs TimeSheet.AStart and TimeSheet.AEnd',
    });
    for (const transition of ['approve', 'reject'] as const) {
      expect(transitTimesheet(absent, transition, { timesGiven: true })).toMatchObject({
        ok: false,
        rule: expect.stringContaining('only once the seat requests one with its times'),
      });
    }
    const requested = state('REGULARIZATION_REQUESTED', { shiftStatus: 'ABSENT' });
    expect(transitTimesheet(requested, 'approve')).toEqual({ ok: true, to: 'APPROVED', edited: false });
    expect(transitTimesheet(requested, 'regularize')).toMatchObject({ ok: true });
  });
});
