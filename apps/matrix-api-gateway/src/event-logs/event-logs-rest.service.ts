import { Injectable } from '@nestjs/common';
import type { RegistryAccess } from '../auth/registry-access';
import { parseEventLatestQuery, parseEventRangeQuery } from './event-log-query';
import { eventView } from './event-log-views';
import { EventLogsService, type EventLogPrincipalKind } from './event-logs.service';

/**
 * REST v1 `/v1/{buildings|properties}/{id}/events`: the query checked (400 naming each parameter), then
 * the same reads as `scmetrics.getEventLogs` / `getNLatestEventLogs` with the same tenancy (a building or
 * property the caller sees; another tenant's is 404), answered as `{items, nextCursor}` / `{items}`.
 */
@Injectable()
export class EventLogsRestService {
  constructor(private readonly events: EventLogsService) {}

  async range(access: RegistryAccess, kind: EventLogPrincipalKind, id: string, raw: Record<string, unknown>) {
    const query = parseEventRangeQuery(raw);
    const page = await this.events.rangeRows(
      access,
      {
        principal: id,
        module: query.module,
        start: query.from / 1000,
        end: query.to / 1000,
        endExclusive: true,
        limit: query.limit,
        ...(query.after ? { after: query.after } : {}),
      },
      kind,
    );
    return { items: page.rows.map(eventView), nextCursor: page.next ?? null };
  }

  async latest(
    access: RegistryAccess,
    kind: EventLogPrincipalKind,
    id: string,
    raw: Record<string, unknown>,
  ) {
    const query = parseEventLatestQuery(raw);
    const rows = await this.events.latestRows(
      access,
      { principal: id, module: query.module, n: query.limit },
      kind,
    );
    return { items: rows.map(eventView) };
  }
}
