import { realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';

/**
 * The real path of a service's part of a seed folder, `<dir>/<service>`, or
 * undefined when there is none. Seed data must never come from outside the
 * seed folder, so a link that leads it out is refused with `refuse`'s error.
 */
export async function seedServiceFolder(dir: string, service: string, refuse: (message: string) => Error): Promise<string | undefined> {
  const root = join(dir, service);
  let rootReal: string;
  try {
    rootReal = await realpath(root);
  } catch {
    return undefined;
  }
  if (!isInsideFolder(rootReal, await realpath(dir))) throw refuse(`Seed folder ${root} points outside the seed folder ${dir}.`);
  return rootReal;
}

/** Whether a real path lies inside a real folder (both resolved, so links cannot fool it). */
export function isInsideFolder(real: string, folderReal: string): boolean {
  return real.startsWith(folderReal + sep);
}
