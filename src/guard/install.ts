import type { TestHooks } from '../harness/worker.js';
import { NetworkGuard, type NetworkGuardOptions } from './network-guard.js';

/**
 * Installs the network guard in this process and returns it armed. nock is
 * loaded here, not at import: loading it patches node:http, which only test
 * processes that asked for the guard should see.
 *
 * @example
 * const guard = await installNetworkGuard({ environment: env, redirect: true });
 * afterEach(() => guard.arm()); // after your own nock.cleanAll()
 */
export async function installNetworkGuard(options: NetworkGuardOptions = {}): Promise<NetworkGuard> {
  const guard = new NetworkGuard(await loadNock(), options);
  guard.arm();
  return guard;
}

/** Arms the guard before a test file's first test and again before each test, in case the file cleaned nock up. */
export function guardTestFile(options: NetworkGuardOptions, hooks: Pick<TestHooks, 'beforeAll' | 'beforeEach'>): void {
  let guard: Promise<NetworkGuard> | undefined;
  const arm = async () => {
    guard ??= installNetworkGuard(options);
    (await guard).arm();
  };
  hooks.beforeAll(arm);
  hooks.beforeEach(arm);
}

type Nock = typeof import('nock');

// The CommonJS build runs under jest, which refuses dynamic import() without
// --experimental-vm-modules; its require also hands out the very nock the
// test file's own require('nock') gets. Only CommonJS has a `module` (the ESM
// bundler rewrites every mention of `require`, so that cannot be the test).
async function loadNock(): Promise<Nock> {
  if (typeof module === 'object' && module !== null) return require('nock') as Nock;
  return (await import('nock')).default;
}
