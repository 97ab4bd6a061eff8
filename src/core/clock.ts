/**
 * The one source of time for visibility timeouts, TTLs, leases and SAS expiry,
 * so tests can move time instead of sleeping.
 */
export interface Clock {
  now(): number;
}

/** Real time plus an offset that only ever grows: moving the clock never moves it backwards. */
export class AdjustableClock implements Clock {
  #offset = 0;

  now(): number {
    return Date.now() + this.#offset;
  }

  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`Clock can only move forward: got ${ms} ms. Pass a positive number of milliseconds.`);
    }
    this.#offset += ms;
    return this.now();
  }

  /** Moves to `time` (epoch ms); a time in the past is refused. */
  set(time: number): number {
    const delta = time - this.now();
    if (delta < 0) {
      throw new RangeError(`Clock can only move forward: ${new Date(time).toISOString()} is before ${new Date(this.now()).toISOString()}.`);
    }
    return this.advance(delta);
  }
}
