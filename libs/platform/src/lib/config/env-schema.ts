import { accessSync, constants } from 'node:fs';

/** One environment variable: how to read it, its default and what it is for (rendered in app READMEs). */
export interface EnvVar<T> {
  readonly type: string;
  readonly description: string;
  readonly default?: string;
  readonly required?: boolean;
  parse(raw: string): T;
}

export type EnvSchema = Record<string, EnvVar<unknown>>;
export type EnvValues<S extends EnvSchema> = {
  readonly [K in keyof S]: S[K] extends EnvVar<infer T> ? T : never;
};

/** Every invalid variable at once, so an operator fixes them in one go. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid environment variables:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates every variable of `schema` against `env`; throws one ConfigError listing all bad ones. */
export function loadEnv<S extends EnvSchema>(schema: S, env: NodeJS.ProcessEnv = process.env): EnvValues<S> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(schema)) {
    const given = env[name];
    const raw = given === undefined || given === '' ? spec.default : given;
    if (raw === undefined) {
      if (spec.required) problems.push(`${name} is required (${spec.description})`);
      continue;
    }
    try {
      values[name] = spec.parse(raw);
    } catch (error) {
      problems.push(`${name}=${JSON.stringify(given ?? raw)}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as EnvValues<S>;
}

export const env = {
  string(
    description: string,
    options: { default?: string; required?: boolean; pattern?: RegExp } = {},
  ): EnvVar<string> {
    return {
      type: 'string',
      description,
      default: options.default,
      required: options.required,
      parse(raw) {
        if (options.pattern && !options.pattern.test(raw)) throw new Error(`must match ${options.pattern}`);
        return raw;
      },
    };
  },
  int(description: string, options: { default?: number; min?: number; max?: number } = {}): EnvVar<number> {
    return {
      type: 'integer',
      description,
      default: options.default === undefined ? undefined : String(options.default),
      parse(raw) {
        const value = Number(raw);
        if (!Number.isInteger(value)) throw new Error('must be an integer');
        if (options.min !== undefined && value < options.min) throw new Error(`must be ≥ ${options.min}`);
        if (options.max !== undefined && value > options.max) throw new Error(`must be ≤ ${options.max}`);
        return value;
      },
    };
  },
  /** An optional path to a file that must be readable at startup (e.g. a key mounted from a Secret); empty = none. */
  file(description: string): EnvVar<string> {
    return {
      type: 'path',
      description,
      default: '',
      parse(raw) {
        if (raw === '') return raw;
        try {
          accessSync(raw, constants.R_OK);
        } catch (error) {
          throw new Error(
            `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          );
        }
        return raw;
      },
    };
  },
  url(description: string, protocols: string[], options: { default?: string } = {}): EnvVar<string> {
    return {
      type: 'url',
      description,
      default: options.default,
      required: true,
      parse(raw) {
        for (const part of raw.split(',')) {
          const url = new URL(part.trim());
          if (!protocols.includes(url.protocol.replace(/:$/, ''))) {
            throw new Error(`must use ${protocols.join(' or ')}://`);
          }
        }
        return raw;
      },
    };
  },
  oneOf<T extends string>(
    description: string,
    values: readonly T[],
    options: { default?: T } = {},
  ): EnvVar<T> {
    return {
      type: values.join(' \\| '),
      description,
      default: options.default,
      parse(raw) {
        if (!(values as readonly string[]).includes(raw)) {
          throw new Error(`must be one of ${values.join(', ')}`);
        }
        return raw as T;
      },
    };
  },
};

/** Renders the env table for an app README (Name | Type | Default | Description). */
export function envTable(schema: EnvSchema): string {
  const rows = Object.entries(schema).map(
    ([name, spec]) =>
      `| \`${name}\` | ${spec.type} | ${spec.default === undefined ? '—' : spec.default === '' ? '(empty)' : `\`${spec.default}\``} | ${spec.description} |`,
  );
  return ['| Name | Type | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
