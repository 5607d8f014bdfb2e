import { Clock } from '../src/clock/clock';

/**
 * A clock that stands still unless a spec moves it: at `epochSeconds` (default: now, to the second),
 * `advance` moves it forward, `set` puts it anywhere. The integration specs replace incident-service's
 * clock with one (WorkforceHarness `clock`), so timers and due times are driven by the spec.
 */
export class TestClock extends Clock {
  private at: number;

  constructor(epochSeconds = Math.floor(Date.now() / 1000)) {
    super();
    this.at = epochSeconds * 1000;
  }

  now(): Date {
    return new Date(this.at);
  }

  advance(seconds: number): Date {
    this.at += seconds * 1000;
    return this.now();
  }

  set(epochSeconds: number): void {
    this.at = epochSeconds * 1000;
  }
}
