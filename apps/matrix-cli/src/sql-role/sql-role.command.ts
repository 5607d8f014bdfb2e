import { TENANT_ROLE_COMMANDS, TENANT_ROLE_NAME } from '@matrix/contracts';
import { CommandBus, NatsClient } from '@matrix/messaging';
import { parsePropertyCommand } from '../args/property-command';
import { loadConfig } from '../config/matrix-cli.config';
import { UsageError } from '../redrive/redrive.command';

export const SQL_ROLE_USAGE =
  'usage: matrix-cli sql-role <create|rotate|revoke> --property <propId> [--role <matrix_t_…> (revoke)]';

export interface SqlRoleArgs {
  action: 'create' | 'rotate' | 'revoke';
  propId: string;
  role?: string;
}

/** Reads `<create|rotate|revoke> --property <id> [--role <name>]`; throws UsageError naming every problem. */
export function parseSqlRoleArgs(args: readonly string[]): SqlRoleArgs {
  const { action, propId, values, problems } = parsePropertyCommand(
    args,
    ['create', 'rotate', 'revoke'],
    ['role'],
  );
  if (values.role !== undefined && (action !== 'revoke' || !TENANT_ROLE_NAME.test(values.role))) {
    problems.push('--role is for revoke and must be a tenant role name (matrix_t_ and 20 hex digits)');
  }
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return { action, propId, ...(values.role ? { role: values.role } : {}) };
}

/**
 * Asks sql-projector (`sql.tenant-role.<action>.v1`) and answers the lines to print: for create and
 * rotate the role and its connection string — the only time the password is shown.
 */
export async function sqlRole(args: readonly string[]): Promise<string[]> {
  const parsed = parseSqlRoleArgs(args);
  const config = loadConfig();
  const client = await new NatsClient({ ...config.nats, name: 'matrix-cli' }).connect();
  try {
    const bus = new CommandBus(client, {
      log: () => undefined,
      warn: () => undefined,
      error: (message: string) => process.stderr.write(`${message}\n`),
    } as never);
    if (parsed.action === 'revoke') {
      const revoked = await bus.request(TENANT_ROLE_COMMANDS.revoke, {
        propId: parsed.propId,
        ...(parsed.role ? { role: parsed.role } : {}),
      });
      return [
        `revoked ${revoked.role} (property ${revoked.propId}); sessions ended: ${revoked.sessionsEnded}`,
      ];
    }
    const role = await bus.request(TENANT_ROLE_COMMANDS[parsed.action], { propId: parsed.propId });
    return [
      `role:     ${role.role} (property ${role.propId})`,
      `connect:  ${role.connectionString}`,
      'The password is shown this once: store it now (rotate makes a new one).',
    ];
  } finally {
    await client.drain();
  }
}
