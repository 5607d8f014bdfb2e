import { randomInt } from 'node:crypto';

/*
 * Task ids in the documented form (the Matrix documentation, §4.4: epoch-ms-based strings such as
 * `"1660643173874880217"`): the creation time in epoch milliseconds followed by six digits, 19 digits in
 * all. Incidents, task groups and ad hoc tasks all take theirs from here, so the form is written once.
 *
 * The six digits come from one counter of the process, started at a random value: ids drawn in one
 * process never repeat unless a million are drawn for the same millisecond (a shift create with its
 * repeats draws several batches for one `now`; random suffixes per batch collided — seen in
 * bench/workforce workday as a duplicate `task_groups` key). Two replicas can still draw the same id for
 * the same millisecond, with odds of about one in a million per pair; the primary key refuses that write.
 */

let counter = randomInt(0, 1_000_000);

/** `count` new task ids for `now`, each with its own suffix. */
export function newTaskIds(now: Date, count: number): string[] {
  const ms = now.getTime();
  return Array.from({ length: count }, () => {
    counter = (counter + 1) % 1_000_000;
    return `${ms}${String(counter).padStart(6, '0')}`;
  });
}

/** One new task id for `now`. */
export const newTaskId = (now: Date): string => newTaskIds(now, 1)[0]!;
