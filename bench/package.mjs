// Where bench processes load LocalZure from. Others rebuild dist/ (tsup
// cleans it) while a ten-minute run is going, so run.mjs copies the build it
// made into a private folder and hands it to every child in LZ_BENCH_PACKAGE.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = dirname(dirname(fileURLToPath(import.meta.url)));

/** The folder holding the package.json and dist/ the bench uses. */
export const packageDir = () => process.env.LZ_BENCH_PACKAGE ?? REPO;

export const importLocalZure = () => import(pathToFileURL(join(packageDir(), 'dist/index.js')).href);

/** Copies package.json and dist/ aside; node_modules is linked, so imports resolve as in the repo. */
export function snapshotPackage() {
  const dir = mkdtempSync(join(tmpdir(), 'localzure-bench-'));
  cpSync(join(REPO, 'package.json'), join(dir, 'package.json'));
  cpSync(join(REPO, 'dist'), join(dir, 'dist'), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
