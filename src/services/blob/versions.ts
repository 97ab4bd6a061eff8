import type { HeaderValue } from '../storage-common/response.js';
import type { BlobHistory, BlobRecord, BlobState } from './model.js';

// Blob versioning, as Azure keeps it: https://learn.microsoft.com/azure/storage/blobs/versioning-overview
// Put Blob, Put Block List, the copies and Set Blob Metadata write a new
// version (the REST reference answers x-ms-version-id on exactly these);
// Put Page, Append Block, Set Blob Properties, tags and tiers change the
// current version in place.

/**
 * Settings Azure keeps in the management plane (no REST call changes them),
 * so LocalZure takes them as options when it starts.
 */
export interface BlobFeatures {
  /** Every write keeps the blob's previous state as a version (`versioning: true`). */
  versioning: boolean;
  /** Deleted containers are kept this many days (`containerSoftDeleteDays`); undefined deletes them for good. */
  containerSoftDeleteDays?: number;
}

/**
 * A DateTime id with seven fractional digits, as Azure gives snapshots and
 * versions; the last digits count up so ids stay unique within one millisecond.
 */
export function timestampId(now: number, taken: (id: string) => boolean): string {
  const base = new Date(now).toISOString().slice(0, -1);
  for (let tick = 0; ; tick++) {
    const id = `${base}${String(tick).padStart(4, '0')}Z`;
    if (!taken(id)) return id;
  }
}

/** The next version id of a blob: unique among its versions, so a later write has a later id. */
export function nextVersionId(now: number, current: BlobRecord | undefined): string {
  const versions = current?.history?.versions;
  const latest = current?.versionId ?? '';
  // A clock set back must not give a version that sorts before the one it replaces.
  const from = latest === '' ? now : Math.max(now, Date.parse(latest));
  return timestampId(from, (id) => id <= latest || versions?.has(id) === true);
}

/** Keeps the blob's current state as a previous version, under the id it was written with. */
export function keepAsVersion(record: BlobRecord): void {
  historyOf(record).versions.set(record.versionId ?? nextVersionId(record.lastModified, undefined), stateOf(record));
}

/** What a blob holds at one moment, without the record's bookkeeping (name, lease, staged blocks, snapshots, history). */
export function stateOf(record: BlobRecord): BlobState {
  const { name: _name, lease: _lease, committed: _committed, uncommitted: _uncommitted, snapshots: _snapshots, history: _history, ...state } = record;
  return state;
}

/** The record's history, created empty on first use. */
export function historyOf(record: { history?: BlobHistory }): BlobHistory {
  record.history ??= { versions: new Map(), deletedSnapshots: new Map() };
  return record.history;
}

/** Whether versioning and soft delete keep anything of a blob. */
export function keepsHistory(history: BlobHistory | undefined): boolean {
  return history !== undefined && (history.versions.size > 0 || history.deletedSnapshots.size > 0 || history.deletedBase !== undefined);
}

/** `x-ms-version-id` of a write that made a version; nothing while versioning is off. */
export function versionIdHeader(state: BlobState): Record<string, HeaderValue> {
  return { 'x-ms-version-id': state.versionId };
}

/** What a read of a version says about it: its id, and whether it is the current one. */
export function versionReadHeaders(state: BlobState, current: boolean): Record<string, HeaderValue> {
  return { 'x-ms-version-id': state.versionId, 'x-ms-is-current-version': current ? true : undefined };
}
