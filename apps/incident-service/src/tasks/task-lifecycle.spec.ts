import { TASK_GROUP_STATUSES, transitTask, type TaskGroupStatus, type TaskState } from './task-lifecycle';

const SEAT = 'p1_007';
const state = (status: TaskGroupStatus, type: TaskState['type'] = 'TASK'): TaskState => ({
  status,
  type,
  seatId: SEAT,
});
const running = { seatId: SEAT, shiftStatus: 'STARTED' };

describe('transitTask', () => {
  it('adds a task group UNPUBLISHED to an unpublished shift, PUBLISHED to a published or running one', () => {
    expect(transitTask(null, 'add', { shiftStatus: 'UNPUBLISHED' })).toEqual({ ok: true, to: 'UNPUBLISHED' });
    expect(transitTask(null, 'add', { shiftStatus: 'PUBLISHED' })).toEqual({ ok: true, to: 'PUBLISHED' });
    expect(transitTask(null, 'add', { shiftStatus: 'STARTED' })).toEqual({ ok: true, to: 'PUBLISHED' });
    for (const shiftStatus of ['COMPLETED', 'ABSENT', 'ON_LEAVE']) {
      expect(transitTask(null, 'add', { shiftStatus })).toEqual({
        ok: false,
        rule: `a task group is added only to a shift not ended (the shift is ${shiftStatus})`,
      });
    }
    expect(transitTask(state('PUBLISHED'), 'add', { shiftStatus: 'PUBLISHED' })).toMatchObject({ ok: false });
  });

  it('starts an ad hoc task group only on a STARTED shift', () => {
    expect(transitTask(null, 'start-adhoc', { shiftStatus: 'STARTED' })).toEqual({ ok: true, to: 'STARTED' });
    expect(transitTask(null, 'start-adhoc', { shiftStatus: 'PUBLISHED' })).toEqual({
      ok: false,
      rule: 'an ad hoc task is started only on a STARTED shift (the shift is PUBLISHED)',
    });
  });

  it('starts a PUBLISHED or PAUSED task group by its seat while the shift is STARTED', () => {
    expect(transitTask(state('PUBLISHED'), 'start', running)).toEqual({ ok: true, to: 'STARTED' });
    expect(transitTask(state('PAUSED'), 'start', running)).toEqual({ ok: true, to: 'STARTED' });
    expect(transitTask(state('PUBLISHED'), 'start', { seatId: SEAT, shiftStatus: 'PUBLISHED' })).toEqual({
      ok: false,
      rule: 'a task group is started only while its shift is STARTED (the shift is PUBLISHED)',
    });
    expect(transitTask(state('PUBLISHED'), 'start', { seatId: 'p1_008', shiftStatus: 'STARTED' })).toEqual({
      ok: false,
      rule: "a seat works only the task groups of its own shift (this task group's shift is seat p1_007's)",
    });
  });

  it('refuses to start an UNPUBLISHED, STARTED or resolved task group, naming the rule', () => {
    expect(transitTask(state('UNPUBLISHED'), 'start', running)).toEqual({
      ok: false,
      rule: 'an UNPUBLISHED task group (its shift is not published) cannot be started',
    });
    expect(transitTask(state('STARTED'), 'start', running)).toMatchObject({
      ok: false,
      rule: expect.stringContaining('started only once'),
    });
    expect(transitTask(state('COMPLETED'), 'start', running)).toEqual({
      ok: false,
      rule: 'a task group that is COMPLETED cannot be started again',
    });
    expect(transitTask(state('INCOMPLETE'), 'start', running)).toEqual({
      ok: false,
      rule: 'a task group that is INCOMPLETE cannot be started again',
    });
  });

  it('pauses only a STARTED task group, once', () => {
    expect(transitTask(state('STARTED'), 'pause', running)).toEqual({ ok: true, to: 'PAUSED' });
    expect(transitTask(state('PAUSED'), 'pause', running)).toEqual({
      ok: false,
      rule: 'a task group is paused only once (it is PAUSED)',
    });
    expect(transitTask(state('PUBLISHED'), 'pause', running)).toEqual({
      ok: false,
      rule: 'only a STARTED task group can be paused (it is PUBLISHED)',
    });
  });

  it('completes a STARTED or PAUSED task group once; not one never started or already resolved', () => {
    expect(transitTask(state('STARTED'), 'end', { seatId: SEAT })).toEqual({ ok: true, to: 'COMPLETED' });
    expect(transitTask(state('PAUSED'), 'end', { seatId: SEAT })).toEqual({ ok: true, to: 'COMPLETED' });
    expect(transitTask(state('PUBLISHED'), 'end', { seatId: SEAT })).toEqual({
      ok: false,
      rule: 'a task group must be started before it is completed (it is PUBLISHED)',
    });
    expect(transitTask(state('COMPLETED'), 'end', {})).toEqual({
      ok: false,
      rule: 'a task group is completed only once',
    });
    expect(transitTask(state('INCOMPLETE'), 'end', {})).toMatchObject({ ok: false });
    expect(transitTask(state('STARTED'), 'end', { seatId: 'p1_008' })).toMatchObject({ ok: false });
  });

  it('ends only an ad hoc task group with end-adhoc', () => {
    expect(transitTask(state('STARTED', 'ADHOC'), 'end-adhoc', { seatId: SEAT })).toEqual({
      ok: true,
      to: 'COMPLETED',
    });
    expect(transitTask(state('STARTED', 'TASK'), 'end-adhoc', { seatId: SEAT })).toMatchObject({
      ok: false,
      rule: expect.stringContaining('endAdhocTask ends only an ad hoc task group'),
    });
  });

  it('marks incomplete only a task group still open (PUBLISHED, STARTED, PAUSED)', () => {
    for (const status of TASK_GROUP_STATUSES) {
      const outcome = transitTask(state(status), 'incomplete');
      expect(outcome.ok).toBe(['PUBLISHED', 'STARTED', 'PAUSED'].includes(status));
    }
  });

  it('removes only a task group not started yet', () => {
    for (const status of TASK_GROUP_STATUSES) {
      const outcome = transitTask(state(status), 'remove');
      expect(outcome.ok).toBe(status === 'UNPUBLISHED' || status === 'PUBLISHED');
    }
    expect(transitTask(state('STARTED'), 'remove')).toEqual({
      ok: false,
      rule: 'a task group that is STARTED is a record of the day and cannot be removed from its shift',
    });
    expect(transitTask(null, 'remove')).toEqual({ ok: false, rule: 'the task group must exist' });
  });
});
