import { SLOT_VALUE_NORMALISERS } from '../slot-value';
import { normaliseFillLevelValue } from './fill-level-value.v1';

describe('normaliseFillLevelValue (SMARTCLEAN#TR, PT, SS, BIN)', () => {
  it.each(['SMARTCLEAN#TR', 'SMARTCLEAN#PT', 'SMARTCLEAN#SS', 'SMARTCLEAN#BIN'])(
    'is the contract of %s',
    (devType) => {
      expect(SLOT_VALUE_NORMALISERS[devType]).toBe(normaliseFillLevelValue);
    },
  );

  it('accepts the documented example unchanged', () => {
    expect(normaliseFillLevelValue({ p: 46, d: 159 })).toStrictEqual({ ok: true, value: { p: 46, d: 159 } });
  });

  it('canonicalises numeric strings and keeps a distance-less reading', () => {
    expect(normaliseFillLevelValue({ p: '4.5' })).toStrictEqual({ ok: true, value: { p: 4.5 } });
  });

  it.each([
    [{ p: 101, d: 159 }, ['v.p: must be a number from 0 to 100 (number or numeric string)']],
    [{ d: 159 }, ['v.p: is required']],
    [{ p: 46, d: -3 }, ['v.d: must be a non-negative number (number or numeric string)']],
    [{ p: 'half' }, ['v.p: must be a number from 0 to 100 (number or numeric string)']],
  ])('refuses %p', (v, errors) => {
    expect(normaliseFillLevelValue(v)).toEqual({ ok: false, errors });
  });
});
