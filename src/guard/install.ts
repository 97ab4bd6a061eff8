import type { TestHooks } from '../harness/worker.js';
import { NetworkGuard, type NetworkGuardOptions } from './network-guard.js';

/**
 * Installs the network guard in this process and returns it armed. nock is
 * loaded only for `redirect`, and then here, not at import: loading it
 * patches node:http, which only processes that asked for redirects should see.
 *
 * @example
 * const guard = await installNetworkGuard({ environment: env, redirect: true });
 * afterEach(() => guard.arm()); // after your own nock.cleanAll()
 */
export async function installNetworkGuard(options: NetworkGuardOptions = {}): Promise<NetworkGuard> {
  const guard = new NetworkGuard(options.redirect ? await loadNock() : undefined, options);
  guard.arm();
  return guard;
}

/**
 * Guards a test file. Without redirects the guard is armed at once, before
 * the file's own imports run on, and stays armed: nothing a test does to nock
 * lifts it. Redirects live in nock, so they are armed before the file's first
 * test and again before each test, in case the file cleaned nock up.
 */
export function guardTestFile(options: NetworkGuardOptions, hooks: Pick<TestHooks, 'beforeAll' | 'beforeEach'>): void {
  if (!options.redirect) {
    new NetworkGuard(undefined, options).arm();
    return;
  }
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
