import { nextShiftDeadline } from './shift-deadline';
import { SHIFT_STATUSES, transitShift, type ShiftState, type ShiftStatus } from './shift-lifecycle';
import { DEFAULT_SCHEDULE_SETTINGS } from './shift-settings';

const state = (status: ShiftStatus, extra: Partial<ShiftState> = {}): ShiftState => ({
  status,
  delayed: false,
  seatId: 'p1_001',
  openBreakId: null,
  ...extra,
});

const allowedFrom = (transition: Parameters<typeof transitShift>[1]) =>
  SHIFT_STATUSES.filter((status) => transitShift(state(status), transition).ok);

describe('shift lifecycle', () => {
  it('publishes an UNPUBLISHED shift only', () => {
    expect(transitShift(state('UNPUBLISHED'), 'publish')).toEqual({
      ok: true,
      to: { status: 'PUBLISHED', delayed: false },
    });
    expect(allowedFrom('publish')).toEqual(['UNPUBLISHED']);
  });

  it('starts a PUBLISHED shift; an admin also an ABSENT one; the rule names why otherwise', () => {
    expect(allowedFrom('start')).toEqual(['PUBLISHED']);
    expect(allowedFrom('start-admin')).toEqual(['PUBLISHED', 'ABSENT']);
    expect(transitShift(state('UNPUBLISHED'), 'start')).toEqual({
      ok: false,
      rule: 'an UNPUBLISHED shift must be published before it is started',
    });
    expect(transitShift(state('COMPLETED'), 'start')).toEqual({
      ok: false,
      rule: 'a COMPLETED shift cannot be started again',
    });
    expect(transitShift(state('STARTED'), 'start-admin')).toEqual({
      ok: false,
      rule: 'a shift is started only once',
    });
    expect(transitShift(state('ABSENT'), 'start')).toMatchObject({
      ok: false,
      rule: expect.stringContaining('admin'),
    });
  });

  it("refuses any transition of another seat's shift", () => {
    expect(transitShift(state('PUBLISHED'), 'start', { seatId: 'p1_002' })).toEqual({
      ok: false,
      rule: "a seat works only its own shifts (this shift is seat p1_001's)",
    });
    expect(transitShift(state('PUBLISHED'), 'start', { seatId: 'p1_001' }).ok).toBe(true);
  });

  it('ends a STARTED shift only, and refuses an early end when the setting forbids it', () => {
    for (const transition of ['end', 'end-admin', 'auto-clockout'] as const) {
      expect(allowedFrom(transition)).toEqual(['STARTED']);
    }
    expect(transitShift(state('PUBLISHED'), 'end')).toEqual({
      ok: false,
      rule: 'a shift must be started before it is ended',
    });
    expect(transitShift(state('COMPLETED'), 'end-admin')).toEqual({
      ok: false,
      rule: 'a shift is ended only once',
    });
    expect(transitShift(state('STARTED'), 'end', { earlyCheckoutRefused: true })).toMatchObject({
      ok: false,
      rule: expect.stringContaining('ALLOW_EARLY_CHECKOUT'),
    });
    expect(transitShift(state('STARTED'), 'end-admin', { earlyCheckoutRefused: true }).ok).toBe(true);
  });

  it('flags Delayed once, without changing the status', () => {
    expect(transitShift(state('PUBLISHED'), 'mark-delayed')).toEqual({
      ok: true,
      to: { status: 'PUBLISHED', delayed: true },
    });
    expect(transitShift(state('STARTED'), 'mark-delayed')).toEqual({
      ok: true,
      to: { status: 'STARTED', delayed: true },
    });
    expect(transitShift(state('PUBLISHED', { delayed: true }), 'mark-delayed')).toEqual({
      ok: false,
      rule: 'a shift is marked delayed only once',
    });
    expect(allowedFrom('mark-delayed')).toEqual(['PUBLISHED', 'STARTED']);
  });

  it('marks absent a PUBLISHED shift, on leave one not started', () => {
    expect(allowedFrom('mark-absent')).toEqual(['PUBLISHED']);
    expect(allowedFrom('mark-on-leave')).toEqual(['UNPUBLISHED', 'PUBLISHED']);
    expect(transitShift(state('STARTED'), 'mark-absent')).toMatchObject({ ok: false });
  });

  it('takes one break at a time during a STARTED shift and ends only the open one', () => {
    expect(allowedFrom('start-break')).toEqual(['STARTED']);
    expect(transitShift(state('STARTED', { openBreakId: '0005' }), 'start-break')).toEqual({
      ok: false,
      rule: 'one break at a time: break 0005 is still open',
    });
    expect(transitShift(state('STARTED'), 'end-break', { breakId: '0005' })).toEqual({
      ok: false,
      rule: 'there is no open break to end',
    });
    expect(transitShift(state('STARTED', { openBreakId: '0005' }), 'end-break', { breakId: '0006' })).toEqual(
      {
        ok: false,
        rule: 'only the open break 0005 can be ended',
      },
    );
    expect(transitShift(state('STARTED', { openBreakId: '0005' }), 'end-break', { breakId: '0005' }).ok).toBe(
      true,
    );
    expect(transitShift(state('PUBLISHED'), 'start-break')).toMatchObject({ ok: false });
  });

  it('changes only a shift not started, and deletes no record of the day', () => {
    expect(allowedFrom('update')).toEqual(['UNPUBLISHED', 'PUBLISHED']);
    expect(allowedFrom('delete')).toEqual(['UNPUBLISHED', 'PUBLISHED', 'ON_LEAVE']);
    expect(transitShift(state('COMPLETED'), 'delete')).toEqual({
      ok: false,
      rule: 'a COMPLETED shift is a record of the day and cannot be deleted',
    });
  });
});

