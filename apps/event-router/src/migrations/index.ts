import { CreateRouterSchema1764115200002 } from './1764115200002-create-router-schema';
import { CreateSubscriptions1764460800000 } from './1764460800000-create-subscriptions';

/** event-router's migrations, in order. */
export const EVENT_ROUTER_MIGRATIONS = [CreateRouterSchema1764115200002, CreateSubscriptions1764460800000];
