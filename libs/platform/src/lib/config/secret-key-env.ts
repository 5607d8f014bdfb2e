import { parseSecretKey } from '../crypto/secret-box';
import { ConfigError, loadEnv, type EnvSchema, type EnvValues, type EnvVar } from './env-schema';

/**
 * `MATRIX_SECRET_KEY` in a service's env schema. Its value is parsed by `loadEnvWithSecretKey`, after
 * `loadEnv`, so that a bad value is never echoed into the error (loadEnv quotes what it was given).
 */
export function secretKeyVar(description: string, required: boolean): EnvVar<string> {
  return {
    type: 'base64 (32 bytes)',
    description,
    required,
    ...(required ? {} : { default: '' }),
    parse: (raw) => raw,
  };
}

/** `loadEnv`, plus the decoded `MATRIX_SECRET_KEY` (undefined when not given); every problem in one error. */
export function loadEnvWithSecretKey<S extends EnvSchema>(
  schema: S,
  source: NodeJS.ProcessEnv,
): { values: EnvValues<S>; secretKey: Buffer | undefined } {
  const problems: string[] = [];
  let secretKey: Buffer | undefined;
  const raw = source['MATRIX_SECRET_KEY'];
  if (raw) {
    try {
      secretKey = parseSecretKey(raw);
    } catch (error) {
      problems.push(`MATRIX_SECRET_KEY (value not shown): ${(error as Error).message}`);
    }
  }
  let values: EnvValues<S> | undefined;
  try {
    values = loadEnv(schema, source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.unshift(...error.problems);
  }
  if (problems.length > 0 || !values) throw new ConfigError(problems);
  return { values, secretKey };
}