describe('nextShiftDeadline', () => {
  const plan = { start: 10_000, end: 40_000 };

  it('is Delayed at Start + 1800 s, then ABSENT at Start + 3600 s, for a PUBLISHED shift', () => {
    expect(
      nextShiftDeadline({ ...plan, status: 'PUBLISHED', delayed: false }, DEFAULT_SCHEDULE_SETTINGS),
    ).toEqual({
      at: 11_800,
      kind: 'delayed',
    });
    expect(
      nextShiftDeadline({ ...plan, status: 'PUBLISHED', delayed: true }, DEFAULT_SCHEDULE_SETTINGS),
    ).toEqual({
      at: 13_600,
      kind: 'absent',
    });
  });

  it('auto-clocks out a STARTED shift at End + 4200 s, unless AUTO_CLOCKOUT is off', () => {
    expect(
      nextShiftDeadline({ ...plan, status: 'STARTED', delayed: true }, DEFAULT_SCHEDULE_SETTINGS),
    ).toEqual({
      at: 44_200,
      kind: 'auto-clockout',
    });
    expect(
      nextShiftDeadline(
        { ...plan, status: 'STARTED', delayed: false },
        { ...DEFAULT_SCHEDULE_SETTINGS, autoClockout: false },
      ),
    ).toBeUndefined();
  });

  it('has none for a shift not published or already resolved, and skips a delay not before the absence', () => {
    for (const status of ['UNPUBLISHED', 'COMPLETED', 'ABSENT', 'ON_LEAVE'] as const) {
      expect(
        nextShiftDeadline({ ...plan, status, delayed: false }, DEFAULT_SCHEDULE_SETTINGS),
      ).toBeUndefined();
    }
    const same = { ...DEFAULT_SCHEDULE_SETTINGS, delayedShiftThreshold: 3600 };
    expect(nextShiftDeadline({ ...plan, status: 'PUBLISHED', delayed: false }, same)).toEqual({
      at: 13_600,
      kind: 'absent',
    });
  });
});
