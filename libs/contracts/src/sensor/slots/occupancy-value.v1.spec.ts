import { isOccupied, normaliseOccupancyValue } from './occupancy-value.v1';

describe('normaliseOccupancyValue (SMARTCLEAN#OCCMINEW, OCCSCM, OCCDESK)', () => {
  it('accepts the documented OCCMINEW example with its extras as sent', () => {
    const v = { C: '1', Disass: '0', Src: 'x750:hz3a30e', batt: 95, rssi: -78, occ: 1 };
    expect(normaliseOccupancyValue(structuredClone(v))).toStrictEqual({ ok: true, value: v });
  });

  it('canonicalises occ sent as a string and leaves the OCCSCM extra b a string', () => {
    expect(normaliseOccupancyValue({ b: '0', occ: '0' })).toStrictEqual({
      ok: true,
      value: { b: '0', occ: 0 },
    });
  });

  it.each([
    [{ occ: 2 }, ['v.occ: must be 0 or 1 (number or numeric string)']],
    [{ occ: 'yes' }, ['v.occ: must be 0 or 1 (number or numeric string)']],
    [{ b: '0' }, ['v.occ: is required']],
  ])('refuses %p', (v, errors) => {
    expect(normaliseOccupancyValue(v)).toEqual({ ok: false, errors });
  });
});

describe('isOccupied', () => {
  it.each([
    ['SMARTCLEAN#OCCMINEW', 0, true],
    ['SMARTCLEAN#OCCMINEW', 1, false],
    ['SMARTCLEAN#OCCSCM', 0, true],
    ['SMARTCLEAN#OCCSCM', 1, false],
    ['SMARTCLEAN#OCCDESK', 1, true],
    ['SMARTCLEAN#OCCDESK', 0, false],
  ])('reads %s occ %p as occupied = %p', (devType, occ, occupied) => {
    expect(isOccupied(devType, { occ })).toBe(occupied);
  });

  it('knows nothing about other types or a v without a valid occ', () => {
    expect(isOccupied('SMARTCLEAN#PPLCTR', { occ: 1 })).toBeUndefined();
    expect(isOccupied('SMARTCLEAN#OCCDESK', { occ: '1' })).toBeUndefined();
    expect(isOccupied('SMARTCLEAN#OCCDESK', {})).toBeUndefined();
  });
});
