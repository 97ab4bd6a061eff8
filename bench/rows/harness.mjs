import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startHost } from '../hosts.mjs';
import { REPO, packageDir } from '../package.mjs';
import { alternate, time } from '../stats.mjs';

const FILES = 4;
const TESTS_PER_FILE = 50;
const VITEST = join(REPO, 'node_modules/vitest/vitest.mjs');
const href = (path) => pathToFileURL(path).href;

// One test: create a container, upload a blob, download it. `container` is
// the expression naming the container; `client` the one for the connection string.
const body = (client, container) => `    const container = BlobServiceClient.fromConnectionString(${client}).getContainerClient(${container});
    await container.create();
    const blob = container.getBlockBlobClient('blob-' + i);
    await blob.upload('hello', 5);
    expect((await blob.downloadToBuffer()).toString()).toBe('hello');`;

/**
 * The same 200 tests in each suite. Those that share an account per worker
 * use the container name 'suite', which fails with ContainerAlreadyExists
 * unless the previous test's data was reset; the bare suite has no reset and
 * names a container per test instead.
 */
const SUITES = {
  // withLocalZure globalSetup + localzure/vitest/setup: guard on, reset before each test.
  harness: {
    config: () => `globalSetup: ['./localzure-global-setup.mjs'], setupFiles: ['localzure/vitest/setup']`,
    file: () => `import { BlobServiceClient } from '@azure/storage-blob';
import { expect, it } from 'vitest';

for (let i = 0; i < ${TESTS_PER_FILE}; i++) {
  it('writes and reads blob ' + i, async () => {
${body('process.env.AZURE_STORAGE_CONNECTION_STRING', "'suite'")}
  });
}
`,
  },
  // An emulator started in another process; no globalSetup, no setup file, no guard, no reset.
  bare: {
    config: () => '',
    file: (file) => `import { BlobServiceClient } from '@azure/storage-blob';
import { expect, it } from 'vitest';

for (let i = 0; i < ${TESTS_PER_FILE}; i++) {
  it('writes and reads blob ' + i, async () => {
${body('process.env.LZ_BENCH_BARE_CONNECTION_STRING', `'suite-${file}-' + i`)}
  });
}
`,
  },
  // The localzure fixture: an account per test, tests of a file concurrent, no reset.
  fixture: {
    config: () => `globalSetup: ['./localzure-global-setup.mjs']`,
    file: () => `import { describe, expect } from 'vitest';
import { BlobServiceClient } from '@azure/storage-blob';
import { test } from 'localzure/vitest';

describe.concurrent('suite', () => {
  for (let i = 0; i < ${TESTS_PER_FILE}; i++) {
    test('writes and reads blob ' + i, async ({ localzure }) => {
${body('localzure.connectionString', "'suite'")}
    });
  }
});
`,
  },
  // Azurite started in each file and restarted on its port before each test.
  azurite: {
    config: () => `setupFiles: ['./azurite-setup.mjs']`,
    file: () => SUITES.harness.file(),
  },
};

const config = (extra) => `import { defineConfig } from 'vitest/config';
export default defineConfig({ cacheDir: '.vite', test: { include: ['tests/*.test.mjs'], ${extra} } });
`;

/**
 * Each suite in a folder of its own, inside a project that has LocalZure
 * installed in node_modules as a user's project has it: vitest then loads it
 * as an external package. Imported from a path outside node_modules (or by
 * name from inside LocalZure's own folder, which resolves to itself), vite
 * would transform its whole bundle for the globalSetup and for every worker,
 * over a second no user pays. Everything else resolves through a link to the
 * repository's node_modules.
 */
function writeSuites(names) {
  const root = mkdtempSync(join(tmpdir(), 'localzure-harness-suite-'));
  writeFileSync(join(root, 'package.json'), `${JSON.stringify({ name: 'harness-suite', private: true, type: 'module' })}\n`);
  const modules = join(root, 'node_modules');
  mkdirSync(join(modules, 'localzure'), { recursive: true });
  for (const entry of readdirSync(join(REPO, 'node_modules'))) {
    if (entry !== 'localzure' && !entry.startsWith('.')) symlinkSync(join(REPO, 'node_modules', entry), join(modules, entry));
  }
  // Copied, not linked: vite sees through a link to a path outside node_modules.
  cpSync(join(packageDir(), 'package.json'), join(modules, 'localzure/package.json'));
  cpSync(join(packageDir(), 'dist'), join(modules, 'localzure/dist'), { recursive: true });
  for (const name of names) {
    const dir = join(root, name);
    mkdirSync(join(dir, 'tests'), { recursive: true });
    for (let file = 0; file < FILES; file++) writeFileSync(join(dir, `tests/blob-${file}.test.mjs`), SUITES[name].file(file));
    writeFileSync(join(dir, 'vitest.config.mjs'), config(SUITES[name].config()));
    writeFileSync(join(dir, 'localzure-global-setup.mjs'), `import { withLocalZure } from 'localzure';
export const { setup, teardown } = withLocalZure(['blob']);
`);
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
  }
  return root;
}

