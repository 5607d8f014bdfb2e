import type { MessageDecoder } from '../consumer/inbound-message';

/**
 * A typed request/reply contract between services, e.g. gateway → incident-service.
 * Subjects follow `<domain>.<entity>.<imperative>.v<major>`.
 */
export interface CommandSpec<Req, Res> {
  readonly subject: string;
  readonly decodeRequest: MessageDecoder<Req>;
  readonly decodeReply: MessageDecoder<Res>;
  readonly timeoutMs?: number;
}

/** The handler refused the command with a domain error code (e.g. NOT_FOUND). */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Nobody answered in time (no responder or timeout): the caller may retry. */
export class CommandUnavailableError extends Error {
  override readonly name = 'CommandUnavailableError';
}

/** A handler throws this (or any error with a string `code`) to answer with an error envelope. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
