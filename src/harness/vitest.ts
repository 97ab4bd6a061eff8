import { beforeAll, beforeEach, expect, inject } from 'vitest';
import type { Environment } from './environment.js';
import { NotSetUpError } from './errors.js';
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
}

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
  const environment = inject('localzure');
  if (!environment) {
    throw new NotSetUpError(
      'useLocalZure() found nothing provided under "localzure": LocalZure was not started. Add a globalSetup file containing `export const { setup, teardown } = withLocalZure([...])` to test.globalSetup in your vitest config.',
    );
  }
  const settings = inject('localzureSettings') ?? { resetBetweenTests: true };
  const joined = joinAsWorker(
    { environment, ...settings },
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

export { advanceClock, resetLocalZure } from './control-client.js';
export type { Environment } from './environment.js';
export { clearRequests, requests } from './requests.js';
export { clearFaults, injectFault } from './faults.js';
