import { statSync } from 'node:fs';
import type { LocalZureService, SeedSource } from './service.js';
import { readSnapshotFile, SnapshotFileError, type SnapshotFile } from './snapshot-file.js';

/** A snapshot file given as the seed: where it was read from, and what it holds. */
export interface SnapshotSeedSource {
  path: string;
  file: SnapshotFile;
}

/**
 * Each service's capture from a snapshot file, decoded once so every
 * namespace and every reset restores it without reading JSON again. A
 * section for a service LocalZure does not know, or one that is not
 * running, is refused rather than dropped: its data would be missing far
 * from the cause.
 */
export function decodeSnapshotSeed(seed: SnapshotSeedSource, registered: readonly string[], running: ReadonlyMap<string, LocalZureService>): Map<string, unknown> {
  const captures = new Map<string, unknown>();
  for (const [name, section] of Object.entries(seed.file.services)) {
    if (!registered.includes(name)) {
      throw new SnapshotFileError(
        'LZ_SNAPSHOT_UNKNOWN_SERVICE',
        seed.path,
        `it holds data for "${name}", a service this LocalZure does not know (it knows ${registered.join(', ')}). Install the plugin that provides it, or export the snapshot again without it (--services).`,
      );
    }
    const service = running.get(name);
    if (!service) {
      throw new SnapshotFileError(
        'LZ_SNAPSHOT_SERVICE_NOT_STARTED',
        seed.path,
        `it holds data for "${name}", which is not started. Add "${name}" to the services to start, or export the snapshot again with --services naming only those you start.`,
      );
    }
    try {
      captures.set(name, service.decodeSnapshot(section));
    } catch (error) {
      throw new SnapshotFileError('LZ_SNAPSHOT_FILE_INVALID', seed.path, `its "${name}" section cannot be read (${(error as Error).message}). Export it again with \`localzure snapshot export\`.`, { cause: error });
    }
  }
  return captures;
}

/**
 * The seed a path names: a file is a snapshot file (read and checked now),
 * anything else a seed folder; undefined when nothing is there.
 */
export function seedAtPath(path: string): SeedSource | undefined {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isFile()) return { snapshot: { path, file: readSnapshotFile(path) } };
  return stat?.isDirectory() ? { dir: path } : undefined;
}
