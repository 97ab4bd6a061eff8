import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, relative, sep } from 'node:path';
import type { SeedSource } from '../../core/service.js';
import { isValidDnsStyleName } from '../storage-common/names.js';
import { StorageSeedError } from '../storage-common/seed-error.js';
import { readSeedEntries, seedServiceFolder } from '../storage-common/seed-folder.js';
import type { BlobStore } from './blob-store.js';
import { ChunkedContent } from './content.js';

/** Seed data that cannot be loaded: a bad container name, a file outside the seed folder, a wrong inline shape. */
export class BlobSeedError extends StorageSeedError {}

const CONTENT_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.csv': 'text/csv',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
};

/** One seeded blob, read and checked once; every account's copy shares its bytes. */
export interface BlobSeedItem {
  container: string;
  name: string;
  data: Buffer;
  contentType: string;
  contentMd5: string;
}

/**
 * Reads and checks `<dir>/blob/<container>/<path>` files and inline
 * `data.blob` (`{ container: { blob: text } }`). Files reached through
 * links that point outside the seed folder are refused.
 */
export async function readBlobSeed(seed: SeedSource | undefined): Promise<BlobSeedItem[]> {
  if (!seed) return [];
  const blobs: Array<{ container: string; name: string; data: Buffer }> = [];
  if (seed.dir !== undefined) blobs.push(...(await readSeedFolder(seed.dir)));
  if (seed.data?.blob !== undefined) blobs.push(...readInline(seed.data.blob));
  return blobs.map(({ container, name, data }) => {
    if (!isValidDnsStyleName(container)) throw new BlobSeedError(`Seed container "${container}" is not a valid container name: use 3-63 lowercase letters, digits and single hyphens.`);
    if (name.length === 0 || name.length > 1024) throw new BlobSeedError(`Seed blob "${name}" in "${container}" must be 1 to 1024 characters long.`);
    const contentType = CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
    return { container, name, data, contentType, contentMd5: createHash('md5').update(data).digest('base64') };
  });
}

/** Puts the seeded blobs into one account; their buffers are shared, never copied (stored buffers are never written to). */
export function applyBlobSeed(store: BlobStore, account: string, items: readonly BlobSeedItem[], now: number): void {
  for (const { container, name, data, contentType, contentMd5 } of items) {
    const target = store.findContainer(account, container) ?? store.createContainer(account, container, { metadata: {} }, now);
    store.putBlob(target, name, { type: 'BlockBlob', content: new ChunkedContent([data]), properties: { contentType, contentMd5 }, metadata: {} }, now);
  }
}

async function readSeedFolder(dir: string): Promise<Array<{ container: string; name: string; data: Buffer }>> {
  const folder = await seedServiceFolder(dir, 'blob', BlobSeedError);
  if (folder === undefined) return [];
  const out: Array<{ container: string; name: string; data: Buffer }> = [];
  const walking = new Set<string>();
  const walk = async (path: string, real: string): Promise<void> => {
    // A link back to a folder being walked would recurse until the path grows too long.
    if (walking.has(real)) throw new BlobSeedError(`Seed folder ${path} links back to ${real}, which contains it; seed folders must not loop.`);
    walking.add(real);
    for (const entry of await readSeedEntries(folder, path, BlobSeedError)) {
      if (entry.kind === 'folder') {
        await walk(entry.path, entry.real);
        continue;
      }
      const [container, ...parts] = relative(folder.path, entry.path).split(sep);
      if (parts.length === 0) continue; // files directly under blob/ belong to no container
      out.push({ container: container!, name: parts.join('/'), data: await readFile(entry.real) });
    }
    walking.delete(real);
  };
  await walk(folder.path, folder.real);
  return out;
}

function readInline(data: unknown): Array<{ container: string; name: string; data: Buffer }> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new BlobSeedError('Inline blob seed must be an object of containers, e.g. { photos: { "a.txt": "hello" } }.');
  }
  const out: Array<{ container: string; name: string; data: Buffer }> = [];
  for (const [container, blobs] of Object.entries(data)) {
    if (typeof blobs !== 'object' || blobs === null || Array.isArray(blobs)) {
      throw new BlobSeedError(`Inline blob seed for container "${container}" must be an object of blob names to text.`);
    }
    for (const [name, text] of Object.entries(blobs)) {
      if (typeof text !== 'string') throw new BlobSeedError(`Inline blob seed "${container}/${name}" must be a string.`);
      out.push({ container, name, data: Buffer.from(text, 'utf8') });
    }
  }
  return out;
}
