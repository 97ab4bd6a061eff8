import {
  SNAPSHOT_LIST_LIMIT,
  SNAPSHOT_PREVIEW_CHARS,
  type BlobAccountSnapshot,
  type BlobItemSnapshot,
  type BlobServiceSnapshot,
  type ContainerSnapshot,
} from '../../core/inspection.js';
import type { BlobStore } from './blob-store.js';
import type { BlobRecord, ContainerRecord } from './model.js';

/** What the blob store holds for one account (every account when none is named), read without changing anything. */
export function inspectBlobs(store: BlobStore, account?: string): BlobServiceSnapshot {
  const names = account === undefined ? store.accountNames() : store.accountNames().filter((n) => n === account);
  return { kind: 'blob', accounts: Object.fromEntries(names.map((name) => [name, accountSnapshot(store, name)])) };
}

function accountSnapshot(store: BlobStore, account: string): BlobAccountSnapshot {
  return { containers: store.containersOf(account).map(containerSnapshot) };
}

function containerSnapshot(container: ContainerRecord): ContainerSnapshot {
  // Blobs with only staged blocks do not exist yet for clients, so not here either.
  const committed = [...container.blobs.values()].filter((b) => b.committed);
  return {
    name: container.name,
    metadata: { ...container.metadata },
    lastModified: new Date(container.lastModified).toISOString(),
    blobCount: committed.length,
    blobs: committed.slice(0, SNAPSHOT_LIST_LIMIT).map(blobSnapshot),
  };
}

function blobSnapshot(blob: BlobRecord): BlobItemSnapshot {
  const { contentType } = blob.properties;
  const preview = contentType !== undefined && isText(contentType) ? textPreview(blob) : undefined;
  return {
    name: blob.name,
    type: blob.type,
    size: blob.content.length,
    ...(contentType !== undefined ? { contentType } : {}),
    metadata: { ...blob.metadata },
    lastModified: new Date(blob.lastModified).toISOString(),
    ...(preview !== undefined ? { preview } : {}),
  };
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-ndjson|yaml|x-yaml|csv|x-www-form-urlencoded)\b|[^;]*\+(json|xml)\b)/i;

function isText(contentType: string): boolean {
  return TEXT_TYPES.test(contentType.trim());
}

// UTF-8 takes at most four bytes a character, so this many bytes always hold the preview.
const PREVIEW_BYTES = SNAPSHOT_PREVIEW_CHARS * 4;

function textPreview(blob: BlobRecord): string {
  const end = Math.min(blob.content.length, PREVIEW_BYTES);
  const text = Buffer.concat([...blob.content.read(0, end)]).toString('utf8');
  // A character cut at the byte limit decodes as U+FFFD; it is not the blob's.
  const chars = [...(end < blob.content.length ? text.replace(/\uFFFD+$/, '') : text)];
  const cut = chars.length > SNAPSHOT_PREVIEW_CHARS || end < blob.content.length;
  return chars.slice(0, SNAPSHOT_PREVIEW_CHARS).join('') + (cut ? '…' : '');
}
