import { Injectable } from '@nestjs/common';

/**
 * The time as incident-service sees it: everything that reads the time (the actions, the escalation
 * timer) asks this provider, never `new Date()`, so a test or a demo can move it forward.
 */
export abstract class Clock {
  abstract now(): Date;

  /** Moves the clock forward by `seconds` and answers its new time. */
  abstract advance(seconds: number): Date;
}

/** Production: the system time, plus what `advance` added (only ever called with `CLOCK_CONTROL=on`). */
@Injectable()
export class SystemClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(seconds: number): Date {
    this.offsetMs += seconds * 1000;
    return this.now();
  }
}
