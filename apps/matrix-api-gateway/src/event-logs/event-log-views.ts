import type { EventLogRow } from './event-logs.service';

/** A row of `matrix.events` as REST v1 answers it (the fields of the event-log record, by name). */
export interface EventView {
  id: string;
  time: string;
  module: string;
  event: string;
  priority: string;
  principal: string;
  pid: string | null;
  propId: string | null;
  description: string;
  meta: Record<string, unknown>;
}

export const eventView = (row: EventLogRow): EventView => ({
  id: row.msg_id,
  time: row.at,
  module: row.module,
  event: row.event_id,
  priority: row.priority,
  principal: row.principal,
  pid: row.pid,
  propId: row.prop_id,
  description: row.description,
  meta: row.meta ?? {},
});
