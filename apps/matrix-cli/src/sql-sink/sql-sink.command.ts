import {
  SQL_SINK_COMMANDS,
  sqlSinkUrlProblems,
  type RemovedSqlSinkV1,
  type SqlSinkStatusV1,
} from '@matrix/contracts';
import { CommandBus, NatsClient } from '@matrix/messaging';
import { parsePropertyCommand } from '../args/property-command';
import { loadConfig } from '../config/matrix-cli.config';
import { UsageError } from '../redrive/redrive.command';

export const SQL_SINK_USAGE =
  'usage: matrix-cli sql-sink <set|show|remove> --property <propId> [--url <connectionString> | --url - (set: read it from stdin)]';

export type SqlSinkArgs =
  { action: 'set'; propId: string; url: string } | { action: 'show' | 'remove'; propId: string };

/**
 * Reads `<set|show|remove> --property <id> [--url <connection string>]`; throws UsageError naming every
 * problem (never the connection string: it holds a password). `--url -` is kept as `-` for the caller to
 * read from stdin, which keeps the password out of the process list and the shell history.
 */
export function parseSqlSinkArgs(args: readonly string[]): SqlSinkArgs {
  const { action, propId, values, problems } = parsePropertyCommand(args, ['set', 'show', 'remove'], ['url']);
  if (action === 'set') {
    if (values.url === undefined) problems.push('--url is required for set');
    else if (values.url !== '-') problems.push(...urlProblems(values.url));
  } else if (values.url !== undefined) {
    problems.push('--url is for set only');
  }
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return action === 'set' ? { action, propId, url: values.url! } : { action, propId };
}

/** The contract's problems of a connection string, named as the option is. */
export function urlProblems(url: string): string[] {
  return sqlSinkUrlProblems(url).map((problem) => problem.replace(/^connectionString:/, '--url:'));
}

/** The one request of a parsed command, answered as the lines to print (the reply as indented JSON). */
export async function runSqlSink(args: SqlSinkArgs, bus: Pick<CommandBus, 'request'>): Promise<string[]> {
  let reply: SqlSinkStatusV1 | RemovedSqlSinkV1;
  switch (args.action) {
    case 'set':
      reply = await bus.request(SQL_SINK_COMMANDS.set, { propId: args.propId, connectionString: args.url });
      break;
    case 'show':
      reply = await bus.request(SQL_SINK_COMMANDS.show, { propId: args.propId });
      break;
    case 'remove':
      reply = await bus.request(SQL_SINK_COMMANDS.remove, { propId: args.propId });
      break;
  }
  return JSON.stringify(reply, null, 2).split('\n');
}

/** The whole of stdin without its closing line break (`--url -`). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * Asks sql-projector (`sql.sink.<action>.v1`) and answers the lines to print: the sink's status (set,
 * show) or what was removed, as sql-projector replies it — the target without its password.
 */
export async function sqlSink(argv: readonly string[]): Promise<string[]> {
  let args = parseSqlSinkArgs(argv);
  if (args.action === 'set' && args.url === '-') {
    const url = await readStdin();
    const problems = urlProblems(url);
    if (problems.length > 0) throw new UsageError(`stdin: ${problems.join('; ')}`);
    args = { ...args, url };
  }
  const config = loadConfig();
  const client = await new NatsClient({ ...config.nats, name: 'matrix-cli' }).connect();
  try {
    const bus = new CommandBus(client, {
      log: () => undefined,
      warn: () => undefined,
      error: (message: string) => process.stderr.write(`${message}\n`),
    } as never);
    return await runSqlSink(args, bus);
  } finally {
    await client.drain();
  }
}
