/**
 * The actions API's module (URL segment, also what SC-HMAC signs) for each op prefix (reference §4.1;
 * docs/api.md). An op of another module needs `module` on the call.
 */
export const MODULE_OF_PREFIX: Readonly<Record<string, string>> = {
  scgrids: 'scgrids',
  scteams: 'scworkforcemanagement',
  scmetrics: 'scmetrics',
  scdevicemanagement: 'scdevicemanagement',
  scpropteams: 'scteamsprop',
  scattendance: 'attendance',
};

export function moduleOf(op: string): string | undefined {
  const dot = op.indexOf('.');
  return dot > 0 ? MODULE_OF_PREFIX[op.slice(0, dot)] : undefined;
}

/** Where the next page of a paged op starts: the body key to send and its value, or none on the last page. */
export function nextPageKey(page: unknown): { key: string; value: string } | undefined {
  if (typeof page !== 'object' || page === null) return undefined;
  const record = page as Record<string, unknown>;
  // scgrids lists: `LEK` out, `ESK` in.
  if (typeof record.LEK === 'string' && record.LEK !== '') return { key: 'ESK', value: record.LEK };
  // scteams lists: `LastEvaluatedKey` both ways.
  if (typeof record.LastEvaluatedKey === 'string' && record.LastEvaluatedKey !== '') {
    return { key: 'LastEvaluatedKey', value: record.LastEvaluatedKey };
  }
  // scmetrics.getEventLogs: `series.LastKey`, `""` on the last page.
  const series = record.series as Record<string, unknown> | undefined;
  if (
    typeof series === 'object' &&
    series !== null &&
    typeof series.LastKey === 'string' &&
    series.LastKey !== ''
  ) {
    return { key: 'LastKey', value: series.LastKey };
  }
  return undefined;
}

/**
 * The items of one page: the elements of `data` (or of the event logs' `series.values`), or the
 * `[id, name]` entries of a map such as `buildingZoneMap`'s.
 */
export function pageItems(page: unknown): unknown[] {
  if (typeof page !== 'object' || page === null) return [];
  const record = page as Record<string, unknown>;
  const series = record.series as Record<string, unknown> | undefined;
  const list = record.data ?? (typeof series === 'object' && series !== null ? series.values : undefined);
  if (Array.isArray(list)) return list;
  if (typeof list === 'object' && list !== null) return Object.entries(list);
  return [];
}
