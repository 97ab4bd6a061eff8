import { describe, expect, it } from 'vitest';
import { AdjustableClock, ClockMoveError } from '../../src/index.js';

describe('AdjustableClock', () => {
  it('follows real time until moved', () => {
    const before = Date.now();
    const now = new AdjustableClock().now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('moves forward by the milliseconds given', () => {
    const clock = new AdjustableClock();
    const before = Date.now();
    clock.advance(3_600_000);
    expect(clock.now()).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(clock.now()).toBeLessThanOrEqual(Date.now() + 3_600_000);
  });

  it('moves to a future time', () => {
    const clock = new AdjustableClock();
    const target = Date.now() + 86_400_000;
    clock.set(target);
    expect(clock.now()).toBeGreaterThanOrEqual(target);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses to advance by %s', (ms) => {
    const clock = new AdjustableClock();
    expect(() => clock.advance(ms)).toThrow(ClockMoveError);
  });

  it('refuses to move back in time', () => {
    const clock = new AdjustableClock();
    clock.advance(60_000);
    expect(() => clock.set(Date.now())).toThrow(/only move forward/);
  });
});
