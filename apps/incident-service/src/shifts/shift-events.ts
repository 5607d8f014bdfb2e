import {
  buildMatrixEvent,
  defaultPriorityOf,
  type MatrixEventV1,
  type ShiftEventIdV1,
  type ShiftEventMetaV1,
  type ShiftsPublishedMetaV1,
} from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { shiftMeta, type ShiftRow } from './shift-row';

/** The Matrix module of the workforce events. */
const WORKFORCE_MODULE = 'scworkforcemanagement';

/** The most shifts one publish call publishes (and one SHIFTS_PUBLISHED lists). */
export const MAX_PUBLISHED_PER_CALL = 200;

export type ShiftEventId = Exclude<ShiftEventIdV1, 'SHIFTS_PUBLISHED'>;

const DESCRIPTIONS: Record<ShiftEventId, (row: ShiftRow) => string> = {
  SHIFT_STARTED: (r) => `Shift ${r.shift_id} of seat ${r.seat_id} was started.`,
  SHIFT_COMPLETED: (r) => `Shift ${r.shift_id} of seat ${r.seat_id} was completed.`,
  SHIFT_DELAYED: (r) => `Shift ${r.shift_id} of seat ${r.seat_id} is delayed.`,
  SHIFT_ABSENT: (r) => `Seat ${r.seat_id} is absent from shift ${r.shift_id}.`,
};

const base = (
  pid: string,
  propId: string,
  eventId: ShiftEventIdV1,
  description: string,
  occurredAt: Date,
) => ({
  principal: pid,
  principalType: 'building' as const,
  entity: propId,
  entityType: 'property' as const,
  module: WORKFORCE_MODULE,
  eventId,
  priority: defaultPriorityOf(WORKFORCE_MODULE, eventId) ?? 'NORMAL',
  description,
  occurredAt,
});

/**
 * A shift event (the Matrix documentation, §2.2–2.4) on
 * `matrix.<building>.scworkforcemanagement.<EVENT>.<PRIORITY>`: principal the building, entity its
 * property, the event's documented priority, `Meta` the shift after the change (`ShiftEventMetaV1`).
 */
export function shiftEvent(
  eventId: ShiftEventId,
  row: ShiftRow,
  taskGroups: readonly string[],
  by: string,
  occurredAt: Date,
): MatrixEventV1 {
  const event = buildMatrixEvent({
    ...base(row.pid, row.prop_id, eventId, DESCRIPTIONS[eventId](row), occurredAt),
    meta: { ...shiftMeta(row, taskGroups, by) },
  });
  event.ATTR = `${eventId}#${row.prop_id}#${row.pid}#${row.seat_id}#${row.shift_id}`;
  return event;
}

/**
 * The byte budget of one event or reply carrying shifts: NATS refuses a message over its `max_payload`
 * (1 MB by default), so every SHIFTS_PUBLISHED and every create/copy/publish reply stays under 900 KB of
 * JSON (`Buffer.byteLength(JSON.stringify(…))`), leaving room for headers and the gateway's envelope.
 */
export const SHIFT_PAYLOAD_BYTES = 900 * 1024;

type PublishedShift = { row: ShiftRow; taskGroups: readonly string[] };

/** One `SHIFTS_PUBLISHED` (`ShiftsPublishedMetaV1`) listing `shifts`, part `part` of `parts`. */
function shiftsPublishedEvent(
  pid: string,
  propId: string,
  metas: readonly Omit<ShiftEventMetaV1, 'By'>[],
  by: string,
  occurredAt: Date,
  part: number,
): MatrixEventV1 {
  const meta: ShiftsPublishedMetaV1 = {
    Type: 'SHIFTS',
    ID: pid,
    PropID: propId,
    Count: metas.length,
    Shifts: [...metas],
    By: by,
  };
  const event = buildMatrixEvent({
    ...base(pid, propId, 'SHIFTS_PUBLISHED', `${metas.length} shift(s) were published.`, occurredAt),
    meta: { ...meta },
  });
  const unix = Math.floor(occurredAt.getTime() / 1000);
  event.ATTR = `SHIFTS_PUBLISHED#${propId}#${pid}#${unix}${part > 1 ? `#${part}` : ''}`;
  return event;
}

/**
 * The `SHIFTS_PUBLISHED` events of one publish call (or create with `Publish: true`) in building `pid`:
 * the shifts in the order given (callers pass start order), split into consecutive events of at most
 * {@link MAX_PUBLISHED_PER_CALL} shifts and at most {@link SHIFT_PAYLOAD_BYTES} of JSON each; none for no
 * shifts. The second and later events' `ATTR` end in `#<part>` (2, 3, …) so each is told apart.
 *
 * The bytes are counted exactly: an event is its envelope (measured with `Shifts: []` and a three-digit
 * `Count`, an upper bound of the real one) plus each shift's JSON and a comma. A shift whose JSON alone
 * does not fit is refused with LIMIT_VIOLATED — unreachable with the input limits (see
 * docs/data-formats.md "Workforce shifts": ≤ 200 zones of registry names ≤ 200 characters, ≤ 100 task
 * groups, fixed fields: under 300 KB), and thrown inside the writer's transaction, so nothing is written.
 */
export function shiftsPublishedEvents(
  pid: string,
  propId: string,
  shifts: readonly PublishedShift[],
  by: string,
  occurredAt: Date,
  budget = SHIFT_PAYLOAD_BYTES,
): MatrixEventV1[] {
  if (shifts.length === 0) return [];
  const metas = shifts.map(({ row, taskGroups }) => {
    const { By: _by, ...shift } = shiftMeta(row, taskGroups, by);
    return shift;
  });
  const envelope = Buffer.byteLength(
    JSON.stringify({
      ...shiftsPublishedEvent(pid, propId, [], by, occurredAt, 999),
      Description: '999 shift(s) were published.',
      Meta: { Type: 'SHIFTS', ID: pid, PropID: propId, Count: 999, Shifts: [], By: by },
    }),
  );
  const groups: (typeof metas)[] = [];
  let current: typeof metas = [];
  let bytes = envelope;
  metas.forEach((meta) => {
    const size = Buffer.byteLength(JSON.stringify(meta)) + 1;
    if (envelope + size > budget) {
      throw new CommandError(
        'LIMIT_VIOLATED',
        `shift ${meta.ShiftId} of seat ${meta.SeatId} is too large for one event (${size} bytes of JSON)`,
      );
    }
    if (current.length >= MAX_PUBLISHED_PER_CALL || bytes + size > budget) {
      groups.push(current);
      current = [];
      bytes = envelope;
    }
    current.push(meta);
    bytes += size;
  });
  groups.push(current);
  return groups.map((group, i) => shiftsPublishedEvent(pid, propId, group, by, occurredAt, i + 1));
}
