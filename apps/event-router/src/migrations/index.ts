import { CreateRouterSchema1764115200002 } from './1764115200002-create-router-schema';

/** event-router's migrations, in order. */
export const EVENT_ROUTER_MIGRATIONS = [CreateRouterSchema1764115200002];
