import { DatabaseError } from 'pg';
import {
  classifyPgError,
  isRetryableTransaction,
  isRowValueError,
  isUniqueViolation,
  sqlState,
} from './pg-errors';

const pg = (code: string, message = 'refused') => {
  const error = new DatabaseError(message, 0, 'error');
  error.code = code;
  return error;
};

describe('classifyPgError', () => {
  it.each([
    ['23505', 'unique-violation'],
    ['23503', 'foreign-key-violation'],
    ['23514', 'check-violation'],
    ['23502', 'integrity-violation'],
    ['23P01', 'integrity-violation'],
    ['22P02', 'data-exception'],
    ['22021', 'data-exception'],
    ['22P05', 'data-exception'],
    ['22003', 'data-exception'],
    ['54000', 'program-limit'],
    ['40001', 'transaction-rollback'],
    ['40P01', 'transaction-rollback'],
    ['57014', 'query-canceled'],
    ['57P01', 'connection'],
    ['08006', 'connection'],
    ['53300', 'connection'],
    ['42P07', 'already-exists'],
    ['42P04', 'already-exists'],
    ['42P01', 'other'],
  ])('SQLSTATE %s is %s', (code, kind) => {
    expect(classifyPgError(pg(code))).toBe(kind);
  });

  it('tells a missing partition from a check constraint (both 23514)', () => {
    const missing = pg('23514', 'no partition of relation "sensor_data" found for row');
    expect(classifyPgError(missing)).toBe('no-partition');
    expect(isRowValueError(missing)).toBe(false);
    expect(isRowValueError(pg('23514'))).toBe(true);
  });

  it('reads codes of errors that are not pg classes, and ignores what is no PostgreSQL error', () => {
    expect(sqlState(Object.assign(new Error('wrapped'), { code: '23505' }))).toBe('23505');
    expect(classifyPgError(new Error('nothing'))).toBeUndefined();
    expect(classifyPgError(Object.assign(new Error('x'), { code: 'ERR_SOMETHING' }))).toBeUndefined();
    expect(classifyPgError(undefined)).toBeUndefined();
    expect(classifyPgError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe('connection');
    expect(classifyPgError(new Error('Connection terminated unexpectedly'))).toBe('connection');
  });

  it('names what the services ask', () => {
    expect(isUniqueViolation(pg('23505'))).toBe(true);
    expect(isUniqueViolation(pg('23503'))).toBe(false);
    expect(isRetryableTransaction(pg('40P01'))).toBe(true);
    expect(isRetryableTransaction(pg('40001'))).toBe(true);
    expect(isRetryableTransaction(pg('23505'))).toBe(false);
    expect(['22P02', '23505', '54000'].map((code) => isRowValueError(pg(code)))).toEqual([true, true, true]);
    expect(['40P01', '57014', '42P01'].map((code) => isRowValueError(pg(code)))).toEqual([
      false,
      false,
      false,
    ]);
  });
});
