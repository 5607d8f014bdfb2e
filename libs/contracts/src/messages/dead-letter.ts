/*
 * ⚠️ Dead letters are read by operators and their tooling: the subject and the `Matrix-Dlq-*` headers
 * (`HEADER.dlq*`) are persistent contracts.
 */

/** Subject of a dead letter: `dlq.<original subject without namespace>` (stream `DLQ`). */
export function deadLetterSubject(originalSubject: string): string {
  return `dlq.${originalSubject}`;
}
