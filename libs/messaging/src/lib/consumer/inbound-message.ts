/** A decoded, validated JetStream message as a handler sees it. */
export interface InboundMessage<T> {
  /** Subject without the deployment namespace. */
  readonly subject: string;
  readonly data: T;
  readonly raw: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  readonly msgId?: string;
  readonly correlationId?: string;
  readonly streamSequence: number;
  readonly deliveryCount: number;
  /** True on the consumer's last delivery: a failure now dead-letters the message. */
  readonly isLastDelivery: boolean;
  /** When the stream stored it. */
  readonly storedAt: Date;
  /** Extends the ack deadline for long work. */
  working(): void;
}

/** Turns the JSON body into the handler's type, or says why it cannot (which dead-letters the message). */
export type MessageDecoder<T> = (
  json: unknown,
  subject: string,
) => { ok: true; value: T } | { ok: false; errors: string[] };
