import { randomInt } from 'node:crypto';

/*
 * Task ids in the documented form (the Matrix documentation, §4.4: epoch-ms-based strings such as
 * `"1660643173874880217"`): the creation time in epoch milliseconds followed by six digits, 19 digits in
 * all. Incidents, task groups and ad hoc tasks all take theirs from here, so the form is written once.
 */

/**
 * `count` new task ids for `now`: consecutive six-digit suffixes from a random start (wrapping at
 * 999999), so the ids of one write never collide with one another.
 */
export function newTaskIds(now: Date, count: number): string[] {
  const first = randomInt(0, 1_000_000);
  return Array.from(
    { length: count },
    (_, i) => `${now.getTime()}${String((first + i) % 1_000_000).padStart(6, '0')}`,
  );
}

/** One new task id for `now` (a random six-digit suffix). */
export const newTaskId = (now: Date): string => newTaskIds(now, 1)[0]!;
