import type { ActionDefinition } from '../actions/action.types';
import { parseEventLogLatest, parseEventLogRange } from './event-log-inputs';
import type { EventLogsService } from './event-logs.service';

/**
 * `scmetrics.getEventLogs` and `scmetrics.getNLatestEventLogs` (the Matrix documentation, §2.6, §4.5 and
 * Appendix A) over `matrix.events`: the documented envelope `{"type":"json","queryType":"eventsTSDB",
 * "series":{…}}`. A range answers `series.start`/`series.end` as sent and `series.LastKey` ('' on the last
 * page); the N latest answer `series.n`, newest first.
 */
export function eventLogActions(events: EventLogsService): Record<string, ActionDefinition> {
  return {
    'scmetrics.getEventLogs': {
      module: 'scmetrics',
      target: 'pid',
      async handle({ access, body }) {
        const query = parseEventLogRange(body);
        const page = await events.range(access, query);
        return {
          envelope: {
            type: 'json',
            queryType: 'eventsTSDB',
            series: {
              values: page.values,
              start: String(query.start),
              end: String(query.end),
              LastKey: page.lastKey,
            },
          },
        };
      },
    },
    'scmetrics.getNLatestEventLogs': {
      module: 'scmetrics',
      target: 'pid',
      async handle({ access, body }) {
        const query = parseEventLogLatest(body);
        const values = await events.latest(access, query);
        return { envelope: { type: 'json', queryType: 'eventsTSDB', series: { values, n: query.n } } };
      },
    },
  };
}
