import { CommandError } from '@matrix/messaging';
import { positionOf } from '../incidents/incident-position';
import type { TaskPosition } from './tasks.repository';

/*
 * `LastEvaluatedKey` of the paged task ops, in the form the incident op getPaginatedListOfUnAssignedIncidents
 * documents and answers (the Matrix documentation, §4.4, Appendix A): base64 of the DynamoDB key of the
 * page's last entry, `{"Start":{"n":<Start>},"ID":{"s":<building>},"ATTR":{"s":<its ATTR>}}` — a task
 * group's ATTR `attr#<building>#<SeatId>#<ShiftId>#<TaskId>`, an incident's `attr#<building>#<zone>#<TaskId>`
 * — plus `"Status":{"s":…}` for getTasksForPropertyByStatus, so the next page needs no `Status`. Callers
 * treat it as opaque; it names a position (Start, TaskId), not an address.
 */

export interface PageEntry {
  start: number;
  taskId: string;
  pid: string;
  attr: string;
}

export function encodeTaskPageKey(last: PageEntry, status?: string): string {
  return Buffer.from(
    JSON.stringify(
      {
        Start: { n: String(last.start) },
        ID: { s: last.pid },
        ATTR: { s: last.attr },
        ...(status !== undefined ? { Status: { s: status } } : {}),
      },
      null,
      2,
    ),
    'utf8',
  ).toString('base64');
}

/** The position (and the status, when the key carries one) a key names; WRONG_PARAMETERS for any other text. */
export function decodeTaskPageKey(key: string): { after: TaskPosition; status?: string } {
  try {
    const decoded = JSON.parse(Buffer.from(key, 'base64').toString('utf8')) as Record<string, unknown>;
    const start = (decoded['Start'] as { n?: unknown } | undefined)?.n;
    const attr = (decoded['ATTR'] as { s?: unknown } | undefined)?.s;
    const status = (decoded['Status'] as { s?: unknown } | undefined)?.s;
    const after = positionOf({
      s: typeof start === 'string' && /^[0-9]{1,15}$/.test(start) ? Number(start) : NaN,
      t: typeof attr === 'string' ? attr.split('#').at(-1) : undefined,
    });
    if (after) return { after, ...(typeof status === 'string' ? { status } : {}) };
  } catch {
    // refused below
  }
  throw new CommandError('WRONG_PARAMETERS', 'LastEvaluatedKey: is not a key this API returned');
}
