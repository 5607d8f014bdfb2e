import 'reflect-metadata';
import { CommandFailedError, CommandUnavailableError, RedriveError } from '@matrix/messaging';
import { runCommand } from '@matrix/platform';
import { loadConfig } from './config/matrix-cli.config';
import { NATS_CONFIG_USAGE, NATS_KEYS_USAGE, natsConfigText, natsKeys } from './nats-auth/nats-auth.command';
import { provision } from './provision/provision.command';
import { describeSummary, redrive, REDRIVE_USAGE, UsageError } from './redrive/redrive.command';
import { SQL_ROLE_USAGE, sqlRole } from './sql-role/sql-role.command';
import { SQL_SINK_USAGE, sqlSink } from './sql-sink/sql-sink.command';

/** Runs a command that only prints, exiting 64 with its usage on a UsageError. */
function printing(usage: string, lines: () => string[] | string): Promise<void> {
  try {
    const out = lines();
    process.stdout.write(typeof out === 'string' ? out : `${out.join('\n')}\n`);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${usage}\n`);
      process.exit(64);
    }
    throw error;
  }
  return Promise.resolve();
}

/**
 * Operator commands: `provision` creates or updates every stream, durable consumer and KV bucket
 * (idempotent); `redrive --reason …` republishes rejected readings after their cause was fixed;
 * `sql-role create|rotate|revoke --property …` manages a property's read-only SQL login (sql-projector);
 * `sql-sink set|show|remove --property …` the customer's PostgreSQL that sql-projector copies the property into;
 * `nats-keys --dir …` makes missing nkey seeds, `nats-config --keys …` prints nats-server's authorization block
 * (docs/nats-security.md).
 */
void runCommand(process.argv, {
  'nats-keys': () => printing(NATS_KEYS_USAGE, () => natsKeys(process.argv.slice(3))),
  'nats-config': () =>
    printing(NATS_CONFIG_USAGE, () => natsConfigText(process.argv.slice(3), loadConfig().nats.namespace)),
  provision: async () => {
    for (const line of await provision()) process.stdout.write(`${line}\n`);
  },
  redrive: async () => {
    try {
      await redrive(process.argv.slice(3));
    } catch (error) {
      if (error instanceof UsageError) {
        process.stderr.write(`${error.message}\n${REDRIVE_USAGE}\n`);
        process.exit(64);
      }
      if (error instanceof RedriveError) {
        for (const line of describeSummary(error.summary)) process.stdout.write(`${line}\n`);
        process.stderr.write(`${error.message}\nNothing is lost: running the same command again is safe.\n`);
        process.exit(1);
      }
      throw error;
    }
  },
  'sql-role': async () => {
    try {
      for (const line of await sqlRole(process.argv.slice(3))) process.stdout.write(`${line}\n`);
    } catch (error) {
      if (error instanceof UsageError) {
        process.stderr.write(`${error.message}\n${SQL_ROLE_USAGE}\n`);
        process.exit(64);
      }
      if (error instanceof CommandFailedError) {
        process.stderr.write(`sql-role: ${error.code}: ${error.message}\n`);
        process.exit(1);
      }
      if (error instanceof CommandUnavailableError) {
        process.stderr.write(
          `sql-role: sql-projector did not answer (${error.message}); run it again (a create that landed meanwhile answers CONFLICT: rotate then)\n`,
        );
        process.exit(1);
      }
      throw error;
    }
  },
  'sql-sink': async () => {
    try {
      for (const line of await sqlSink(process.argv.slice(3))) process.stdout.write(`${line}\n`);
    } catch (error) {
      if (error instanceof UsageError) {
        process.stderr.write(`${error.message}\n${SQL_SINK_USAGE}\n`);
        process.exit(64);
      }
      if (error instanceof CommandFailedError) {
        process.stderr.write(`sql-sink: ${error.code}: ${error.message}\n`);
        process.exit(1);
      }
      if (error instanceof CommandUnavailableError) {
        process.stderr.write(
          `sql-sink: sql-projector did not answer (${error.message}); run it again (harmless; a remove that landed meanwhile then answers NOT_FOUND)\n`,
        );
        process.exit(1);
      }
      throw error;
    }
  },
});
