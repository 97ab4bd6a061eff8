import { beforeAll, beforeEach, expect, inject, test as vitestTest } from 'vitest';
import { AccountPool } from './account-pool.js';
import { toHaveReceived, type RequestMatch } from './matchers.js';
import type { Environment } from './environment.js';
import { NotSetUpError } from './errors.js';
import type { Handover } from './handover.js';
import type { WorkerSettings } from './with-localzure.js';
import { joinAsWorker } from './worker.js';

// Marks the test file that joined, so a second call (say, after the setup
// file's) adds no hooks; keyed by path because without isolation one global
// object serves many files.
const JOINED = Symbol.for('localzure.vitest.environment');

type WorkerGlobal = typeof globalThis & { [JOINED]?: { testPath: string | undefined; environment: Environment } };

declare module 'vitest' {
  export interface ProvidedContext {
    localzure: Environment;
    localzureSettings: WorkerSettings;
  }
  interface Matchers<T = any> {
    /**
     * Passes when the account of the Environment under test was sent a matching request since its last
     * reset (exactly `times` of them when given); fails listing what it received instead.
     *
     * @example
     * await expect(localzure).toHaveReceived({ service: 'blob', operation: 'PutBlob', path: '/photos/a.png' });
     */
    toHaveReceived(match: RequestMatch, times?: number): Promise<T>;
  }
}

expect.extend({ toHaveReceived });

/**
 * Connects a test file to the LocalZure started by the globalSetup file:
 * gives this worker its own storage account (so files running in parallel
 * never see each other's data), points process.env at it, and resets it
 * before every test. Call it at the top of the file, or list
 * `localzure/vitest/setup` in `setupFiles` to do this for every file before
 * its imports run; calling it again in the same file returns the same
 * Environment.
 *
 * @example
 * import { useLocalZure } from 'localzure/vitest';
 * const env = useLocalZure();
 * it('stores', async () => {
 *   const blobs = BlobServiceClient.fromConnectionString(env.connectionString);
 * });
 */
export function useLocalZure(): Environment {
  const scope = globalThis as WorkerGlobal;
  const { testPath } = expect.getState();
  const joinedBefore = scope[JOINED];
  if (joinedBefore && joinedBefore.testPath === testPath) return joinedBefore.environment;
  const joined = joinAsWorker(
    providedHandover('useLocalZure()'),
    {
      beforeAll,
      beforeEach,
      // vitest awaits these handlers before the next test's beforeEach resets the account.
      onTestFailed: (report) => beforeEach(({ onTestFailed, task }) => onTestFailed(() => report(task.fullTestName ?? task.name))),
    },
  );
  scope[JOINED] = { testPath, environment: joined };
  return joined;
}

function providedHandover(helper: string): Handover {
  const environment = inject('localzure');
  if (!environment) {
    throw new NotSetUpError(
      `${helper} found nothing provided under "localzure": LocalZure was not started. Add a globalSetup file containing \`export const { setup, teardown } = withLocalZure([...])\` to test.globalSetup in your vitest config.`,
    );
  }
  return { environment, ...(inject('localzureSettings') ?? { resetBetweenTests: true }) };
}

let pool: AccountPool | undefined;

/**
 * vitest's `test` with a `localzure` fixture: every test that asks for it
 * gets a storage account of its own, clean and seeded, with its own
 * endpoints and connection strings, so `test.concurrent` and
 * `describe.concurrent` tests never see each other's data and need no reset.
 * process.env stays the worker's, which concurrent tests share: hand the
 * fixture's connection string to the code under test.
 *
 * @example
 * import { test } from 'localzure/vitest';
 * describe.concurrent('uploads', () => {
 *   test('stores a file', async ({ localzure, expect }) => {
 *     const blobs = BlobServiceClient.fromConnectionString(localzure.connectionString);
 *     await blobs.getContainerClient('photos').create(); // no other test has this account
 *   });
 * });
 */
export const test = vitestTest.extend<{ localzure: Environment }>({
  // vitest reads the fixtures a fixture needs from its first parameter's pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  localzure: async ({}, use) => {
    pool ??= new AccountPool(providedHandover("test's localzure fixture"));
    const lent = await pool.lend();
    try {
      await use(lent.environment);
    } finally {
      lent.giveBack();
    }
  },
});

/** The same as {@link test}. */
export const it = test;

export { advanceClock, resetLocalZure } from './control-client.js';
export type { Environment } from './environment.js';
export type { RequestMatch } from './matchers.js';
export { clearRequests, requests } from './requests.js';
export { clearFaults, injectFault } from './faults.js';
export { restore, snapshot } from './snapshots.js';
