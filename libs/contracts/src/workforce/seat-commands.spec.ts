import { checkSeatInput, SEAT_COMMANDS } from './seat-commands';

describe('seat commands', () => {
  it('checks a seat input, naming every problem', () => {
    expect(checkSeatInput({ userName: 'kg', userGroup: 'HOUSEKEEPING' })).toEqual({
      ok: true,
      value: { userName: 'kg', userGroup: 'HOUSEKEEPING' },
    });
    expect(checkSeatInput({ userName: '', status: 'GONE', colour: 'x' })).toEqual({
      ok: false,
      errors: [
        'colour: is not a field of a seat',
        'userName: must be a non-empty string of at most 200 characters',
        'userGroup: is required',
        'status: must be one of ACTIVE, INACTIVE',
      ],
    });
    expect(checkSeatInput({ status: 'INACTIVE' }, true)).toEqual({ ok: true, value: { status: 'INACTIVE' } });
    expect(checkSeatInput([])).toEqual({ ok: false, errors: ['body: must be an object'] });
  });

  it('decodes requests with their scope and input', () => {
    const create = SEAT_COMMANDS.create;
    expect(
      create.decodeRequest(
        { org: 'A', propId: 'p1', input: { userName: 'kg', userGroup: 'HK' } },
        create.subject,
      ).ok,
    ).toBe(true);
    expect(create.decodeRequest({ org: 'A', input: { userName: 'kg' } }, create.subject)).toEqual({
      ok: false,
      errors: ['propId: must be a non-empty string', 'input.userGroup: is required'],
    });
    const update = SEAT_COMMANDS.update;
    expect(update.decodeRequest({ org: 'A', propId: 'p1', input: {} }, update.subject)).toEqual({
      ok: false,
      errors: ['seatId: must be a seat id'],
    });
  });
});
