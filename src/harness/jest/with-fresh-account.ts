import { AccountPool } from '../account-pool.js';
import type { Environment } from '../environment.js';
import { NotSetUpError } from '../errors.js';
import { readHandover } from '../handover.js';

// One pool per test file: jest loads this module once per file.
let pool: AccountPool | undefined;

/**
 * Wraps a jest test so it runs in a storage account of its own, clean and
 * seeded, with its own endpoints and connection strings: safe under
 * `test.concurrent`, and no reset needed. process.env stays the worker's,
 * which concurrent tests share: hand `localzure.connectionString` to the
 * code under test.
 *
 * @example
 * const { withFreshAccount } = require('localzure/jest');
 * test.concurrent('stores a file', withFreshAccount(async (localzure) => {
 *   const blobs = BlobServiceClient.fromConnectionString(localzure.connectionString);
 *   await blobs.getContainerClient('photos').create();
 * }));
 */
export function withFreshAccount(fn: (localzure: Environment) => unknown): () => Promise<void> {
  return async () => {
    if (!pool) {
      const handover = readHandover();
      if (!handover) {
        throw new NotSetUpError(
          'withFreshAccount() found no LOCALZURE_HARNESS in process.env: LocalZure was not started. Set globalSetup: "localzure/jest/global-setup" and globalTeardown: "localzure/jest/global-teardown" in the jest config.',
        );
      }
      pool = new AccountPool(handover);
    }
    const lent = await pool.lend();
    try {
      await fn(lent.environment);
    } finally {
      lent.giveBack();
    }
  };
}
