import type { Dirent } from 'node:fs';
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { SeedErrorClass } from './seed-error.js';
import { ordinal } from './ordinal.js';

/** A service's part of a seed folder, `<dir>/<service>`, as named and as resolved. */
export interface SeedFolder {
  path: string;
  real: string;
}

/**
 * A service's part of a seed folder, or undefined when there is none. Seed
 * data must never come from outside the seed folder, so a link that leads
 * it out is refused with the service's seed error.
 */
export async function seedServiceFolder(dir: string, service: string, SeedError: SeedErrorClass): Promise<SeedFolder | undefined> {
  const path = join(dir, service);
  if (!(await lstat(path).then(() => true, () => false))) return undefined;
  const real = await realSeedPath(path, SeedError);
  if (!isInsideFolder(real, await realpath(dir))) throw new SeedError(`Seed folder ${path} points outside the seed folder ${dir}.`);
  return { path, real };
}

/**
 * The real path of an entry found in a service's seed folder, refused when
 * it leads out of that folder. The folder itself is allowed so that a folder
 * walk can report a link back to it as the loop it is.
 */
export async function realSeedEntry(folder: SeedFolder, path: string, SeedError: SeedErrorClass): Promise<string> {
  const real = await realSeedPath(path, SeedError);
  if (real !== folder.real && !isInsideFolder(real, folder.real)) {
    throw new SeedError(`Seed entry ${path} points outside the seed folder ${folder.path}; seed files must live inside it.`);
  }
  return real;
}

/**
 * The `<name>.json` files directly inside a service's seed folder, parsed,
 * in name order: the queue and table seeds hold one file per queue or table.
 */
export async function readSeedJsonFiles(dir: string, service: string, SeedError: SeedErrorClass): Promise<Array<{ name: string; path: string; value: unknown }>> {
  const folder = await seedServiceFolder(dir, service, SeedError);
  if (folder === undefined) return [];
  const entries: Dirent[] = await readdir(folder.path, { withFileTypes: true });
  const files = entries.filter((e) => e.name.endsWith('.json') && !e.isDirectory()).sort(byName);
  const out: Array<{ name: string; path: string; value: unknown }> = [];
  for (const entry of files) {
    const path = join(folder.path, entry.name);
    const real = await realSeedEntry(folder, path, SeedError);
    let value: unknown;
    try {
      value = JSON.parse(await readFile(real, 'utf8'));
    } catch (error) {
      throw new SeedError(`Seed file ${path} is not valid JSON: ${(error as Error).message}`);
    }
    out.push({ name: entry.name.slice(0, -'.json'.length), path, value });
  }
  return out;
}

/** Directory entries in a stable order, so seeds load the same way on every file system. */
export function byName(a: Dirent, b: Dirent): number {
  return ordinal(a.name, b.name);
}

/** Whether a real path lies inside a real folder (both resolved, so links cannot fool it). */
function isInsideFolder(real: string, folderReal: string): boolean {
  return real.startsWith(folderReal + sep);
}

// A link that loops or leads nowhere is a fault of the seed, not of the library, so it gets the seed's error.
async function realSeedPath(path: string, SeedError: SeedErrorClass): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new SeedError(`Seed entry ${path} is a link that loops back on itself; seed links must lead to a file or folder.`);
    if (code === 'ENOENT') throw new SeedError(`Seed entry ${path} is a link that leads nowhere; seed links must lead to a file or folder.`);
    throw error;
  }
}
