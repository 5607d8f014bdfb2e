import { refusalOf } from '@matrix/testing';
import { optionalText, text } from './args';

describe('text arguments', () => {
  it.each([
    [{ Name: 'Spill' }, 'accepted'],
    [{ name: 'Spill' }, 'accepted'],
    [{ Name: 'Sp\u0000ill' }, 'WRONG_PARAMETERS Incident.Name: must not contain NUL characters'],
    [{ Name: 7 }, 'WRONG_PARAMETERS Incident.Name: must be a string'],
    [{ Name: 'x'.repeat(1025) }, 'WRONG_PARAMETERS Incident.Name: must be at most 1024 characters'],
    [{ Name: '  ' }, 'WRONG_PARAMETERS Incident.Name: must not be empty'],
    [{}, 'MISSING_PARAMETERS Incident.Name: is required'],
  ])('%j → %s', (args, expected) => {
    expect(refusalOf(() => text(args, 'Name', 'Incident.Name'))).toBe(expected);
  });

  it('leaves an absent optional text undefined and refuses NUL in a present one', () => {
    expect(optionalText({}, 'Notes')).toBeUndefined();
    expect(refusalOf(() => optionalText({ Notes: 'a\u0000' }, 'Notes'))).toBe(
      'WRONG_PARAMETERS Notes: must not contain NUL characters',
    );
  });
});
