import { toHaveReceived, type RequestMatch } from '../matchers.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /**
       * Passes when the account of the Environment under test was sent a matching request since its last
       * reset (exactly `times` of them when given); fails listing what it received instead.
       *
       * @example
       * await expect(env).toHaveReceived({ service: 'blob', operation: 'PutBlob', path: '/photos/a.png' });
       */
      toHaveReceived(match: RequestMatch, times?: number): Promise<R>;
    }
  }
}

type JestGlobal = typeof globalThis & { expect?: { extend(matchers: Record<string, unknown>): void } };

/** Adds LocalZure's matchers to the current test file's `expect`; a no-op where there is none. */
export function registerJestMatchers(): void {
  (globalThis as JestGlobal).expect?.extend({ toHaveReceived });
}
