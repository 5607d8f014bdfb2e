import { validateContract, type Validated } from '../shared/validation';
import { MATRIX_PRIORITIES } from './matrix-event-ids';
import { MatrixEventV1 } from './matrix-event.v1';

/*
 * A hand-written check that accepts exactly what the MatrixEventV1 contract accepts, for event-router's
 * hot path (every event of MATRIX_EVENTS is checked before it is routed). An event the fast check does not
 * accept goes through the contract class, which gives the error messages and the final word, so the fast
 * path can only be stricter, never more lenient, than the contract.
 */

type Plain = Record<string, unknown>;

const isObject = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** class-validator's MinLength(1): not empty once emoji presentation selectors are discounted. */
const NOT_EMPTY = /[^\uFE0E\uFE0F]/;
const EVENT = /^[A-Z0-9_]+$/;
const ROUTING_KEY = /^matrix\.[^.]+\.[^.]+\.[^.]+\.[^.]+$/;
const DIGITS = /^\d+$/;
const TYPES: readonly unknown[] = ['building', 'property', 'organisation'];
const PRIORITIES: readonly unknown[] = MATRIX_PRIORITIES;

const text = (value: unknown): value is string => typeof value === 'string';
const absent = (value: unknown): boolean => value === undefined || value === null;
const optionalText = (value: unknown): boolean => absent(value) || text(value);
const optionalIn = (value: unknown, allowed: readonly unknown[]): boolean =>
  absent(value) || allowed.includes(value);

function quickEvent(input: unknown): input is MatrixEventV1 {
  if (!isObject(input)) return false;
  const p = input['Principal'];
  const m = input['Module'];
  const e = input['Event'];
  const k = input['RoutingKey'];
  const u = input['UnixTime'];
  if (!text(p) || !NOT_EMPTY.test(p) || !text(m) || !NOT_EMPTY.test(m)) return false;
  if (!text(input['Description']) || !text(e) || !EVENT.test(e) || !text(k) || !ROUTING_KEY.test(k)) {
    return false;
  }
  if (!PRIORITIES.includes(input['Status']) || !text(u) || !DIGITS.test(u)) return false;
  if (!Number.isInteger(input['UnixTimeInt']) || !isObject(input['Meta'])) return false;
  if (!optionalText(input['ID']) || !optionalText(input['ATTR']) || !optionalText(input['Entity'])) {
    return false;
  }
  if (!optionalText(input['Time'])) return false;
  if (!optionalIn(input['PType'], TYPES) || !optionalIn(input['EType'], TYPES)) return false;
  const keys = input['RoutingKeyS'];
  return absent(keys) || (Array.isArray(keys) && keys.every(text));
}

/** `validateContract(MatrixEventV1, input)`, fast for valid events; the value is `input` itself. */
export function validateMatrixEvent(input: unknown): Validated<MatrixEventV1> {
  return quickEvent(input) ? { ok: true, value: input } : validateContract(MatrixEventV1, input);
}
