import type { MatrixEventV1 } from '@matrix/contracts';

/** The read models kept from MATRIX_EVENTS. */
export type EventReadModel = 'zones' | 'levels' | 'incidents' | 'tasks' | 'shifts';

/** One row to upsert, at the version of the event it comes from (`event_time`, `event_seq`). */
export interface ReadModelChange {
  readonly table: EventReadModel;
  /** The row's primary key, joined: changes to one row within a batch are reduced to the newest. */
  readonly key: string;
  readonly row: Record<string, unknown> & { event_time: string; event_seq: number };
}

/** The changes an event makes, none for an event no read model follows, or why its `Meta` cannot be read. */
export type ReadModelChanges =
  | { readonly ok: true; readonly changes: readonly ReadModelChange[] }
  | { readonly ok: false; readonly error: string };

const ZONE_EVENTS = new Set(['ZONE_CREATED', 'ZONE_NAME_MODIFIED', 'ZONE_STATUS_MODIFIED', 'ZONE_REMOVED']);
const LEVEL_EVENTS = new Set(['LEVEL_CREATED', 'LEVEL_NAME_MODIFIED']);
const INCIDENT_EVENTS = new Set([
  'INCIDENT_CREATED_OPEN',
  'INCIDENT_CREATED',
  'INCIDENT_STARTED',
  'INCIDENT_COMPLETED',
  'INCIDENT_INCOMPLETE',
  'INCIDENT_ESCALATED',
]);
const TASK_EVENTS = new Set(['TASK_STARTED', 'TASK_COMPLETED', 'TASK_INCOMPLETE']);
const SHIFT_EVENTS = new Set(['SHIFT_STARTED', 'SHIFT_DELAYED', 'SHIFT_ABSENT', 'SHIFT_COMPLETED']);

/** Whether a read model follows this module's event (others are acked without being read). */
export function followsEvent(module: string, eventId: string): boolean {
  if (module === 'scgrids') return ZONE_EVENTS.has(eventId) || LEVEL_EVENTS.has(eventId);
  if (module !== 'scworkforcemanagement') return false;
  return (
    INCIDENT_EVENTS.has(eventId) ||
    TASK_EVENTS.has(eventId) ||
    SHIFT_EVENTS.has(eventId) ||
    eventId === 'SHIFTS_PUBLISHED'
  );
}

class MetaError extends Error {}

/** Reads `Meta` fields, naming the one that is wrong. */
class MetaReader {
  constructor(
    private readonly meta: Record<string, unknown>,
    private readonly where = 'Meta',
  ) {}

  required(field: string): string {
    const value = this.meta[field];
    if (typeof value !== 'string' || value === '') {
      throw new MetaError(`${this.where}.${field}: must be a non-empty string`);
    }
    return value;
  }

  text(field: string): string | null {
    const value = this.meta[field];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string') throw new MetaError(`${this.where}.${field}: must be a string`);
    return value;
  }

  number(field: string): number | null {
    const value = this.meta[field];
    if (value === undefined || value === null || value === '') return null;
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      throw new MetaError(`${this.where}.${field}: must be a number`);
    }
    return n;
  }

  /** Epoch seconds as an ISO time; 0 (the documented "not yet") and absent are null. */
  epoch(field: string): string | null {
    const n = this.number(field);
    if (n === null || n === 0) return null;
    const date = new Date(n * 1000);
    if (Number.isNaN(date.getTime())) throw new MetaError(`${this.where}.${field}: not a time`);
    return date.toISOString();
  }

  flag(field: string): boolean | null {
    const value = this.meta[field];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'boolean') throw new MetaError(`${this.where}.${field}: must be a boolean`);
    return value;
  }

  json(field: string): unknown {
    const value = this.meta[field];
    return value === undefined ? null : value;
  }
}

/**
 * The read-model rows an event changes (the Matrix documentation, §2.3–2.4; the `Meta` shapes of
 * docs/data-formats.md). `place` is the event's building and property (`eventPlace`). A grid event's
 * `Meta` is the zone or level after the change; a workforce event's the incident, task group or shift after
 * it (`SHIFTS_PUBLISHED`: every shift it published), so the newest event of a row is its whole state.
 */
export function readModelChanges(
  event: MatrixEventV1,
  streamSeq: number,
  place: { pid: string | null; propId: string | null },
): ReadModelChanges {
  if (!followsEvent(event.Module, event.Event)) return { ok: true, changes: [] };
  if (place.pid === null) {
    return {
      ok: false,
      error: `Principal: ${event.Event} must name a building (${event.Principal} is none)`,
    };
  }
  const version = {
    pid: place.pid,
    prop_id: place.propId,
    event_time: new Date(Number(event.UnixTime) * 1000).toISOString(),
    event_seq: streamSeq,
  };
  try {
    return { ok: true, changes: changesOf(event, new MetaReader(event.Meta), version) };
  } catch (error) {
    if (error instanceof MetaError) return { ok: false, error: error.message };
    throw error;
  }
}

type Version = { pid: string; prop_id: string | null; event_time: string; event_seq: number };

