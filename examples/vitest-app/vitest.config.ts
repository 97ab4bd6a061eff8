import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // LocalZure starts once for the whole run; each worker gets its own storage account.
    globalSetup: './test/localzure.global-setup.ts',
    // Joins each file to its worker's account before the file's imports run, for app code configured at import time.
    setupFiles: ['localzure/vitest/setup'],
    // The isolation tests need two files running at the same time, even on a 2-core CI machine.
    maxWorkers: 3,
  },
});
