/** Injection token of the event-router configuration. */
export const ROUTER_CONFIG = Symbol('ROUTER_CONFIG');
