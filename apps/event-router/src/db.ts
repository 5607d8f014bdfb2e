/**
 * The advisory lock (per database) under which messages get their position in the routed-message log
 * (`router.route()` and replays take it), so positions become visible in order.
 */
export const ROUTE_LOCK = 5_170_001;
