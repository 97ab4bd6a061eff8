#!/usr/bin/env node
// Runs each example project against the packed localzure tarball, the way a
// user installs it: `npm pack`, a fresh install of that tarball in the
// example, then the example's own `npm test`. Expects `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const examples = ['vitest-app', 'jest-app'];
const tarballDir = join(root, '.tmp');
// The examples' package.json files name this path.
const tarball = join(tarballDir, 'localzure.tgz');

function run(command, args, cwd) {
  console.log(`\n$ ${[command, ...args].join(' ')}   (in ${cwd})`);
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: cleanEnv() });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${result.status ?? result.signal}).`);
}

// The examples must reach only the LocalZure they start, never a storage
// account configured in the developer's shell.
function cleanEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('LOCALZURE_') && !key.startsWith('AZURE_STORAGE_')),
  );
}

if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.error('dist/ is missing: run `npm run build` before the examples.');
  process.exit(1);
}

mkdirSync(tarballDir, { recursive: true });
const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', tarballDir], { cwd: root, encoding: 'utf8', env: cleanEnv() });
if (packed.status !== 0) {
  console.error(packed.stderr);
  process.exit(1);
}
renameSync(join(tarballDir, JSON.parse(packed.stdout)[0].filename), tarball);

const failed = [];
for (const example of examples) {
  const dir = join(root, 'examples', example);
  try {
    // npm keeps an installed file: dependency whose version did not change; the tarball always must be fresh.
    rmSync(join(dir, 'node_modules', 'localzure'), { recursive: true, force: true });
    run('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], dir);
    run('npm', ['test'], dir);
  } catch (error) {
    console.error(`\n${example}: ${error.message}`);
    failed.push(example);
  }
}

if (failed.length > 0) {
  console.error(`\nExamples failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`\nExamples passed: ${examples.join(', ')}`);
