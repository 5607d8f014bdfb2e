import { systemClock, type Clock } from '../clock';
import type { ActionDefinition, ActionRequest } from '../actions/action.types';
import type { BuildingsService } from '../registry/buildings.service';
import {
  parseModuleMetrics,
  parseModuleMetricsBatch,
  parseTimeSeries,
  parseTimeSeriesBatch,
  parseTimeSeriesPrincipals,
} from './module-metrics-inputs';
import type { ModuleMetricsService } from './module-metrics.service';
import {
  parseNamedQuery,
  PEOPLE_BY_ZONE_FOR_HOUR,
  paramError,
  PEOPLE_COUNT_SUM_30T,
  resolveHour,
  tsdbTime,
} from './named-queries';
import { ActionError } from '../actions/action-error';

/**
 * `scmetrics` module metrics and named queries (reference §4.5, Appendix A), merged into the module's
 * handler (`MetricsActions`) beside the TSDB and event-log ops. `tsdbQuery` is the module's own
 * `scmetrics.tsdbQuery` definition: the TSDB named queries are tsdbQuery bodies kept under an id.
 */
export function moduleMetricsActions(
  metrics: ModuleMetricsService,
  buildings: BuildingsService,
  tsdbQuery: ActionDefinition,
  clock: Clock = systemClock,
): Record<string, ActionDefinition> {
  const op = (
    handle: ActionDefinition['handle'],
    extra: Partial<ActionDefinition> = {},
  ): ActionDefinition => ({ module: 'scmetrics', target: 'pid', handle, ...extra });

  const buildingMetrics = async (request: ActionRequest, principals: string[]) => {
    const resolved = [];
    for (const id of principals) resolved.push(await metrics.principal(request.access, id));
    const answers = [];
    for (const principal of resolved) {
      answers.push({ data: await metrics.buildingMetrics(principal), principal: principal.id });
    }
    return { envelope: { type: 'json', queryType: 'module', metrics: answers } };
  };

  const namedQuery = (tsdbOnly: boolean): ActionDefinition =>
    op(async (request) => {
      const call = parseNamedQuery(request.body);
      if (tsdbOnly && call.entry.qtype !== 'tsdb') {
        throw new ActionError(
          'WRONG_PARAMETERS',
          `id: ${call.id} is an ${call.entry.qtype} query: call scmetrics.executeNamedQuery`,
        );
      }
      if (call.id === PEOPLE_COUNT_SUM_30T) {
        try {
          return await tsdbQuery.handle({
            ...request,
            body: {
              time: tsdbTime(call.params),
              metrics: ['sg.smartclean.pplctr.raw.count'],
              aggregations: ['sum'],
              aggregationInterval: '30T',
              postQueryOps: [{ type: 'group by', args: [{ key: 'tags', value: ['L0CLASS', 'L1CLASS'] }] }],
            },
          });
        } catch (error) {
          throw paramError(error);
        }
      }
      if (call.id === PEOPLE_BY_ZONE_FOR_HOUR) {
        const building = await buildings.load(request.access, request.pid);
        const { localHour, resolved } = resolveHour(call.params, clock.now(), building.timeZone);
        const values = await metrics.peopleByZone(request.pid, building.timeZone, localHour);
        return {
          envelope: {
            type: 'json',
            queryType: 'namedQuery',
            id: call.id,
            params: resolved,
            series: { values },
          },
        };
      }
      // Every catalogue entry has its branch above; an entry added without one fails loudly here.
      throw new Error(`named query ${call.id} has no implementation`);
    });

  return {
    'scmetrics.getModuleMetrics': op((request) =>
      buildingMetrics(request, parseModuleMetrics(request.body).principals),
    ),
    'scmetrics.getModuleMetricsBatchPrincipals': op((request) =>
      buildingMetrics(request, parseModuleMetricsBatch(request.body).principals),
    ),
    'scmetrics.getModuleTSMetrics': op(async (request) => {
      const query = parseTimeSeries(request.body);
      const principal = await metrics.principal(request.access, query.principal);
      const values = await metrics.workOrderDays(principal, query);
      return { envelope: { type: 'json', queryType: 'moduleTSDB', series: { values } } };
    }),
    'scmetrics.getModuleTSMetricsBatch': op(
      async (request) => {
        const queries = parseTimeSeriesBatch(request.list);
        const principals = [];
        for (const query of queries) {
          principals.push(await metrics.principal(request.access, query.principal));
        }
        const series = [];
        for (const [i, query] of queries.entries()) {
          series.push(await metrics.workOrderDays(principals[i]!, query, `[${i}].`));
        }
        return { envelope: { type: 'json', queryType: 'moduleTSDB', series } };
      },
      { acceptsList: true },
    ),
    'scmetrics.getModuleTSMetricsBatchPrincipals': op(async (request) => {
      const { principals: ids, query } = parseTimeSeriesPrincipals(request.body);
      const principals = [];
      for (const id of ids) principals.push(await metrics.principal(request.access, id));
      const series = [];
      for (const principal of principals) {
        series.push({ data: await metrics.workOrderDays(principal, query), principal: principal.id });
      }
      return { envelope: { type: 'json', queryType: 'moduleTSDB', series } };
    }),
    'scmetrics.executeNamedQuery': namedQuery(false),
    'scmetrics.tsdbNamedQuery': namedQuery(true),
  };
}
