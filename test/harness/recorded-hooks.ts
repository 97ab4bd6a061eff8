import type { TestHooks } from '../../src/harness/worker.js';

/**
 * Stands in for a test framework's beforeAll/beforeEach: keeps the hooks a
 * worker installs, and runs them around test bodies the way the framework would.
 */
export function recordedHooks(): TestHooks & {
  beforeAllHooks: (() => Promise<unknown>)[];
  beforeEachHooks: (() => Promise<unknown>)[];
  runFile(...tests: (() => Promise<void>)[]): Promise<void>;
} {
  const beforeAllHooks: (() => Promise<unknown>)[] = [];
  const beforeEachHooks: (() => Promise<unknown>)[] = [];
  return {
    beforeAllHooks,
    beforeEachHooks,
    beforeAll: (fn) => void beforeAllHooks.push(fn),
    beforeEach: (fn) => void beforeEachHooks.push(fn),
    async runFile(...tests) {
      for (const hook of beforeAllHooks) await hook();
      for (const test of tests) {
        for (const hook of beforeEachHooks) await hook();
        await test();
      }
    },
  };
}
