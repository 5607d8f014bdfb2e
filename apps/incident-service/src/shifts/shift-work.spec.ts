import type { ShiftTransition } from './shift-lifecycle';
import type { ShiftBreak, ShiftRow } from './shift-row';
import { effectOfChange, effectOfTransition } from './shift-work';

const breakOf = (extra: Partial<ShiftBreak>): ShiftBreak => ({
  ID: '0001',
  Type: '',
  Notes: '',
  IsPlannedBreak: true,
  Scheduled: true,
  DurationInSeconds: 0,
  Start: 0,
  End: 0,
  AStart: 0,
  AEnd: 0,
  ...extra,
});
const row = (status: ShiftRow['status'], breaks: ShiftBreak[] = []) => ({ status, breaks }) as ShiftRow;

describe('effectOfTransition', () => {
  it.each<[ShiftTransition, string]>([
    ['start', 'on-shift'],
    ['start-admin', 'on-shift'],
    ['end-break', 'on-shift'],
    ['end', 'off-shift'],
    ['end-admin', 'off-shift'],
    ['auto-clockout', 'off-shift'],
    ['start-break', 'none'],
    ['mark-absent', 'none'],
    ['mark-delayed', 'none'],
    ['mark-on-leave', 'none'],
    ['publish', 'none'],
  ])('%s may be %s', (transition, effect) => {
    expect(effectOfTransition(transition)).toBe(effect);
  });
});

describe('effectOfChange', () => {
  const onPlanned = [breakOf({ AStart: 100 })];
  const plannedEnded = [breakOf({ AStart: 100, AEnd: 200 })];
  const onUnplanned = [breakOf({ IsPlannedBreak: false, AStart: 100 })];
  const unplannedEnded = [breakOf({ IsPlannedBreak: false, AStart: 100, AEnd: 200 })];

  it('is on-shift when the seat starts working: started, created STARTED, back from a planned break', () => {
    expect(effectOfChange(row('PUBLISHED'), row('STARTED'))).toBe('on-shift');
    expect(effectOfChange(undefined, row('STARTED'))).toBe('on-shift');
    expect(effectOfChange(row('STARTED', onPlanned), row('STARTED', plannedEnded))).toBe('on-shift');
  });

  it('is none for an unplanned break ending, a break starting, or a shift created not started', () => {
    expect(effectOfChange(row('STARTED', onUnplanned), row('STARTED', unplannedEnded))).toBe('none');
    expect(effectOfChange(row('STARTED'), row('STARTED', onPlanned))).toBe('none');
    expect(effectOfChange(row('STARTED'), row('STARTED', onUnplanned))).toBe('none');
    expect(effectOfChange(undefined, row('PUBLISHED'))).toBe('none');
    expect(effectOfChange(row('PUBLISHED'), row('ABSENT'))).toBe('none');
  });

  it('is off-shift when the shift completes, also from a planned break', () => {
    expect(effectOfChange(row('STARTED'), row('COMPLETED'))).toBe('off-shift');
    expect(effectOfChange(row('STARTED', onPlanned), row('COMPLETED', plannedEnded))).toBe('off-shift');
  });
});
