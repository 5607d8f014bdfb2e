import { ActionError } from './action-error';
import { CaselessBody } from './caseless-body';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof ActionError ? { code: error.code, message: error.message } : error;
  }
  throw new Error('not refused');
};

describe('CaselessBody', () => {
  it('reads a field in the Matrix spelling and in the Jackson spelling alike', () => {
    expect(new CaselessBody({ SeatId: 'hq_001' }).text('SeatId', true)).toBe('hq_001');
    expect(new CaselessBody({ seatId: 'hq_001' }).text('SeatId', true)).toBe('hq_001');
  });

  it('refuses one field given twice in different cases, naming both spellings', () => {
    expect(refusal(() => new CaselessBody({ SeatId: 'a', seatid: 'b' }))).toEqual({
      code: 'WRONG_PARAMETERS',
      message: 'seatid: given twice, also as SeatId',
    });
  });

  it('takes null as absent, so a required field that is null is missing', () => {
    const body = new CaselessBody({ DeviceProviderType: null, WithProfile: null });
    expect(refusal(() => body.text('DeviceProviderType', true))).toEqual({
      code: 'MISSING_PARAMETERS',
      message: 'Missing DeviceProviderType in the body',
    });
    expect(body.flag('WithProfile')).toBe(false);
  });

  it('names the field whose value has the wrong type', () => {
    expect(refusal(() => new CaselessBody({ SeatId: 7 }).text('SeatId'))).toEqual({
      code: 'WRONG_PARAMETERS',
      message: 'SeatId: must be a string',
    });
    expect(refusal(() => new CaselessBody({ withProfile: 'yes' }).flag('WithProfile'))).toEqual({
      code: 'WRONG_PARAMETERS',
      message: 'WithProfile: must be true or false',
    });
  });
});
