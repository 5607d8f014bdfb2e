import { readCount } from './people-counter-value.v1';

describe('readCount', () => {
  it.each([
    [2, 2],
    [2.0, 2],
    [0, 0],
    ['2', 2],
    [' 12 ', 12],
    ['2.0', 2],
  ])('reads %p as %p', (raw, expected) => {
    expect(readCount(raw)).toBe(expected);
  });

  it.each([
    [-1],
    [2.5],
    ['2.5'],
    ['two'],
    [''],
    ['  '],
    [null],
    [undefined],
    [true],
    [Number.NaN],
    [Infinity],
    [[2]],
    [{}],
  ])('refuses %p', (raw) => {
    expect(readCount(raw)).toBeUndefined();
  });
});
