/** @type {import('jest').Config} */
module.exports = {
  testMatch: ['<rootDir>/test/**/*.test.js'],
  // Plain CommonJS: nothing to transform.
  transform: {},
  // LocalZure starts once for the run and stops after it; each worker gets its own storage account.
  globalSetup: 'localzure/jest/global-setup',
  globalTeardown: 'localzure/jest/global-teardown',
  // Points process.env at the worker's account and resets it before every test.
  setupFilesAfterEnv: ['localzure/jest/setup-after-env'],
  testEnvironmentOptions: {
    localzure: { services: ['blob', 'queue', 'servicebus'], seed: './fixtures/seed' },
  },
  // The isolation tests need two files running at the same time, even on a 2-core CI machine.
  maxWorkers: 3,
  // After quick earlier runs jest would run every file in band, one after another, unless a worker memory limit is set.
  workerIdleMemoryLimit: '1GB',
};
