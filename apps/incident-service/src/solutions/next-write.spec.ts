import { nextWrite } from './solutions.service';

describe('nextWrite (which write of the solutions comes next)', () => {
  const state = (
    raisesWaiting: boolean,
    checkpointInProgress: boolean,
    checkpointDue: boolean,
    lastWrite: 'raise' | 'checkpoint' | undefined,
  ) => ({ raisesWaiting, checkpointInProgress, checkpointDue, lastWrite });

  it.each([
    ['nothing to do', state(false, false, false, undefined), undefined],
    ['raises only: a raise', state(true, false, false, 'raise'), 'raise'],
    ['a checkpoint due, no raise: its first part', state(false, false, true, 'raise'), 'checkpoint'],
    [
      'a checkpoint in progress, no raise: its next part',
      state(false, true, false, 'checkpoint'),
      'checkpoint',
    ],
    ['raises waiting after a part: a raise first', state(true, true, false, 'checkpoint'), 'raise'],
    [
      'raises waiting after a raise, a checkpoint in progress: its next part',
      state(true, true, false, 'raise'),
      'checkpoint',
    ],
    [
      'raises waiting after a raise, a checkpoint due: it begins',
      state(true, false, true, 'raise'),
      'checkpoint',
    ],
    [
      'raises waiting before any write, a checkpoint due: a raise first',
      state(true, false, true, undefined),
      'raise',
    ],
  ] as const)('%s', (_what, given, expected) => {
    expect(nextWrite(given)).toBe(expected);
  });

  it('lets a checkpoint finish while raises keep coming: raises and parts take turns', () => {
    let lastWrite: 'raise' | 'checkpoint' | undefined;
    let parts = 3;
    const writes: string[] = [];
    while (parts > 0) {
      const kind = nextWrite({
        raisesWaiting: true,
        checkpointInProgress: true,
        checkpointDue: false,
        lastWrite,
      })!;
      writes.push(kind);
      lastWrite = kind;
      if (kind === 'checkpoint') parts -= 1;
    }
    expect(writes).toEqual(['raise', 'checkpoint', 'raise', 'checkpoint', 'raise', 'checkpoint']);
  });
});
