import { DatabaseError } from 'pg';

/**
 * What a PostgreSQL error means to the caller, from its SQLSTATE (PostgreSQL manual, appendix A
 * "PostgreSQL Error Codes"): the class (first two characters) decides, a few codes are told apart.
 */
export type PgErrorClass =
  /** 23505: a unique or primary key already holds the value. */
  | 'unique-violation'
  /** 23503: a referenced row does not exist (or a referencing row still does). */
  | 'foreign-key-violation'
  /** 23514: a check constraint refused the row. */
  | 'check-violation'
  /** 23514 "no partition of relation … found for row": the row's partition does not exist (yet). */
  | 'no-partition'
  /** Any other integrity violation (class 23: not null, exclusion, …). */
  | 'integrity-violation'
  /** Class 22: a value PostgreSQL cannot take (bad encoding, NUL, out of range, not a number, …). */
  | 'data-exception'
  /** Class 54: a program limit, e.g. a key too large for its index. */
  | 'program-limit'
  /** 40001 serialization failure, 40P01 deadlock (class 40): the transaction may succeed when run again. */
  | 'transaction-rollback'
  /** 57014: cancelled, e.g. by `statement_timeout`. */
  | 'query-canceled'
  /** Class 08, 57P01–57P03, 53300: the connection failed or the server is going away or full. */
  | 'connection'
  /** 42P07 / 42P04 / 42710: the relation, database or object exists already (a concurrent create). */
  | 'already-exists'
  /** Anything else (a bug in the statement, a permission, …). */
  | 'other';

/** The SQLSTATEs the services name. */
export const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  queryCanceled: '57014',
  duplicateTable: '42P07',
  duplicateDatabase: '42P04',
  duplicateObject: '42710',
} as const;

/** The fields of a PostgreSQL error the services read (pg's `DatabaseError`). */
export interface PgErrorFields {
  code: string;
  message: string;
  constraint?: string;
  detail?: string;
  table?: string;
  column?: string;
}

/**
 * The PostgreSQL error in `error`, or undefined for anything else. Also accepts errors that carry a
 * five-character `code` without being pg's class (e.g. wrapped by another library).
 */
export function pgError(error: unknown): PgErrorFields | undefined {
  if (error instanceof DatabaseError && error.code) return error as PgErrorFields;
  const candidate = error as { code?: unknown; message?: unknown } | null;
  if (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.code === 'string' &&
    /^[0-9A-Z]{5}$/.test(candidate.code)
  ) {
    return candidate as PgErrorFields;
  }
  return undefined;
}

/** The SQLSTATE of a PostgreSQL error, or undefined. */
export function sqlState(error: unknown): string | undefined {
  return pgError(error)?.code;
}

const NODE_CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND']);

/** What `error` means (see {@link PgErrorClass}); undefined when it is no PostgreSQL or connection error. */
export function classifyPgError(error: unknown): PgErrorClass | undefined {
  const pg = pgError(error);
  if (!pg) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && NODE_CONNECTION_ERRORS.has(code)) return 'connection';
    if (error instanceof Error && /Connection terminated/.test(error.message)) return 'connection';
    return undefined;
  }
  const { code } = pg;
  switch (code) {
    case SQLSTATE.uniqueViolation:
      return 'unique-violation';
    case SQLSTATE.foreignKeyViolation:
      return 'foreign-key-violation';
    case SQLSTATE.checkViolation:
      return /no partition of relation/.test(pg.message ?? '') ? 'no-partition' : 'check-violation';
    case SQLSTATE.queryCanceled:
      return 'query-canceled';
    case SQLSTATE.duplicateTable:
    case SQLSTATE.duplicateDatabase:
    case SQLSTATE.duplicateObject:
      return 'already-exists';
    case '57P01': // admin_shutdown (also pg_terminate_backend)
    case '57P02': // crash_shutdown
    case '57P03': // cannot_connect_now
    case '53300': // too_many_connections
      return 'connection';
  }
  switch (code.slice(0, 2)) {
    case '23':
      return 'integrity-violation';
    case '22':
      return 'data-exception';
    case '54':
      return 'program-limit';
    case '40':
      return 'transaction-rollback';
    case '08':
      return 'connection';
    default:
      return 'other';
  }
}

export const isUniqueViolation = (error: unknown) => classifyPgError(error) === 'unique-violation';

/** A serialization failure or deadlock: running the transaction again may succeed. */
export const isRetryableTransaction = (error: unknown) => classifyPgError(error) === 'transaction-rollback';

/**
 * The values of the row(s) caused the error rather than the database's state: data exceptions (22),
 * integrity violations (23, except a missing partition) and program limits (54). Writing the same
 * values again can never succeed.
 */
export function isRowValueError(error: unknown): boolean {
  switch (classifyPgError(error)) {
    case 'unique-violation':
    case 'foreign-key-violation':
    case 'check-violation':
    case 'integrity-violation':
    case 'data-exception':
    case 'program-limit':
      return true;
    default:
      return false;
  }
}
