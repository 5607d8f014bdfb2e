import { ActionError } from './action-error';
import { actionArguments } from './action-arguments';

describe('actionArguments', () => {
  it('reads no body and the JSON literal null (what the SDKs post for an op without arguments) as none', () => {
    expect(actionArguments(undefined)).toEqual({});
    expect(actionArguments(null)).toEqual({});
  });

  it('takes a JSON object as the arguments, as it is', () => {
    const body = { InsID: 'z1' };
    expect(actionArguments(body)).toBe(body);
  });

  it.each([[[]], [[{ InsID: 'z1' }]], [42], ['text'], [true]])('refuses %p naming the body', (body) => {
    expect(() => actionArguments(body)).toThrow(ActionError);
    expect(() => actionArguments(body)).toThrow(/body must be a JSON object/);
  });
});
