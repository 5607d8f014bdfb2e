import { SetMetadata } from '@nestjs/common';
import type { CommandSpec } from './command';

export const HANDLE_COMMAND = Symbol('HANDLE_COMMAND');

/** Marks a method `(request: Req) => Promise<Res>` as the server of a typed command. */
export function HandleCommand<Req, Res>(spec: CommandSpec<Req, Res>): MethodDecorator {
  return SetMetadata(HANDLE_COMMAND, spec);
}
