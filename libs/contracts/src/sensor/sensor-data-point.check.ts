import { validateContract, type Validated } from '../shared/validation';
import { DEV_TYPE_PATTERN, NormalisedSensorDataPointV1, SensorDataPointV1 } from './sensor-data-point.v1';

/*
 * Hand-written checks that accept exactly what the class-validator contracts accept, ~30× faster: the
 * sensor path validates hundreds of thousands of points a minute, and class-transformer + class-validator
 * cost more per point than everything else push-ingress, sensor-normaliser and sql-projector do. A point
 * the fast check does not accept goes through the contract class, which gives the error messages (and
 * the final word), so the fast path can only ever be stricter, never more lenient, than the contract.
 */

type Plain = Record<string, unknown>;

const isObject = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** class-validator's MinLength(1): not empty once emoji presentation selectors are discounted. */
const NOT_EMPTY = /[^\uFE0E\uFE0F]/;

/** A required string of 1..max characters (UTF-16 length ≤ max implies class-validator's length ≤ max). */
const requiredText = (value: unknown, max = Infinity): boolean =>
  typeof value === 'string' && value.length <= max && NOT_EMPTY.test(value);

/** IsOptional + IsString + MaxLength: null and undefined pass. */
const optionalText = (value: unknown, max = Infinity): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.length <= max);

const matches = (value: unknown, pattern: RegExp): boolean =>
  typeof value === 'string' && pattern.test(value);

const finite = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

const RAW_OPTIONAL: readonly (readonly [string, number])[] = [
  ['t', 14],
  ['Region', 64],
  ['time', 32],
  ['PID', 128],
  ['PropId', 128],
  ['InsID', 128],
  ['Display', 256],
  ['dow', 2],
  ['month', 2],
  ['hour', 2],
  ['dom', 2],
  ['minute', 2],
];

function quickRaw(input: unknown): input is SensorDataPointV1 {
  if (!isObject(input)) return false;
  if (!requiredText(input['DEVID'], 128) || !matches(input['DevType'], DEV_TYPE_PATTERN)) return false;
  if (!finite(input['unixT']) || !isObject(input['v'])) return false;
  for (const [field, max] of RAW_OPTIONAL) if (!optionalText(input[field], max)) return false;
  return true;
}

const T = /^\d{14}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/;
const DOW = /^[0-6]$/;
const TWO_DIGITS = /^\d{2}$/;

function quickNormalised(input: unknown): input is NormalisedSensorDataPointV1 {
  if (!isObject(input)) return false;
  if (!requiredText(input['DEVID'], 128) || !matches(input['DevType'], DEV_TYPE_PATTERN)) return false;
  if (!finite(input['unixT']) || !isObject(input['v'])) return false;
  if (!matches(input['t'], T) || !matches(input['time'], TIME) || !matches(input['dow'], DOW)) return false;
  for (const field of ['month', 'hour', 'dom', 'minute']) {
    if (!matches(input[field], TWO_DIGITS)) return false;
  }
  if (!requiredText(input['Region']) || !requiredText(input['PID']) || !requiredText(input['InsID'])) {
    return false;
  }
  return optionalText(input['PropId']) && optionalText(input['Display']);
}

/** `validateContract(SensorDataPointV1, input)`, fast for the valid points; the value is `input` itself. */
export function validateSensorDataPoint(input: unknown): Validated<SensorDataPointV1> {
  return quickRaw(input) ? { ok: true, value: input } : validateContract(SensorDataPointV1, input);
}

/** `validateContract(NormalisedSensorDataPointV1, input)`, fast for the valid points. */
export function validateNormalisedPoint(input: unknown): Validated<NormalisedSensorDataPointV1> {
  return quickNormalised(input)
    ? { ok: true, value: input }
    : validateContract(NormalisedSensorDataPointV1, input);
}
