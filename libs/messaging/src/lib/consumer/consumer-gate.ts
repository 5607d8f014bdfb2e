/**
 * Lets a durable consumer pull only while this replica holds something — e.g. a leadership, so that one
 * replica at a time consumes a stream whose order matters across messages. A replica without it stays
 * idle (and ready); when it loses it, the consumer stops pulling and hands back what it had not taken.
 */
export interface ConsumerGate {
  /** Resolves when this replica may consume (at once if it may now). */
  opened(): Promise<void>;
  /** Resolves when it may no longer consume: the current term's end (at once if it is closed now). */
  closed(): Promise<void>;
}
