import { normaliseSpillValue } from './spill-value.v1';

describe('normaliseSpillValue (SMARTCLEAN#WD)', () => {
  it('accepts the documented example unchanged', () => {
    expect(normaliseSpillValue({ value: 1, AreaP: 5.5 })).toStrictEqual({
      ok: true,
      value: { value: 1, AreaP: 5.5 },
    });
  });

  it('canonicalises a dry reading sent as strings', () => {
    expect(normaliseSpillValue({ value: '0', AreaP: '0' })).toStrictEqual({
      ok: true,
      value: { value: 0, AreaP: 0 },
    });
  });

  it.each([
    [{ value: 2, AreaP: 5.5 }, ['v.value: must be 0 or 1 (number or numeric string)']],
    [{ AreaP: 5.5 }, ['v.value: is required']],
    [{ value: 1, AreaP: 120 }, ['v.AreaP: must be a number from 0 to 100 (number or numeric string)']],
  ])('refuses %p', (v, errors) => {
    expect(normaliseSpillValue(v)).toEqual({ ok: false, errors });
  });
});
