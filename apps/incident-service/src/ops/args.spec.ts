import { CommandError } from '@matrix/messaging';
import { optionalText, text } from './args';

describe('text arguments', () => {
  const refusal = (read: () => unknown) => {
    try {
      read();
    } catch (error) {
      return error instanceof CommandError ? `${error.code} ${error.message}` : String(error);
    }
    return 'accepted';
  };

  it.each([
    [{ Name: 'Spill' }, 'accepted'],
    [{ name: 'Spill' }, 'accepted'],
    [{ Name: 'Sp\u0000ill' }, 'WRONG_PARAMETERS Incident.Name: must not contain NUL characters'],
    [{ Name: 7 }, 'WRONG_PARAMETERS Incident.Name: must be a string'],
    [{ Name: 'x'.repeat(1025) }, 'WRONG_PARAMETERS Incident.Name: must be at most 1024 characters'],
    [{ Name: '  ' }, 'WRONG_PARAMETERS Incident.Name: must not be empty'],
    [{}, 'MISSING_PARAMETERS Incident.Name: is required'],
  ])('%j → %s', (args, expected) => {
    expect(refusal(() => text(args, 'Name', 'Incident.Name'))).toBe(expected);
  });

  it('leaves an absent optional text undefined and refuses NUL in a present one', () => {
    expect(optionalText({}, 'Notes')).toBeUndefined();
    expect(refusal(() => optionalText({ Notes: 'a\u0000' }, 'Notes'))).toBe(
      'WRONG_PARAMETERS Notes: must not contain NUL characters',
    );
  });
});
