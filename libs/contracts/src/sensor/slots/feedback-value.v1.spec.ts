import { normaliseFeedbackValue } from './feedback-value.v1';

const DOCUMENTED = {
  c: '4eccb645302e4d9c85cbace69b92d058',
  n: 1,
  nm: 'Excellent',
  rating: 1,
  reasons: { ID_1: { ID: '1', Name: 'Billing', selector: 1 } },
  s: 3,
  type: 'DEFECT',
};

describe('normaliseFeedbackValue (SMARTCLEAN#FD)', () => {
  it('accepts the documented example unchanged', () => {
    expect(normaliseFeedbackValue(structuredClone(DOCUMENTED))).toStrictEqual({
      ok: true,
      value: DOCUMENTED,
    });
  });

  it('accepts the 2021 format whose reasons have a Name only', () => {
    const v = { rating: 3, reasons: { DemoReasonID1: { Name: 'Dirty Urinal' } } };
    expect(normaliseFeedbackValue(structuredClone(v))).toStrictEqual({ ok: true, value: v });
  });

  it('canonicalises a rating, stars and a selector sent as strings to numbers', () => {
    const result = normaliseFeedbackValue({
      rating: '4',
      s: '2.0',
      reasons: { ID_2: { ID: '2', Name: 'Smelly', selector: '1' } },
    });
    expect(result).toStrictEqual({
      ok: true,
      value: { rating: 4, s: 2, reasons: { ID_2: { ID: '2', Name: 'Smelly', selector: 1 } } },
    });
  });

  it('refuses a rating the documented SQL could not cast to an integer', () => {
    expect(normaliseFeedbackValue({ rating: 4.5 })).toEqual({
      ok: false,
      errors: ['v.rating: must be a whole number of at least 1 (number or numeric string)'],
    });
    expect(normaliseFeedbackValue({ nm: 'Excellent' })).toEqual({
      ok: false,
      errors: ['v.rating: is required'],
    });
  });

  it('names the reason and the field that is wrong', () => {
    expect(
      normaliseFeedbackValue({
        rating: 5,
        n: 'negative',
        reasons: { ID_1: { ID: 1, Name: 'Billing' }, ID_2: { selector: 1 } },
        type: 7,
      }),
    ).toEqual({
      ok: false,
      errors: [
        'v.n: must be a whole number (number or numeric string)',
        'v.reasons.ID_1.ID: must be a string',
        'v.reasons.ID_2.Name: is required',
        'v.type: must be a string',
      ],
    });
  });
});
