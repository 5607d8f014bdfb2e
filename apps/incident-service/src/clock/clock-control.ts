import { Injectable } from '@nestjs/common';
import { CLOCK_ADVANCE_COMMAND, type ClockAdvanceV1, type ClockNowV1 } from '@matrix/contracts';
import { HandleCommand } from '@matrix/messaging';
import { Clock } from './clock';

/**
 * The test clock's command `workforce.clock.advance.v1` (tests and demos only): provided — and so
 * subscribed — only with `CLOCK_CONTROL=on`.
 */
@Injectable()
export class ClockControl {
  constructor(private readonly clock: Clock) {}

  @HandleCommand(CLOCK_ADVANCE_COMMAND)
  advance(request: ClockAdvanceV1): Promise<ClockNowV1> {
    return Promise.resolve({ now: this.clock.advance(request.seconds).toISOString() });
  }
}
