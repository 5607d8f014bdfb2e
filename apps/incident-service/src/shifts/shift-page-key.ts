import { wrong } from '../ops/args';

/*
 * `LastEvaluatedKey` of the paged shift lists, in the form the incident op getPaginatedListOfUnAssignedIncidents
 * documents and answers (the Matrix documentation, §4.4, §4.10, Appendix A): base64 of the DynamoDB key of the
 * page's last shift, `{"Start":{"n":<Start>},"ID":{"s":<building>},"ATTR":{"s":"attr#<building>#<SeatId>#<ShiftId>"}}`
 * (the shift's own `ID` and `ATTR`). Callers treat it as opaque; it names a position (`Start`, `ShiftId`) in
 * the list's order, not an address, so a key of one list read with another just continues from that position.
 */

/** Where a page of shifts stops: the last shift's planned start and id (the lists' order). */
export interface ShiftPosition {
  start: number;
  shiftId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeShiftPageKey(last: {
  start: number;
  pid: string;
  seatId: string;
  shiftId: string;
}): string {
  return Buffer.from(
    JSON.stringify(
      {
        Start: { n: String(last.start) },
        ID: { s: last.pid },
        ATTR: { s: `attr#${last.pid}#${last.seatId}#${last.shiftId}` },
      },
      null,
      2,
    ),
    'utf8',
  ).toString('base64');
}

/** The position a key names; WRONG_PARAMETERS naming `path` for any text this API did not answer. */
export function decodeShiftPageKey(key: string, path = 'LastEvaluatedKey'): ShiftPosition {
  try {
    // Node's base64 decoder reads both alphabets (standard and url-safe).
    const decoded = JSON.parse(Buffer.from(key, 'base64').toString('utf8')) as Record<string, unknown>;
    const start = (decoded['Start'] as { n?: unknown } | undefined)?.n;
    const attr = (decoded['ATTR'] as { s?: unknown } | undefined)?.s;
    const shiftId = typeof attr === 'string' ? attr.split('#').at(-1)?.toLowerCase() : undefined;
    if (typeof start === 'string' && /^[0-9]{1,12}$/.test(start) && shiftId && UUID.test(shiftId)) {
      return { start: Number(start), shiftId };
    }
  } catch {
    // refused below
  }
  throw wrong(path, 'is not a key this API returned');
}
