import { newTaskId, newTaskIds } from './task-ids';

describe('task ids', () => {
  it('are 19 digits: the epoch milliseconds of now and six more', () => {
    const now = new Date(1_660_643_173_874);
    expect(newTaskId(now)).toMatch(/^1660643173874[0-9]{6}$/);
  });

  it('never repeat for one millisecond, across many batches drawn for it', () => {
    const now = new Date(1_660_643_173_874);
    const ids = Array.from({ length: 500 }, () => newTaskIds(now, 120)).flat();
    expect(ids).toHaveLength(60_000);
    expect(new Set(ids).size).toBe(60_000);
  });
});
