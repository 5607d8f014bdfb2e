import { parseArgs } from 'node:util';
import { UsageError } from '../redrive/redrive.command';

/** `<action> --property <id> [--<option> <value>…]` as read, with the problems found so far. */
export interface PropertyCommand<A extends string, O extends string> {
  /** One of `actions`, when the problems do not say otherwise. */
  readonly action: A;
  readonly propId: string;
  readonly values: Partial<Record<O, string>>;
  /** What is wrong so far; the caller adds its own and throws them together (UsageError). */
  readonly problems: string[];
}

/**
 * Reads a command of one property (`sql-role`, `sql-sink`): exactly one positional action out of
 * `actions`, a required `--property`, and the string `options`. An unknown option throws UsageError at
 * once; the other problems are collected so the caller can name every one.
 */
export function parsePropertyCommand<A extends string, O extends string>(
  args: readonly string[],
  actions: readonly A[],
  options: readonly O[],
): PropertyCommand<A, O> {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...args],
      options: Object.fromEntries(
        ['property', ...options].map((name) => [name, { type: 'string' as const }]),
      ),
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const problems: string[] = [];
  const action = positionals[0] as A;
  if (positionals.length !== 1 || !actions.includes(action)) {
    problems.push(`name one action: ${actions.slice(0, -1).join(', ')} or ${actions[actions.length - 1]}`);
  }
  if (!values['property']) problems.push('--property is required');
  const optionValues = Object.fromEntries(options.map((name) => [name, values[name] as string | undefined]));
  return {
    action,
    propId: values['property'] as string,
    values: optionValues as Partial<Record<O, string>>,
    problems,
  };
}
