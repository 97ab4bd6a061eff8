import { BlobServiceClient } from '@azure/storage-blob';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnvironment, ControlClient, failureReport, InvalidOptionError, LocalZureRuntime, withLocalZure, workerAccount } from '../../src/index.js';
import { reportsOnFailure } from '../../src/harness/failure-report.js';
import { REPO_ROOT } from '../support/plugin-project.js';

describe('reportOnFailure default', () => {
  it('follows the option when it is given', () => {
    expect(reportsOnFailure(true, {})).toBe(true);
    expect(reportsOnFailure(false, { CI: 'true' })).toBe(false);
  });

  it('is on in CI and off elsewhere', () => {
    expect(reportsOnFailure(undefined, { CI: 'true' })).toBe(true);
    expect(reportsOnFailure(undefined, { CI: '1' })).toBe(true);
    expect(reportsOnFailure(undefined, {})).toBe(false);
    expect(reportsOnFailure(undefined, { CI: 'false' })).toBe(false);
    expect(reportsOnFailure(undefined, { CI: '0' })).toBe(false);
  });

  it('refuses a value that is not true or false', () => {
    expect(() => withLocalZure(['blob'], { reportOnFailure: 'yes' as unknown as boolean })).toThrow(InvalidOptionError);
  });
});

describe('failureReport', () => {
  let runtime: LocalZureRuntime;

  beforeAll(async () => {
    runtime = new LocalZureRuntime({ logger: { info() {}, warn() {}, error() {} } });
    await runtime.start(['blob']);
  });
  afterAll(() => runtime?.stop());

  it("shows what the worker's account holds and its last requests with their status", async () => {
    const env = buildEnvironment(runtime, workerAccount(runtime.account, '7'));
    await new ControlClient(env.controlUrl).registerNamespace(env.account);
    const orders = BlobServiceClient.fromConnectionString(env.connectionString).getContainerClient('report-orders');
    await orders.create();
    await orders.getBlockBlobClient('order-1.json').upload('{"id":1}', 8, { blobHTTPHeaders: { blobContentType: 'application/json' } });
    await orders.getBlockBlobClient('order-2.json').download().catch(() => {});

    const report = await failureReport(env, 'saves the order');
    expect(report).toContain(`LocalZure: namespace ${env.account.name} after "saves the order" failed`);
    expect(report).toContain('    report-orders/ (1 blob)\n      order-1.json  8 B  application/json  "{\\"id\\":1}"');
    expect(report).toMatch(/blob {2}GetBlob {2}GET {2}\/report-orders\/order-2\.json {2}404 {2}BlobNotFound/);
    expect(report).toMatch(/blob {2}PutBlob {2}PUT {2}\/report-orders\/order-1\.json {2}201/);
  });

  it('says why when there is no report to make, instead of throwing', async () => {
    const report = await failureReport({ controlUrl: 'http://127.0.0.1:9', account: { name: 'nobody' } });
    expect(report).toMatch(/^LocalZure: namespace nobody\n\(no report: .*not reachable/);
  });
});

// Real runs of vitest and jest on a small project that uses the built package.
const VITEST = join(REPO_ROOT, 'node_modules/vitest/vitest.mjs');
const JEST = join(REPO_ROOT, 'node_modules/jest/bin/jest.js');

interface Run {
  code: number;
  output: string;
}

function run(args: string[], cwd: string, ci: boolean): Promise<Run> {
  // The child must start its own LocalZure and worker ids, not inherit this run's.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(LOCALZURE_|AZURE_STORAGE_|VITEST|JEST_WORKER_ID|CI$)/.test(key)),
  );
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, env: { ...env, ...(ci ? { CI: 'true' } : {}), NO_COLOR: '1' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

const FAILING_TEST = `
  const orders = BlobServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING).getContainerClient('orders');
  await orders.create();
  await orders.getBlockBlobClient('written-before-failing.txt').upload('kept for the report', 19, { blobHTTPHeaders: { blobContentType: 'text/plain' } });
  await orders.getBlockBlobClient('never-written.txt').download().catch(() => {});
  expect('what the test saw').toBe('what it wanted');
`;
const PASSING_TEST = `
  await BlobServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING).getContainerClient('quiet').create();
`;

function project(files: Record<string, string>): string {
  const parent = join(REPO_ROOT, '.tmp');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'report-on-failure-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'localzure'), 'dir');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function expectReport(output: string, testName: RegExp): void {
  expect(output).toMatch(new RegExp(`LocalZure: namespace devstoreaccount\\dw\\w+ after "${testName.source}" failed`));
  expect(output).toContain('orders/ (1 blob)');
  expect(output).toContain('written-before-failing.txt  19 B  text/plain  "kept for the report"');
  expect(output).toMatch(/GetBlob {2}GET {2}\/orders\/never-written\.txt {2}404 {2}BlobNotFound/);
}

describe.skipIf(!existsSync(join(REPO_ROOT, 'dist/harness/vitest.js')))('a failing vitest test', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  function vitestProject(options: string): string {
    const dir = project({
      'global-setup.mjs': `import { withLocalZure } from 'localzure';\nexport const { setup, teardown } = withLocalZure(['blob'], ${options});\n`,
      'vitest.config.mjs': `export default { test: { include: ['*.test.mjs'], globalSetup: ['./global-setup.mjs'], testTimeout: 20000 } };\n`,
      'orders.test.mjs': [
        `import { BlobServiceClient } from '@azure/storage-blob';`,
        `import { expect, it } from 'vitest';`,
        `import { useLocalZure } from 'localzure/vitest';`,
        `useLocalZure();`,
        `it('keeps the order', async () => {${FAILING_TEST}});`,
        `it('passes quietly', async () => {${PASSING_TEST}});`,
      ].join('\n'),
    });
    dirs.push(dir);
    return dir;
  }

  it('prints its namespace and last requests when CI is set', async () => {
    const dir = vitestProject('{}');
    const { code, output } = await run([VITEST, 'run', '--root', dir], dir, true);
    expect(code).toBe(1);
    expectReport(output, /keeps the order/);
    expect(output).not.toContain('after "passes quietly" failed');
  });

  it('prints nothing when reportOnFailure is false, even in CI', async () => {
    const dir = vitestProject('{ reportOnFailure: false }');
    const { code, output } = await run([VITEST, 'run', '--root', dir], dir, true);
    expect(code).toBe(1);
    expect(output).toContain('what the test saw');
    expect(output).not.toContain('LocalZure: namespace');
  });

  it('prints outside CI when reportOnFailure is true', async () => {
    const dir = vitestProject('{ reportOnFailure: true }');
    const { output } = await run([VITEST, 'run', '--root', dir], dir, false);
    expectReport(output, /keeps the order/);
  });
});

describe.skipIf(!existsSync(join(REPO_ROOT, 'dist/harness/jest/setup-after-env.cjs')))('a failing jest test', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  function jestProject(localzure: string): string {
    const dir = project({
      'jest.config.cjs': [
        'module.exports = {',
        '  rootDir: __dirname,',
        "  testMatch: ['<rootDir>/*.test.cjs'],",
        "  globalSetup: 'localzure/jest/global-setup',",
        "  globalTeardown: 'localzure/jest/global-teardown',",
        "  setupFilesAfterEnv: ['localzure/jest/setup-after-env'],",
        `  testEnvironmentOptions: { localzure: ${localzure} },`,
        '};',
      ].join('\n'),
      'orders.test.cjs': [
        `const { BlobServiceClient } = require('@azure/storage-blob');`,
        `describe('orders', () => {`,
        `  it('keeps the order', async () => {${FAILING_TEST}});`,
        `  it('passes quietly', async () => {${PASSING_TEST}});`,
        `});`,
      ].join('\n'),
    });
    dirs.push(dir);
    return dir;
  }

  it('prints its namespace and last requests when CI is set', async () => {
    const dir = jestProject("{ services: ['blob'] }");
    const { code, output } = await run([JEST, '--config', join(dir, 'jest.config.cjs')], dir, true);
    expect(code).toBe(1);
    expectReport(output, /orders keeps the order/);
    expect(output).not.toContain('after "orders passes quietly" failed');
  });

  it('prints nothing when reportOnFailure is false, even in CI', async () => {
    const dir = jestProject("{ services: ['blob'], reportOnFailure: false }");
    const { code, output } = await run([JEST, '--config', join(dir, 'jest.config.cjs')], dir, true);
    expect(code).toBe(1);
    expect(output).toContain('what the test saw');
    expect(output).not.toContain('LocalZure: namespace');
  });
});
