import { Injectable } from '@nestjs/common';
import { actionCommandV1, type ActionCommandV1 } from '@matrix/contracts';
import { CommandBus, CommandFailedError, CommandUnavailableError } from '@matrix/messaging';
import { ACTION_ERROR_STATUS, ActionError, type ActionErrorCode } from './action-error';
import type { ForwardedActionModule } from './action-modules';
import type { ActionResult } from './action.types';

/** Seconds a caller is asked to wait before retrying an op whose owner did not answer. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Forwards an op of a {@link ForwardedActionModule} to the service that owns its data and brings its
 * answer back as the op's result. The owner's refusals (Matrix error codes) and its silence become
 * {@link ActionError}s here, at the edge: no answer within the module's timeout → 503 SERVICE_UNAVAILABLE.
 */
@Injectable()
export class ActionForwarder {
  constructor(private readonly commands: CommandBus) {}

  async forward(module: ForwardedActionModule, command: ActionCommandV1): Promise<ActionResult> {
    try {
      return await this.commands.request(actionCommandV1(module.forwardTo, module.timeoutMs), command);
    } catch (error) {
      throw refusal(module, error);
    }
  }
}

function refusal(module: ForwardedActionModule, error: unknown): unknown {
  if (error instanceof CommandUnavailableError) {
    return new ActionError(
      'SERVICE_UNAVAILABLE',
      `${module.module} did not answer in time; try again`,
      RETRY_AFTER_SECONDS,
      { cause: error },
    );
  }
  if (error instanceof CommandFailedError && isMatrixCode(error.code)) {
    return new ActionError(error.code, error.message, undefined, { cause: error });
  }
  return error; // a malformed command or reply, or the owner's internal error: `failure` (500), logged
}

const isMatrixCode = (code: string): code is ActionErrorCode =>
  Object.hasOwn(ACTION_ERROR_STATUS, code) && code !== 'failure' && code !== 'SERVICE_UNAVAILABLE';