function runVitest(dir, env = {}) {
  const report = join(dir, 'report.json');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, 'run', '--root', dir, '--config', 'vitest.config.mjs', '--reporter=json', `--outputFile=${report}`], {
      cwd: dir,
      env: { ...process.env, ...env },
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
      else reject(new Error(`${dir}: exit ${code}, ${passed} passed\n${stderr.slice(-2000)}`));
    });
  });
}

/**
 * Wall time of `vitest run` over the same 200 tests (create a container,
 * upload and download a blob) under each suite, all in one alternating loop.
 * `suites` narrows them (a run against an older build lacks the fixture).
 */
export default async function harness({ rounds, row, suites = Object.keys(SUITES) }) {
  const tests = `${FILES * TESTS_PER_FILE} tests writing+reading a blob`;
  const rows = {
    wall: row('harness.overhead.wall', {
      title: `Harness cost: vitest, ${tests}: full harness (guard, reset per test) vs the same against an emulator in another process, no harness`,
      unit: 's',
      better: 'lower',
      maxRatio: 1.15,
    }),
    files: row('harness.overhead.files', { title: 'Harness cost: same runs, time inside test files (summed over files)', unit: 's', better: 'lower', maxRatio: 1.1 }),
    fixture: row('harness.fixture.wall', {
      title: `Harness: vitest, ${tests}: localzure fixture + describe.concurrent vs full harness, sequential`,
      unit: 's',
      better: 'lower',
      maxRatio: 1,
    }),
    azurite: row('harness.wall', { title: `Harness: vitest, ${tests}: full harness vs Azurite restarted per test`, unit: 's', better: 'lower' }),
    azuriteFiles: row('harness.files', { title: 'Harness vs Azurite: same runs, time inside test files (summed over files)', unit: 's', better: 'lower' }),
  };
  rows.wall.note('Right-hand column: no harness. The emulator (LocalZureRuntime with blob) runs in a process of its own started before vitest; the test files only read its connection string, and each test names its own container because nothing resets. The harness suite: withLocalZure globalSetup + localzure/vitest/setup (per-worker account, network guard, reset before each test), LocalZure installed in the node_modules of the suite project as users have it. Wall time includes vitest start-up, and for the harness the import and start in globalSetup.');
  rows.fixture.note("Left: `import { test } from 'localzure/vitest'`, each test's `localzure` account from the worker's pool, tests of a file in `describe.concurrent`, no reset. Right: the full harness suite above.");
  rows.azurite.note("Right-hand column: Azurite started in each test file, closed+cleaned+restarted on its port before each test. Its time inside test files includes Azurite's start in each file's beforeAll; LocalZure starts once in globalSetup, outside the files.");
  const root = writeSuites(suites);
  const bare = suites.includes('bare') ? await startHost('localzure', 'blob') : undefined;
  const measured = {};
  try {
    await alternate(suites, rounds, async (suite, round) => {
      let fileMs;
      const env = suite === 'bare' ? { LZ_BENCH_BARE_CONNECTION_STRING: bare.connectionString } : {};
      const ms = await time(async () => (fileMs = await runVitest(join(root, suite), env)));
      // The bare suite's containers pile up across runs; the emulator empties them between runs, outside the timing.
      if (suite === 'bare') await bare.call('reset');
      if (round < 0) return;
      (measured[suite] ??= []).push({ wall: ms / 1000, files: fileMs / 1000 });
    });
  } finally {
    await bare?.stop();
    rmSync(root, { recursive: true, force: true });
  }
  const add = (target, side, suite, field) => {
    for (const sample of measured[suite] ?? []) target.add(side, sample[field]);
  };
  add(rows.wall, 'localzure', 'harness', 'wall');
  add(rows.wall, 'azurite', 'bare', 'wall');
  add(rows.files, 'localzure', 'harness', 'files');
  add(rows.files, 'azurite', 'bare', 'files');
  add(rows.fixture, 'localzure', 'fixture', 'wall');
  add(rows.fixture, 'azurite', 'harness', 'wall');
  add(rows.azurite, 'localzure', 'harness', 'wall');
  add(rows.azurite, 'azurite', 'azurite', 'wall');
  add(rows.azuriteFiles, 'localzure', 'harness', 'files');
  add(rows.azuriteFiles, 'azurite', 'azurite', 'files');
}
