import { CreateRouterSchema1764115200002 } from './1764115200002-create-router-schema';
import { CreateSubscriptions1764460800000 } from './1764460800000-create-subscriptions';
import { RoutedLog1764547200000 } from './1764547200000-routed-log';
import { SubscriptionConcurrency1764547200002 } from './1764547200002-subscription-concurrency';

/** event-router's migrations, in order. */
export const EVENT_ROUTER_MIGRATIONS = [
  CreateRouterSchema1764115200002,
  CreateSubscriptions1764460800000,
  RoutedLog1764547200000,
  SubscriptionConcurrency1764547200002,
];
