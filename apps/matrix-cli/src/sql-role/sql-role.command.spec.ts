import { UsageError } from '../redrive/redrive.command';
import { parseSqlRoleArgs } from './sql-role.command';

describe('matrix-cli sql-role arguments', () => {
  it('reads an action and a property', () => {
    expect(parseSqlRoleArgs(['create', '--property', 'prop-1'])).toEqual({
      action: 'create',
      propId: 'prop-1',
    });
    expect(
      parseSqlRoleArgs(['revoke', '--property', 'p', '--role', 'matrix_t_0123456789abcdef0123']),
    ).toEqual({
      action: 'revoke',
      propId: 'p',
      role: 'matrix_t_0123456789abcdef0123',
    });
  });

  it.each([
    [[], /one action[\s\S]*--property is required/],
    [['drop', '--property', 'p'], /one action/],
    [['create'], /--property is required/],
    [['create', '--property', 'p', '--role', 'matrix_t_0123456789abcdef0123'], /--role is for revoke/],
    [['revoke', '--property', 'p', '--role', 'postgres'], /--role is for revoke/],
    [['create', '--property', 'p', '--force'], /Unknown option/],
  ])('refuses %j naming what is wrong', (args, message) => {
    expect(() => parseSqlRoleArgs(args as string[])).toThrow(UsageError);
    expect(() => parseSqlRoleArgs(args as string[])).toThrow(message);
  });
});
