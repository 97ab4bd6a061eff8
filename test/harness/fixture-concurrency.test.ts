import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const VITEST = here('../../node_modules/vitest/vitest.mjs');
const JEST = here('../../node_modules/jest/bin/jest.js');

interface RunnerReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { message: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

// jest's --json and vitest's json reporter write the same shape.
function runProject(args: (report: string) => string[]): Promise<RunnerReport> {
  const out = mkdtempSync(join(tmpdir(), 'lz-fixture-'));
  const report = join(out, 'report.json');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args(report), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', () => {
      try {
        resolve(JSON.parse(readFileSync(report, 'utf8')) as RunnerReport);
      } catch {
        reject(new Error(`vitest wrote no report:\n${stderr.slice(-3000)}`));
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  });
}

function failuresOf(report: RunnerReport): string[] {
  return report.testResults.flatMap((file) => [file.message, ...file.assertionResults.flatMap((t) => t.failureMessages)]).filter(Boolean);
}

it('gives every concurrent test on the vitest localzure fixture an account no other test holds, clean when lent again', async () => {
  const report = await runProject((out) => [VITEST, 'run', '--root', here('./fixtures/concurrent-vitest/'), '--reporter=json', `--outputFile=${out}`]);
  expect(failuresOf(report)).toEqual([]);
  expect(report.numPassedTests).toBe(12);
}, 60_000);

// Runs the built package (npm run build first), as jest loads it from node_modules.
it("does the same for jest's test.concurrent through withFreshAccount, with the guard of the setup file holding in the sandbox", async () => {
  const report = await runProject((out) => [JEST, '--config', here('./fixtures/jest-project/jest.config.js'), '--json', `--outputFile=${out}`]);
  expect(failuresOf(report)).toEqual([]);
  expect(report.numPassedTests).toBe(12);
}, 60_000);
