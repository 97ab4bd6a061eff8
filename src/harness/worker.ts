import { createHmac } from 'node:crypto';
import type { Namespace } from '../core/namespaces.js';
import { ControlClient, resetLocalZure } from './control-client.js';
import { environmentForAccount, type Environment } from './environment.js';
import { printFailureReport, reportsOnFailure } from './failure-report.js';
import { guardTestFile } from '../guard/install.js';
import type { Handover } from './handover.js';

/** The hooks of vitest or jest that a worker installs. */
export interface TestHooks {
  beforeAll(fn: () => Promise<unknown>): void;
  beforeEach(fn: () => Promise<unknown>): void;
  /** Runs `fn` after any test of the file fails, before the next test starts; absent where the framework cannot tell. */
  onTestFailed?(fn: (testName: string) => Promise<void>): void;
}

const ACCOUNT_NAME_MAX = 24;

/**
 * The test runner's id for the worker slot this process occupies. Files that
 * run at the same time always have different ids; files that run one after
 * the other in a slot share one, so accounts do not pile up.
 */
export function currentWorkerId(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.VITEST_POOL_ID ?? env.JEST_WORKER_ID ?? env.VITEST_WORKER_ID;
}

/**
 * The account a worker uses: `<base>w<id>`, the base shortened to keep
 * Azure's 24-character limit. The key is derived from the base key, so any
 * process that knows the Environment computes the same account without asking.
 */
export function workerAccount(base: Namespace, workerId: string): Namespace {
  const suffix = `w${workerId.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
  const name = `${base.name.slice(0, ACCOUNT_NAME_MAX - suffix.length)}${suffix}`;
  // 64 bytes, the length of a real storage account key.
  const key = createHmac('sha512', Buffer.from(base.key, 'base64')).update(name).digest('base64');
  return { name, key };
}

/** The Environment one worker sees: its own account on the shared emulators (the base one outside a worker). */
export function workerEnvironment(base: Environment, workerId: string | undefined): Environment {
  return workerId === undefined ? base : environmentForAccount(base, workerAccount(base.account, workerId));
}

/**
 * Makes the current test file a LocalZure worker: points process.env at the
 * worker's account, creates that account before the file's first test and,
 * unless turned off, resets it before every test.
 */
export function joinAsWorker(handover: Handover, hooks: TestHooks, workerId = currentWorkerId()): Environment {
  const environment = workerEnvironment(handover.environment, workerId);
  Object.assign(process.env, environment.env);
  hooks.beforeAll(() => new ControlClient(environment.controlUrl).registerNamespace(environment.account));
  if (handover.resetBetweenTests) hooks.beforeEach(() => resetLocalZure(undefined, environment));
  if (handover.guard !== false) guardTestFile({ ...handover.guard, environment }, hooks);
  if (reportsOnFailure(handover.reportOnFailure)) hooks.onTestFailed?.((testName) => printFailureReport(environment, testName));
  return environment;
}
