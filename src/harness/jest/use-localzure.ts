import type { Environment } from '../environment.js';
import { NotSetUpError, OutsideTestFileError } from '../errors.js';
import { readHandover } from '../handover.js';
import { joinAsWorker, type TestHooks } from '../worker.js';
import { onJestTestFailed } from './on-test-failed.js';
import { registerJestMatchers } from './register-matchers.js';

// Each jest test file has its own global object, so this marks one file.
const JOINED = Symbol.for('localzure.jest.environment');

type WorkerGlobal = typeof globalThis & Partial<TestHooks> & { [JOINED]?: Environment };

/**
 * Connects the current jest test file to LocalZure: its own storage account
 * per worker, process.env pointed at it, a reset before every test. The
 * setup-after-env module calls it for every file; calling it again returns
 * the same Environment without adding hooks.
 *
 * @example
 * const { useLocalZure } = require('localzure/jest');
 * const env = useLocalZure();
 */
export function useLocalZure(): Environment {
  const scope = globalThis as WorkerGlobal;
  if (scope[JOINED]) return scope[JOINED];
  const handover = readHandover();
  if (!handover) {
    throw new NotSetUpError(
      'useLocalZure() found no LOCALZURE_HARNESS in process.env: LocalZure was not started. Set globalSetup: "localzure/jest/global-setup" and globalTeardown: "localzure/jest/global-teardown" in the jest config.',
    );
  }
  const { beforeAll, beforeEach } = scope;
  if (!beforeAll || !beforeEach) {
    throw new OutsideTestFileError('useLocalZure()');
  }
  registerJestMatchers();
  return (scope[JOINED] = joinAsWorker(handover, { beforeAll, beforeEach, onTestFailed: onJestTestFailed }));
}
