import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { isUtf8 } from 'node:buffer';
import type { SeedErrorClass } from './seed-error.js';
import { ordinal } from './ordinal.js';

/** A service's part of a seed folder, `<dir>/<service>`, as named and as resolved. */
export interface SeedFolder {
  path: string;
  real: string;
}

/** One entry of a folder in a seed, links resolved and checked. */
export interface SeedEntry {
  name: string;
  path: string;
  real: string;
  kind: 'file' | 'folder';
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
  if (!(await stat(real)).isDirectory()) throw new SeedError(`Seed entry ${path} is not a folder; the ${service} seed lives in a folder of that name.`);
  return { path, real };
}

/**
 * The entries of a folder inside a service's seed folder, in name order,
 * each a regular file or a folder reached inside the seed folder. Anything
 * else is refused with the service's seed error naming it: a FIFO or a
 * device would block the read forever, a link out of the folder would leak
 * other files, a name that is not UTF-8 cannot become a resource name. A
 * link back to the service's folder itself is allowed, so that a folder
 * walk can report it as the loop it is. Names `wanted` turns down are
 * left unread.
 */
export async function readSeedEntries(folder: SeedFolder, path: string, SeedError: SeedErrorClass, wanted: (name: string) => boolean = () => true): Promise<SeedEntry[]> {
  const entries: SeedEntry[] = [];
  for (const raw of await readdir(path, { encoding: 'buffer' })) {
    const name = raw.toString('utf8');
    if (!wanted(name)) continue;
    const entryPath = join(path, name);
    if (!isUtf8(raw)) throw new SeedError(`Seed entry ${entryPath} has a name that is not valid UTF-8 (shown with U+FFFD where it breaks); rename it with UTF-8 characters only.`);
    const real = await realSeedPath(entryPath, SeedError);
    if (real !== folder.real && !isInsideFolder(real, folder.real)) {
      throw new SeedError(`Seed entry ${entryPath} points outside the seed folder ${folder.path}; seed files must live inside it.`);
    }
    const info = await stat(real);
    if (!info.isFile() && !info.isDirectory()) {
      throw new SeedError(`Seed entry ${entryPath} is ${describeKind(info)}, not a regular file or a folder; remove it from the seed folder.`);
    }
    entries.push({ name, path: entryPath, real, kind: info.isDirectory() ? 'folder' : 'file' });
  }
  return entries.sort((a, b) => ordinal(a.name, b.name));
}

/**
 * The `<name>.json` files directly inside a service's seed folder, parsed,
 * in name order: the queue and table seeds hold one file per queue or table.
 */
export async function readSeedJsonFiles(dir: string, service: string, SeedError: SeedErrorClass): Promise<Array<{ name: string; path: string; value: unknown }>> {
  const folder = await seedServiceFolder(dir, service, SeedError);
  if (folder === undefined) return [];
  const isJson = (name: string) => name.endsWith('.json');
  const files = (await readSeedEntries(folder, folder.path, SeedError, isJson)).filter((e) => e.kind === 'file');
  const out: Array<{ name: string; path: string; value: unknown }> = [];
  for (const { name, path, real } of files) {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(real, 'utf8'));
    } catch (error) {
      throw new SeedError(`Seed file ${path} is not valid JSON: ${(error as Error).message}`);
    }
    out.push({ name: name.slice(0, -'.json'.length), path, value });
  }
  return out;
}

/** Whether a real path lies inside a real folder (both resolved, so links cannot fool it). */
function isInsideFolder(real: string, folderReal: string): boolean {
  return real.startsWith(folderReal + sep);
}

function describeKind(info: Awaited<ReturnType<typeof stat>>): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

// A link that loops or leads nowhere is a fault of the seed, not of the library, so it gets the seed's error.
async function realSeedPath(path: string, SeedError: SeedErrorClass): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new SeedError(`Seed entry ${path} is a link that loops back on itself; seed links must lead to a file or folder.`);
    if (code === 'ENOENT') {
      const isLink = await lstat(path).then((s) => s.isSymbolicLink(), () => false);
      throw new SeedError(isLink ? `Seed entry ${path} is a link that leads nowhere; seed links must lead to a file or folder.` : `Seed entry ${path} disappeared while the seed was read; leave the seed folder alone while LocalZure starts.`);
    }
    throw error;
  }
}