function changesOf(event: MatrixEventV1, meta: MetaReader, version: Version): ReadModelChange[] {
  const id = event.Event;
  if (ZONE_EVENTS.has(id)) {
    const insid = meta.required('InsID');
    const removed = id === 'ZONE_REMOVED';
    const row = {
      ...version,
      insid,
      lid: meta.text('LID'),
      name: meta.required('Name'),
      category: meta.text('ZoneCategoryID'),
      status: meta.text('Status'),
      area: meta.number('Area'),
      floor_type: meta.text('FloorType'),
      created_on: meta.epoch('CreatedOn'),
      removed,
      removed_at: removed ? version.event_time : null,
      meta: event.Meta,
    };
    return [{ table: 'zones', key: `${version.pid}\n${insid}`, row }];
  }
  if (LEVEL_EVENTS.has(id)) {
    const lid = meta.required('LID');
    const level = meta.json('Level');
    const row = {
      ...version,
      lid,
      name: meta.required('Name'),
      level: level === null ? null : String(level),
      area: meta.number('Area'),
      meta: event.Meta,
    };
    return [{ table: 'levels', key: `${version.pid}\n${lid}`, row }];
  }
  if (INCIDENT_EVENTS.has(id)) {
    const taskId = meta.required('TaskId');
    const devices = meta.json('SourceDeviceIdentifier');
    const row = {
      ...version,
      task_id: taskId,
      zone: meta.text('Zone'),
      zone_name: meta.text('ZoneName'),
      name: meta.text('Name'),
      priority: meta.text('Priority'),
      status: meta.required('Status'),
      escalation_level: meta.text('EscalationLevel'),
      source: meta.text('By'),
      source_devices: Array.isArray(devices) ? devices : null,
      planned_start: meta.epoch('Start'),
      due: meta.epoch('End'),
      started_at: meta.epoch('AStart'),
      ended_at: meta.epoch('AEnd'),
      created_at: version.event_time,
      last_event: id,
    };
    return [{ table: 'incidents', key: `${version.pid}\n${taskId}`, row }];
  }
  if (TASK_EVENTS.has(id)) {
    const taskId = meta.required('TaskId');
    const row = {
      ...version,
      task_id: taskId,
      type: meta.text('Type'),
      shift_id: meta.text('ShiftId'),
      seat_id: meta.text('SeatId'),
      zone: meta.text('Zone'),
      zone_name: meta.text('ZoneName'),
      zone_category: meta.text('ZoneCatId'),
      name: meta.text('Name'),
      priority: meta.text('Priority'),
      status: meta.required('Status'),
      planned_start: meta.epoch('Start'),
      due: meta.epoch('End'),
      started_at: meta.epoch('AStart'),
      ended_at: meta.epoch('AEnd'),
      tasks_done: meta.number('TasksDone'),
      task_count: meta.number('taskCount'),
      last_event: id,
    };
    return [{ table: 'tasks', key: `${version.pid}\n${taskId}`, row }];
  }
  if (id === 'SHIFTS_PUBLISHED') {
    const shifts = meta.json('Shifts');
    if (!Array.isArray(shifts)) throw new MetaError('Meta.Shifts: must be an array of shifts');
    return shifts.map((shift, i) => {
      if (typeof shift !== 'object' || shift === null) {
        throw new MetaError(`Meta.Shifts[${i}]: must be a shift object`);
      }
      return shiftChange(id, new MetaReader(shift as Record<string, unknown>, `Meta.Shifts[${i}]`), version);
    });
  }
  return [shiftChange(id, meta, version)];
}

function shiftChange(eventId: string, meta: MetaReader, version: Version): ReadModelChange {
  const shiftId = meta.required('ShiftId');
  const row = {
    ...version,
    shift_id: shiftId,
    seat_id: meta.text('SeatId'),
    status: meta.required('Status'),
    delayed: meta.flag('Delayed'),
    adhoc: meta.flag('Adhoc'),
    planned_start: meta.epoch('Start'),
    planned_end: meta.epoch('End'),
    started_at: meta.epoch('AStart'),
    ended_at: meta.epoch('AEnd'),
    time_zone: meta.text('TimeZone'),
    zones: meta.json('Zones'),
    task_groups: meta.json('TaskGroups'),
    last_event: eventId,
  };
  return { table: 'shifts', key: `${version.pid}\n${shiftId}`, row };
}

const newer = (a: ReadModelChange['row'], b: ReadModelChange['row']) =>
  a.event_time !== b.event_time ? a.event_time > b.event_time : a.event_seq > b.event_seq;

/**
 * One change per row: the newest (event time, then stream sequence), with the earliest `created_at` of
 * them (an incident's creation is its first event, whichever came first). An upsert statement may touch
 * a row only once.
 */
export function newestChanges(changes: readonly ReadModelChange[]): ReadModelChange[] {
  const byKey = new Map<string, ReadModelChange>();
  for (const change of changes) {
    const id = `${change.table}\n${change.key}`;
    const held = byKey.get(id);
    if (held === undefined) {
      byKey.set(id, change);
      continue;
    }
    const winner = newer(change.row, held.row) ? change : held;
    const created = [held.row['created_at'], change.row['created_at']].filter(
      (value): value is string => typeof value === 'string',
    );
    const row = created.length > 0 ? { ...winner.row, created_at: created.sort()[0] } : { ...winner.row };
    byKey.set(id, { ...winner, row });
  }
  return [...byKey.values()];
}
