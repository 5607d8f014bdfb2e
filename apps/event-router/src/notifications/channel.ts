/**
 * The router's PostgreSQL NOTIFY channels. `subscriptions`: a subscription changed (payload: its id).
 * `work`: subscriptions have something new to deliver — messages routed or replayed to them, a resent
 * batch (payload: comma-separated ids, or `*`).
 *
 * The channel names are a contract between replicas, like the stream and durable names: during a rolling
 * upgrade old and new replicas NOTIFY and LISTEN side by side, and a replica that listens on another
 * channel than its peers notify misses their wake-ups (its workers then wait for their idle timeout). So
 * `work` keeps its wire name `router_queue` from the queue design; only the code's name changed.
 */
export const CHANNEL = { subscriptions: 'router_subscriptions', work: 'router_queue' } as const;
