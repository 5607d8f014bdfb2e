import { normaliseTiltValue } from './tilt-value.v1';

describe('normaliseTiltValue (SMARTCLEAN#TILT)', () => {
  it('accepts the documented example unchanged, with the battery key v and the extra Tb', () => {
    const v = { Tb: 'none', Xt: -87.51, Yt: -2.04, Zt: 1.42, v: 100 };
    expect(normaliseTiltValue(structuredClone(v))).toStrictEqual({ ok: true, value: v });
  });

  it('canonicalises angles sent as strings', () => {
    expect(normaliseTiltValue({ Xt: '-87.51', Yt: '0', Zt: '1.42' })).toStrictEqual({
      ok: true,
      value: { Xt: -87.51, Yt: 0, Zt: 1.42 },
    });
  });

  it.each([
    [{ Xt: 'left', Yt: -2.04, Zt: 1.42 }, ['v.Xt: must be a number (number or numeric string)']],
    [{ Xt: 1, v: 101 }, ['v.v: must be a number from 0 to 100 (number or numeric string)']],
    [{ Tb: 'none', v: 100 }, ['v: must hold at least one of Xt, Yt, Zt']],
  ])('refuses %p', (v, errors) => {
    expect(normaliseTiltValue(v)).toEqual({ ok: false, errors });
  });
});
