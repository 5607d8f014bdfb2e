/** How a service reaches NATS. */
export interface MessagingOptions {
  /** Server URLs, e.g. `nats://127.0.0.1:4222`. */
  servers: string[];
  /** Connection name shown by the server (`nats server report connections`). */
  name: string;
  /** Deployment namespace: prefixes subjects and stream names; empty = the public layout. */
  namespace: string;
  /** How long a publish waits for the stream's ack. */
  publishTimeoutMs?: number;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
