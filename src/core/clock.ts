import { LocalZureError } from './errors.js';

/**
 * The one source of time for visibility timeouts, TTLs, leases and SAS expiry,
 * so tests can move time instead of sleeping.
 */
export interface Clock {
  now(): number;
}

/**
 * The latest time the clock may show: the end of year 9999, the last one
 * Azure's date formats hold. Far enough inside JavaScript's Date range that
 * a time plus any TTL or lease still makes a date.
 */
export const LATEST_CLOCK_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A move of the clock it refuses: backwards, past {@link LATEST_CLOCK_TIME}, or by something that is not a number. The clock is left as it was. */
export class ClockMoveError extends LocalZureError {
  constructor(message: string) {
    super('LZ_INVALID_CLOCK_MOVE', message);
  }
}

/** Real time plus an offset that only ever grows: moving the clock never moves it backwards. */
export class AdjustableClock implements Clock {
  #offset = 0;

  now(): number {
    return Date.now() + this.#offset;
  }

  advance(ms: number): number {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new ClockMoveError(`Clock can only move forward: got ${String(ms)} ms. Pass a positive number of milliseconds.`);
    }
    const now = this.now();
    if (ms > LATEST_CLOCK_TIME - now) throw tooLate(`Moving it by ${ms} ms`);
    this.#offset += ms;
    return this.now();
  }

  /** Moves to `time` (epoch ms); a time in the past is refused. */
  set(time: number): number {
    if (typeof time !== 'number' || !Number.isFinite(time)) {
      throw new ClockMoveError(`Clock time must be epoch milliseconds, got ${String(time)}.`);
    }
    if (time > LATEST_CLOCK_TIME) throw tooLate(`Setting it to ${time} ms`);
    const now = this.now();
    if (time < now) {
      throw new ClockMoveError(`Clock can only move forward: ${describeTime(time)} is before ${describeTime(now)}.`);
    }
    return this.advance(time - now);
  }
}

// Before year -271821 a time is no Date at all.
function describeTime(ms: number): string {
  return ms >= -8.64e15 ? new Date(ms).toISOString() : `${ms} ms`;
}

function tooLate(move: string): ClockMoveError {
  return new ClockMoveError(`${move} would take the clock past ${describeTime(LATEST_CLOCK_TIME)}, the latest time Azure's dates hold; the clock is unchanged.`);
}
