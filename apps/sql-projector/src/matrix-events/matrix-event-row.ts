import { createHash } from 'node:crypto';
import { parseRoutingKey, type MatrixEventV1, type PrincipalEntry } from '@matrix/contracts';

/** The columns of `matrix.events` the projector writes (`projected_at` is the database's). */
export interface MatrixEventRow {
  msg_id: string;
  principal: string;
  pid: string | null;
  prop_id: string | null;
  module: string;
  event_id: string;
  priority: string;
  routing_key: string;
  time: string;
  description: string;
  meta: Record<string, unknown>;
  payload: MatrixEventV1;
  stream_seq: number;
}

/** The largest UnixTime (seconds) a JavaScript date, and so a row, can hold. */
const MAX_UNIX_SECONDS = 8_640_000_000_000;

/**
 * Why a valid MatrixEventV1 still cannot be a row, or undefined: its routing key must agree with its
 * `Principal`, `Module`, `Event` and `Status` (as `buildMatrixEvent` makes them), and its `UnixTime` must
 * be a date.
 */
export function eventProblem(event: MatrixEventV1): string | undefined {
  let parts;
  try {
    parts = parseRoutingKey(event.RoutingKey);
  } catch (error) {
    return `RoutingKey: ${(error as Error).message}`;
  }
  const fields = [
    ['Principal', event.Principal, parts.principal],
    ['Module', event.Module, parts.module],
    ['Event', event.Event, parts.eventId],
    ['Status', event.Status, parts.priority],
  ] as const;
  for (const [name, value, inKey] of fields) {
    if (value !== inKey) return `${name}: "${value}" differs from the routing key's "${inKey}"`;
  }
  if (Number(event.UnixTime) > MAX_UNIX_SECONDS) {
    return `UnixTime: ${event.UnixTime} is beyond the range of a date`;
  }
  return undefined;
}

/**
 * The key of an event's row: the message's `Nats-Msg-Id` (the outbox publishes `outbox:<table>:<row id>`,
 * the same on every republish), else — a publisher that sets none — `sha256:` of its subject and body, so
 * the same bytes published again are the same row.
 */
export function eventMsgId(msgId: string | undefined, subject: string, raw: Uint8Array): string {
  if (msgId) return msgId;
  return `sha256:${createHash('sha256').update(subject).update('\n').update(raw).digest('hex')}`;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The building and the property of an event: from its own fields first (`PType` and `EType`, then
 * `Meta.PropId` / `Meta.PID`), else from the PRINCIPALS directory (`lookup`) by principal or building.
 * Null where none of these tells (an organisation's event, a principal the directory does not hold).
 */
export function eventPlace(
  event: MatrixEventV1,
  lookup: (key: string) => PrincipalEntry | undefined,
): { pid: string | null; propId: string | null } {
  const meta = event.Meta;
  let pid =
    event.PType === 'building'
      ? event.Principal
      : event.EType === 'building'
        ? text(event.Entity)
        : text(meta['PID']);
  let propId =
    event.EType === 'property'
      ? text(event.Entity)
      : event.PType === 'property'
        ? event.Principal
        : text(meta['PropId']);
  if (pid === undefined && event.PType === undefined) {
    const entry = lookup(event.Principal);
    if (entry?.type === 'building') pid = event.Principal;
    if (entry?.type === 'property') propId ??= event.Principal;
  }
  if (propId === undefined && pid !== undefined) propId = lookup(pid)?.property;
  return { pid: pid ?? null, propId: propId ?? null };
}

/** The row of a valid event (`eventProblem` answered undefined). */
export function matrixEventRow(
  msgId: string,
  streamSeq: number,
  event: MatrixEventV1,
  place: { pid: string | null; propId: string | null },
): MatrixEventRow {
  return {
    msg_id: msgId,
    principal: event.Principal,
    pid: place.pid,
    prop_id: place.propId,
    module: event.Module,
    event_id: event.Event,
    priority: event.Status,
    routing_key: event.RoutingKey,
    time: new Date(Number(event.UnixTime) * 1000).toISOString(),
    description: event.Description,
    meta: event.Meta,
    payload: event,
    stream_seq: streamSeq,
  };
}
