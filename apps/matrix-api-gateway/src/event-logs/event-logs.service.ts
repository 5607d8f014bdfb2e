import { Injectable } from '@nestjs/common';
import { Database } from '@matrix/persistence';
import type { RegistryAccess } from '../auth/registry-access';
import { BuildingsService } from '../registry/buildings.service';
import { PropertiesService } from '../registry/properties.service';
import { RegistryError } from '../registry/registry-error';
import {
  encodeEventLogKey,
  EVENT_LOG_PAGE_SIZE,
  type EventLogLatest,
  type EventLogRange,
} from './event-log-inputs';

/** A record of the event log (the Matrix documentation, §2.6). */
export interface EventLogRecord {
  ATTR: string;
  Description: string;
  Event: string;
  ID: string;
  Principal: string;
  Status: string;
  Time: string;
}

export interface EventLogPage {
  values: EventLogRecord[];
  /** The key of the next page; '' on the last. */
  lastKey: string;
}

/** Which kind of principal a REST route names (the op takes either). */
export type EventLogPrincipalKind = 'building' | 'property';

/** One row of `matrix.events` as read here. */
export interface EventLogRow {
  msg_id: string;
  principal: string;
  pid: string | null;
  prop_id: string | null;
  module: string;
  event_id: string;
  priority: string;
  description: string;
  unix: string;
  at: string;
  meta: Record<string, unknown> | null;
}

type Row = EventLogRow;

const COLUMNS = `msg_id, principal, pid, prop_id, module, event_id, priority, description,
  extract(epoch from time)::bigint::text as unix,
  to_char(time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, meta`;

/** `ATTR = <Event>#<PropId>#<BuildingId>#<uuid>`, the uuid being the row's message id. */
const record = (row: Row): EventLogRecord => ({
  ATTR: `${row.event_id}#${row.prop_id ?? ''}#${row.pid ?? ''}#${row.msg_id}`,
  Description: row.description,
  Event: row.event_id,
  ID: row.module,
  Principal: row.principal,
  Status: row.priority,
  Time: row.unix,
});

/**
 * The event log from sql-projector's `matrix.events` (read only here, in read-only transactions with a
 * statement timeout). A principal is a building (its events: `pid`) or a property (every event of the
 * property: `prop_id`) the caller can see; anything else, another tenant's included, is NOT_FOUND.
 */
@Injectable()
export class EventLogsService {
  constructor(
    private readonly db: Database,
    private readonly buildings: BuildingsService,
    private readonly properties: PropertiesService,
  ) {}

  /** Events in [Start, End] oldest first, a page of up to EVENT_LOG_PAGE_SIZE after `after`. */
  async range(access: RegistryAccess, query: EventLogRange): Promise<EventLogPage> {
    const page = await this.rangeRows(access, query);
    return { values: page.rows.map(record), lastKey: page.next ?? '' };
  }

  /**
   * Rows in the range oldest first (by time, then message id), a page of up to `limit` after `after`;
   * `next` is the key of the following page (absent on the last). `kind` restricts the principal to a
   * building or a property (REST names which); without it either is served.
   */
  async rangeRows(
    access: RegistryAccess,
    query: EventLogRange,
    kind?: EventLogPrincipalKind,
  ): Promise<{ rows: EventLogRow[]; next?: string }> {
    const column = await this.principalColumn(access, query.principal, kind);
    const limit = query.limit ?? EVENT_LOG_PAGE_SIZE;
    const params: unknown[] = [query.principal, query.module, query.start, query.end];
    let after = '';
    if (query.after) {
      params.push(query.after.at, query.after.msgId);
      after = `and (time, msg_id) > ($5::timestamptz, $6)`;
    }
    const to = query.endExclusive ? '<' : '<=';
    params.push(limit + 1);
    const rows = await this.read(
      `select ${COLUMNS} from matrix.events
        where ${column} = $1 and module = $2 and time >= to_timestamp($3::float8)
          and time ${to} to_timestamp($4::float8) ${after}
        order by time, msg_id limit $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return rows.length > limit && last
      ? { rows: page, next: encodeEventLogKey({ at: last.at, msgId: last.msg_id }) }
      : { rows: page };
  }

  /** The N latest events, newest first. */
  async latest(access: RegistryAccess, query: EventLogLatest): Promise<EventLogRecord[]> {
    return (await this.latestRows(access, query)).map(record);
  }

  /** The N latest rows, newest first (by time, then message id); `kind` as in {@link rangeRows}. */
  async latestRows(
    access: RegistryAccess,
    query: EventLogLatest,
    kind?: EventLogPrincipalKind,
  ): Promise<EventLogRow[]> {
    const column = await this.principalColumn(access, query.principal, kind);
    return this.read(
      `select ${COLUMNS} from matrix.events where ${column} = $1 and module = $2
        order by time desc, msg_id desc limit $3`,
      [query.principal, query.module, query.n],
    );
  }

  /** `pid` for a building, `prop_id` for a property the caller can see; NOT_FOUND otherwise. */
  private async principalColumn(
    access: RegistryAccess,
    principal: string,
    kind?: EventLogPrincipalKind,
  ): Promise<'pid' | 'prop_id'> {
    // A REST route names the kind: its own not-found (`building X not found`) answers for anything else.
    if (kind === 'building') {
      await this.buildings.load(access, principal);
      return 'pid';
    }
    if (kind === 'property') {
      await this.properties.read(access, principal);
      return 'prop_id';
    }
    try {
      await this.buildings.load(access, principal);
      return 'pid';
    } catch (error) {
      if (!(error instanceof RegistryError) || error.code !== 'NOT_FOUND') throw error;
    }
    try {
      await this.properties.read(access, principal);
      return 'prop_id';
    } catch (error) {
      if (!(error instanceof RegistryError) || error.code !== 'NOT_FOUND') throw error;
    }
    throw new RegistryError(
      'NOT_FOUND',
      `Principal: no building or property ${principal} (event logs are kept per building and property; zone and device principals are not served)`,
    );
  }

  private async read(sql: string, params: unknown[]): Promise<Row[]> {
    return this.db.transaction(async (tx) => {
      await tx.query(`set transaction read only; set local statement_timeout = 30000`);
      return tx.query<Row>(sql, params);
    });
  }
}
