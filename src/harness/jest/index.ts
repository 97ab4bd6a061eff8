import { registerJestMatchers } from './register-matchers.js';
export { default as globalSetup, type JestLocalZureConfig, type JestProjectConfig } from './global-setup.js';
export { default as globalTeardown } from './global-teardown.js';
export { useLocalZure } from './use-localzure.js';
export { advanceClock, resetLocalZure } from '../control-client.js';
export type { Environment } from '../environment.js';
export { clearRequests, requests } from '../requests.js';
export { clearFaults, injectFault } from '../faults.js';
export { restore, snapshot } from '../snapshots.js';
export { withFreshAccount } from './with-fresh-account.js';
export { toHaveReceived, type RequestMatch } from '../matchers.js';

registerJestMatchers();
