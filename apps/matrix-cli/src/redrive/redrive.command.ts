import { parseArgs } from 'node:util';
import { REJECTION_REASONS, type RejectionReason } from '@matrix/contracts';
import {
  NatsClient,
  redriveRejectedReadings,
  type RedriveItem,
  type RedriveOptions,
  type RedriveSummary,
} from '@matrix/messaging';
import { loadConfig } from '../config/matrix-cli.config';

export const REDRIVE_USAGE =
  `usage: matrix-cli redrive --reason <${REJECTION_REASONS.join('|')}> ` +
  '[--since <ISO 8601 date or instant, e.g. 2026-11-26T00:00:00Z>] [--limit <N>] [--dry-run]';

/** The command line is wrong: print it with the usage and exit 64 (EX_USAGE). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A date (`2026-11-26`, midnight UTC) or an instant with its offset (`…T00:00:00Z`, `…+01:00`). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

export type RedriveArgs = Pick<RedriveOptions, 'reason' | 'since' | 'limit' | 'dryRun'>;

/** Reads `--reason … [--since …] [--limit N] [--dry-run]`; throws UsageError naming every problem. */
export function parseRedriveArgs(args: readonly string[]): RedriveArgs {
  let values: { reason?: string; since?: string; limit?: string; 'dry-run'?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        reason: { type: 'string' },
        since: { type: 'string' },
        limit: { type: 'string' },
        'dry-run': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const problems: string[] = [];
  const reason = values.reason;
  if (reason === undefined) problems.push('--reason is required');
  else if (!(REJECTION_REASONS as readonly string[]).includes(reason)) {
    problems.push(`--reason must be one of ${REJECTION_REASONS.join(', ')} (got "${reason}")`);
  }
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = new Date(values.since);
    if (!ISO_INSTANT.test(values.since) || Number.isNaN(since.getTime())) {
      problems.push(
        `--since must be an ISO 8601 date or an instant with its offset, e.g. 2026-11-26T00:00:00Z (got "${values.since}")`,
      );
    }
  }
  let limit: number | undefined;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!/^\d+$/.test(values.limit) || !Number.isSafeInteger(limit) || limit < 1) {
      problems.push(`--limit must be a whole number of at least 1 (got "${values.limit}")`);
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return {
    reason: reason as RejectionReason,
    ...(since ? { since } : {}),
    ...(limit !== undefined ? { limit } : {}),
    dryRun: values['dry-run'] === true,
  };
}

/** One line per reading in a dry run and per skipped rejection; re-driven readings are only counted. */
function describeItem(item: RedriveItem): string | undefined {
  if (item.outcome === 'would_redrive') {
    return `would re-drive #${item.sequence} ${item.rawSubject} ${item.rawMsgId}`;
  }
  if (item.outcome === 'skipped') return `skipped #${item.sequence}: ${item.why}`;
  return undefined;
}

export function describeSummary(summary: RedriveSummary): string[] {
  const scope = `sensor.rejected.${summary.reason}${summary.since ? ` since ${summary.since}` : ''}`;
  const lines = [
    `${summary.dryRun ? 'would re-drive' : 're-driven'}: ${summary.redriven}`,
    `skipped: ${summary.skipped}`,
    `examined: ${summary.examined} rejections on ${scope}` +
      (summary.dryRun ? ' (dry run: nothing published)' : ` (run ${summary.run})`),
  ];
  if (summary.limitReached) lines.push('stopped at --limit: more rejections remain; run again to continue');
  return lines;
}

/**
 * `matrix-cli redrive`: republishes rejected readings to SENSOR_RAW after the cause was fixed (see
 * redriveRejectedReadings in @matrix/messaging), printing what it did. Safe to run any number of times.
 */
export async function redrive(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<RedriveSummary> {
  const options = parseRedriveArgs(args);
  const config = loadConfig(env);
  const client = await new NatsClient({ ...config.nats, name: 'matrix-cli' }).connect();
  try {
    const summary = await redriveRejectedReadings(client, {
      ...options,
      onItem: (item) => {
        const line = describeItem(item);
        if (line) print(line);
      },
    });
    for (const line of describeSummary(summary)) print(line);
    return summary;
  } finally {
    await client.drain();
  }
}
