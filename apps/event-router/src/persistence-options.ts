import type { PersistenceOptions } from '@matrix/persistence';
import type { EventRouterConfig } from './config/event-router.config';
import { EVENT_ROUTER_MIGRATIONS } from './migrations';

/** event-router owns the `router` schema (subscriptions and delivery attempts). */
export function persistenceOptions(config: EventRouterConfig): PersistenceOptions {
  return {
    url: config.db.url,
    poolMax: config.db.poolMax,
    schema: 'router',
    migrations: EVENT_ROUTER_MIGRATIONS,
    applicationName: config.service,
  };
}
