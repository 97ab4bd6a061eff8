import { readFileSync } from 'node:fs';
import { LocalZureError } from './errors.js';

/** What `format` says in every snapshot file, so a stray JSON file is told apart. */
export const SNAPSHOT_FORMAT = 'localzure-snapshot';
/** The version this LocalZure writes and reads; a file of another version is refused, never half-read. */
export const SNAPSHOT_VERSION = 1;

/**
 * A namespace's snapshot as `localzure snapshot export` writes it: one
 * section per service that held data, each what that service's
 * `encodeSnapshot` made of its capture (binary content as base64).
 */
export interface SnapshotFile {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  /** The namespace it was exported from; loading it as a seed applies it to every namespace. */
  namespace: string;
  /** The saved snapshot it was exported from; absent when the namespace was exported as it stood. */
  snapshot?: string;
  exportedAt: string;
  services: Record<string, unknown>;
}

/** A snapshot file that cannot be loaded; `code` says why and the message how to fix it. */
export class SnapshotFileError extends LocalZureError {
  constructor(
    code: 'LZ_SNAPSHOT_FILE_INVALID' | 'LZ_SNAPSHOT_VERSION_UNSUPPORTED' | 'LZ_SNAPSHOT_UNKNOWN_SERVICE' | 'LZ_SNAPSHOT_SERVICE_NOT_STARTED',
    /** The file, or where the document came from. */
    readonly source: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, `Snapshot file ${source}: ${message}`, options);
  }
}

/** Reads and checks a snapshot file; throws SnapshotFileError when it is not one this version reads. */
export function readSnapshotFile(path: string): SnapshotFile {
  return parseSnapshotFile(readFileSync(path, 'utf8'), path);
}

/** Checks the envelope of a snapshot document (the services' sections are checked as they are decoded). */
export function parseSnapshotFile(text: string, source: string): SnapshotFile {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new SnapshotFileError('LZ_SNAPSHOT_FILE_INVALID', source, `it is not complete JSON (${(error as Error).message}). Export it again with \`localzure snapshot export ${source}\`.`, { cause: error });
  }
  const file = document as Partial<SnapshotFile> | null;
  if (typeof file !== 'object' || file === null || file.format !== SNAPSHOT_FORMAT) {
    throw new SnapshotFileError('LZ_SNAPSHOT_FILE_INVALID', source, `it is not a LocalZure snapshot (no "format": "${SNAPSHOT_FORMAT}"). Point the seed at a file written by \`localzure snapshot export\`, or at a seed folder.`);
  }
  if (file.version !== SNAPSHOT_VERSION) {
    throw new SnapshotFileError(
      'LZ_SNAPSHOT_VERSION_UNSUPPORTED',
      source,
      `it is version ${JSON.stringify(file.version)}; this LocalZure reads version ${SNAPSHOT_VERSION}. Export it again with this version's \`localzure snapshot export\`, or use the LocalZure that wrote it.`,
    );
  }
  if (typeof file.services !== 'object' || file.services === null || Array.isArray(file.services) || typeof file.namespace !== 'string') {
    throw new SnapshotFileError('LZ_SNAPSHOT_FILE_INVALID', source, 'it lacks its "namespace" or its "services" object. Export it again with `localzure snapshot export`.');
  }
  return file as SnapshotFile;
}
