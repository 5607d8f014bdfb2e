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

/** One term of a gate: `opened` resolves on `open()`, `closed` on `close()` (for ConsumerGate implementations). */
export interface GateTerm {
  readonly opened: Promise<void>;
  readonly closed: Promise<void>;
  open(): void;
  close(): void;
}

export function gateTerm(): GateTerm {
  let open!: () => void;
  let close!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const closed = new Promise<void>((resolve) => (close = resolve));
  return { opened, closed, open, close };
}
