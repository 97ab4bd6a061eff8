import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { REPO, packageDir } from '../package.mjs';
import { alternate, time } from '../stats.mjs';

const FILES = 4;
const TESTS_PER_FILE = 50;
const VITEST = join(REPO, 'node_modules/vitest/vitest.mjs');
const href = (path) => pathToFileURL(path).href;

const testFile = (file) => `import { BlobServiceClient } from '@azure/storage-blob';
import { expect, it } from 'vitest';

for (let i = 0; i < ${TESTS_PER_FILE}; i++) {
  it('writes and reads blob ${file}-' + i, async () => {
    const container = BlobServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING).getContainerClient('suite');
    // Fails with ContainerAlreadyExists unless the previous test's data was reset.
    await container.create();
    const blob = container.getBlockBlobClient('blob-${file}-' + i);
    await blob.upload('hello', 5);
    expect((await blob.downloadToBuffer()).toString()).toBe('hello');
  });
}
`;

const config = (extra) => `import { defineConfig } from 'vitest/config';
export default defineConfig({ cacheDir: '.vite', test: { include: ['tests/*.test.mjs'], ${extra} } });
`;

/** The same 200-test suite twice: with LocalZure's harness, and with Azurite restarted before every test. */
function writeSuite() {
  const dist = join(packageDir(), 'dist');
  // Inside the package folder, so the suite resolves vitest and the SDK as a project of its own would.
  const dir = mkdtempSync(join(packageDir(), 'harness-suite-'));
  mkdirSync(join(dir, 'tests'));
  for (let file = 0; file < FILES; file++) writeFileSync(join(dir, `tests/blob-${file}.test.mjs`), testFile(file));
  writeFileSync(join(dir, 'localzure-global-setup.mjs'), `import { withLocalZure } from '${href(join(dist, 'index.js'))}';
export const { setup, teardown } = withLocalZure(['blob']);
`);
  writeFileSync(join(dir, 'localzure.config.mjs'), config(`globalSetup: ['./localzure-global-setup.mjs'], setupFiles: ['${join(dist, 'harness/vitest-setup.js')}']`));
  writeFileSync(join(dir, 'azurite-setup.mjs'), `import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startAzurite } from '${href(fileURLToPath(new URL('../azurite.mjs', import.meta.url)))}';

let azurite;
beforeAll(async () => {
  azurite = await startAzurite('blob');
  process.env.AZURE_STORAGE_CONNECTION_STRING = azurite.connectionString;
});
beforeEach(() => azurite.restart());
afterAll(() => azurite.stop());
`);
  writeFileSync(join(dir, 'azurite.config.mjs'), config(`setupFiles: ['./azurite-setup.mjs']`));
  return dir;
}

function runVitest(dir, side) {
  const report = join(dir, `${side}-report.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, 'run', '--root', dir, '--config', `${side}.config.mjs`, '--reporter=json', `--outputFile=${report}`], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const result = code === 0 ? JSON.parse(readFileSync(report, 'utf8')) : { numPassedTests: 0 };
      const passed = result.numPassedTests;
      // Time inside the test files (hooks included), summed over files: the per-test cost without vitest's own start-up.
      if (passed === FILES * TESTS_PER_FILE) resolve(result.testResults.reduce((sum, file) => sum + file.endTime - file.startTime, 0));
      else reject(new Error(`${side} suite: exit ${code}, ${passed} passed\n${stderr.slice(-2000)}`));
    });
  });
}

/** Wall time of `vitest run` over 200 tests that each write and read a blob, reset between tests. */
export default async function harness({ rounds, row }) {
  const wall = row('harness.wall', { title: `Harness: vitest, ${FILES * TESTS_PER_FILE} tests writing+reading a blob, reset per test`, unit: 's', better: 'lower' });
  wall.note('LocalZure: withLocalZure globalSetup + localzure/vitest/setup (per-worker account, reset before each test). Azurite: started in each test file, closed+cleaned+restarted on its port before each test. Both: same tests, same vitest defaults; wall time includes vitest start-up.');
  wall.note("Time inside test files includes Azurite's start in each file's beforeAll; LocalZure starts once in globalSetup, outside the files.");
  const inFiles = row('harness.files', { title: 'Harness: same run, time inside test files (summed over files)', unit: 's', better: 'lower' });
  const dir = writeSuite();
  try {
    await alternate(['localzure', 'azurite'], rounds, async (side, round) => {
      let fileMs;
      const ms = await time(async () => (fileMs = await runVitest(dir, side)));
      if (round < 0) return;
      wall.add(side, ms / 1000);
      inFiles.add(side, fileMs / 1000);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
