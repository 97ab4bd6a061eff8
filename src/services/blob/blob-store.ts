import { newEtag } from '../storage-common/dates.js';
import { plainCopy } from '../storage-common/plain-copy.js';
import { StorageQuota } from '../storage-common/quota.js';
import { ChunkedContent, PageContent, type BlobContent } from './content.js';
import { BlobDomainError } from './errors.js';
import { NO_LEASE } from './lease.js';
import type { BlobRecord, BlobState, BlobType, Block, ContainerRecord, ContentProperties, CopyInfo, PublicAccess } from './model.js';
import { ordinal } from '../storage-common/ordinal.js';
import { SortedMap } from '../storage-common/sorted-map.js';
import type { ListPosition } from './list-marker.js';
import type { AccessTier } from './tiers.js';

/** What a write supplies for a new blob version. */
export interface NewBlob {
  type: BlobType;
  content: BlobContent;
  properties: ContentProperties;
  metadata: Record<string, string>;
  tags?: Record<string, string>;
  blocks?: Block[];
  accessTier?: AccessTier;
  sealed?: boolean;
  /** Committed blocks of an append blob written whole (a copy keeps its source's count). */
  appendCount?: number;
  sequenceNumber?: number;
  copy?: CopyInfo;
}

export interface ListBlobsOptions {
  prefix: string;
  delimiter?: string;
  marker?: ListPosition;
  maxResults: number;
  snapshots: boolean;
  uncommitted: boolean;
}

export type ListedBlob = ListedBlobItem | { kind: 'prefix'; name: string };
type ListedBlobItem = { kind: 'blob'; record: BlobRecord; state: BlobState; snapshot?: string };

export interface Page<T, Marker = string> {
  items: T[];
  nextMarker?: Marker;
}

// Most blobs never get a staged block, a snapshot, metadata or tags: until
// they do, they share one empty (and unwritable) map or object instead of
// each holding its own, a third of what a small blob costs.
class NoEntries extends Map<never, never> {
  override set(): never {
    throw new Error('LocalZure bug: the shared empty map of a blob was written to; give the blob its own map first.');
  }
}
const NO_ENTRIES = new NoEntries();
const none = <K, V>(): Map<K, V> => NO_ENTRIES as unknown as Map<K, V>;
const NO_PAIRS: Record<string, string> = Object.freeze({});
const pairsOrShared = (pairs: Record<string, string> | undefined) => (pairs === undefined || isEmpty(pairs) ? NO_PAIRS : pairs);

interface AccountData {
  containers: SortedMap<ContainerRecord>;
  serviceProperties: Record<string, unknown>;
}

/**
 * All blob data, per account. Knows nothing of HTTP: failures are
 * BlobDomainErrors and times come from the caller's clock reading.
 */
export class BlobStore {
  readonly #accounts = new Map<string, AccountData>();
  /** The cap on stored bytes (`limits.maxStoredBytes`); uploads check it while streaming. */
  readonly quota: StorageQuota;
  // Kept as writes happen, so a capped write never walks the store to learn it.
  #storedBytes = 0;

  constructor(maxStoredBytes?: number) {
    this.quota = new StorageQuota(maxStoredBytes, () => this.#storedBytes);
  }

  /** Bytes held across every account: committed content, snapshots and staged blocks (a page blob counts its written pages). */
  storedBytes(): number {
    return this.#storedBytes;
  }

  /** Empties one account, or every account. */
  reset(account?: string): void {
    if (account === undefined) {
      this.#accounts.clear();
      this.#storedBytes = 0;
      return;
    }
    for (const container of this.#accounts.get(account)?.containers.values() ?? []) this.#storedBytes -= containerBytes(container);
    this.#accounts.delete(account);
  }

  /** A copy of one account's data for `restore`, sharing what its records hold (see copyAccount). */
  capture(account: string): unknown {
    const data = this.#accounts.get(account);
    return data && copyAccount(data);
  }

  /** Replaces one account's data with (a copy of) what `capture` returned, its bytes counted again. */
  restore(account: string, captured: unknown): void {
    this.reset(account);
    if (captured === undefined) return;
    const data = copyAccount(captured as AccountData);
    this.#accounts.set(account, data);
    for (const container of data.containers.values()) this.#storedBytes += containerBytes(container);
  }

  serviceProperties(account: string): Record<string, unknown> {
    return this.#account(account).serviceProperties;
  }

  setServiceProperties(account: string, properties: Record<string, unknown>): void {
    this.#account(account).serviceProperties = properties;
  }

  listContainers(account: string, prefix: string, marker: string | undefined, maxResults: number): Page<ContainerRecord> {
    const { items, next } = this.#account(account).containers.page(prefix, marker, maxResults);
    return { items, ...(next !== undefined ? { nextMarker: next } : {}) };
  }

  findContainer(account: string, name: string): ContainerRecord | undefined {
    return this.#accounts.get(account)?.containers.get(name);
  }

  container(account: string, name: string): ContainerRecord {
    const container = this.findContainer(account, name);
    if (!container) throw new BlobDomainError('ContainerNotFound');
    return container;
  }

  createContainer(account: string, name: string, init: { metadata: Record<string, string>; publicAccess?: PublicAccess }, now: number): ContainerRecord {
    const containers = this.#account(account).containers;
    if (containers.has(name)) throw new BlobDomainError('ContainerAlreadyExists');
    const container: ContainerRecord = {
      name,
      metadata: init.metadata,
      publicAccess: init.publicAccess,
      etag: newEtag(now),
      lastModified: now,
      lease: NO_LEASE,
      signedIdentifiers: [],
      blobs: new SortedMap(),
    };
    containers.set(name, container);
    return container;
  }

  deleteContainer(account: string, name: string): void {
    const containers = this.#account(account).containers;
    const container = containers.get(name);
    if (!container) throw new BlobDomainError('ContainerNotFound');
    this.#storedBytes -= containerBytes(container);
    containers.delete(name);
  }

  /** Applies a change to a container's properties and gives it a new ETag. */
  updateContainer(container: ContainerRecord, change: Partial<Pick<ContainerRecord, 'metadata' | 'publicAccess' | 'signedIdentifiers'>>, now: number): void {
    Object.assign(container, change, { etag: newEtag(now), lastModified: now });
  }

  /** The committed blob, or undefined (a blob with only staged blocks does not exist yet). */
  findBlob(container: ContainerRecord, name: string): BlobRecord | undefined {
    const blob = container.blobs.get(name);
    return blob?.committed ? blob : undefined;
  }

  blob(container: ContainerRecord, name: string): BlobRecord {
    const blob = this.findBlob(container, name);
    if (!blob) throw new BlobDomainError('BlobNotFound');
    return blob;
  }

  /** The base blob or one of its snapshots. */
  blobState(container: ContainerRecord, name: string, snapshot: string | undefined): BlobState {
    if (snapshot === undefined) return this.blob(container, name);
    const state = container.blobs.get(name)?.snapshots.get(snapshot);
    if (!state) throw new BlobDomainError('BlobNotFound');
    return state;
  }

  /** Writes a whole new version of a blob; its lease and snapshots stay, staged blocks go. */
  putBlob(container: ContainerRecord, name: string, blob: NewBlob, now: number): BlobRecord {
    const existing = container.blobs.get(name);
    const record: BlobRecord = {
      name,
      type: blob.type,
      content: blob.content,
      properties: blob.properties,
      metadata: pairsOrShared(blob.metadata),
      tags: pairsOrShared(blob.tags),
      etag: newEtag(now),
      lastModified: now,
      createdAt: existing?.committed ? existing.createdAt : now,
      blocks: blob.blocks ?? [],
      appendCount: blob.appendCount ?? 0,
      sequenceNumber: blob.sequenceNumber ?? 0,
      copy: blob.copy,
      ...(blob.accessTier ? { accessTier: blob.accessTier, accessTierChangedOn: now } : {}),
      ...(blob.sealed ? { sealed: true } : {}),
      lease: existing?.lease ?? NO_LEASE,
      committed: true,
      uncommitted: none(),
      snapshots: existing?.snapshots ?? none(),
    };
    this.#storedBytes += blobBytes(record) - (existing ? blobBytes(existing) : 0);
    container.blobs.set(name, record);
    return record;
  }

  /** Stages a block; the blob appears (uncommitted) if it did not exist. */
  stageBlock(container: ContainerRecord, name: string, block: Block, now: number): void {
    let record = container.blobs.get(name);
    if (!record) {
      record = {
        ...this.putBlob(container, name, { type: 'BlockBlob', content: new ChunkedContent(), properties: {}, metadata: {} }, now),
        committed: false,
      };
      container.blobs.set(name, record);
    }
    this.#storedBytes += block.size - (record.uncommitted.get(block.id)?.size ?? 0);
    if (record.uncommitted === NO_ENTRIES) record.uncommitted = new Map();
    record.uncommitted.set(block.id, block);
  }

  /** Applies a change to a blob and gives it a new ETag and Last-Modified. */
  updateBlob(blob: BlobRecord, change: Partial<BlobState>, now: number): void {
    if (change.content) this.#storedBytes += contentBytes(change.content) - contentBytes(blob.content);
    Object.assign(blob, change, { etag: newEtag(now), lastModified: now });
  }

  deleteBlob(container: ContainerRecord, name: string, snapshots: 'include' | 'only' | undefined): void {
    const blob = this.blob(container, name);
    if (blob.snapshots.size > 0 && snapshots === undefined) throw new BlobDomainError('SnapshotsPresent');
    if (snapshots === 'only') {
      for (const snapshot of blob.snapshots.values()) this.#storedBytes -= contentBytes(snapshot.content);
      blob.snapshots = none();
    } else {
      this.#storedBytes -= blobBytes(blob);
      container.blobs.delete(name);
    }
  }

  deleteSnapshot(container: ContainerRecord, name: string, snapshot: string): void {
    const snapshots = container.blobs.get(name)?.snapshots;
    const state = snapshots?.get(snapshot);
    if (!snapshots || !state) throw new BlobDomainError('BlobNotFound');
    this.#storedBytes -= contentBytes(state.content);
    snapshots.delete(snapshot);
  }

  /** Freezes the blob's current state under a new snapshot id and returns the id. */
  createSnapshot(blob: BlobRecord, now: number, metadata: Record<string, string> | undefined): string {
    const id = snapshotId(now, blob.snapshots);
    if (blob.snapshots === NO_ENTRIES) blob.snapshots = new Map();
    const { name: _name, lease: _lease, committed: _committed, uncommitted: _uncommitted, snapshots: _snapshots, ...state } = blob;
    blob.snapshots.set(id, { ...state, metadata: metadata ?? { ...blob.metadata } });
    this.#storedBytes += contentBytes(blob.content);
    return id;
  }

  /**
   * Blobs (and their snapshots, staged-only blobs, prefixes as asked) in
   * Azure's name order, from `marker` on. The next page's marker names the
   * item it starts with, inside a name when a page ends among its snapshots,
   * so paging always moves on.
   */
  listBlobs(container: ContainerRecord, options: ListBlobsOptions): Page<ListedBlob, ListPosition> {
    const { prefix, delimiter, marker, maxResults } = options;
    const items: ListedBlob[] = [];
    let names = container.blobs.entries(marker !== undefined && marker.name > prefix ? marker.name : prefix);
    for (let step = names.next(); !step.done; step = names.next()) {
      const [name, record] = step.value;
      if (!name.startsWith(prefix)) break;
      // A blob with only staged blocks does not exist yet: not even as a virtual directory.
      if (!record.committed && !options.uncommitted) continue;
      const at = delimiter ? name.indexOf(delimiter, prefix.length) : -1;
      if (at !== -1) {
        const group = name.slice(0, at + delimiter!.length);
        if (items.length === maxResults) return { items, nextMarker: { name: group } };
        items.push({ kind: 'prefix', name: group });
        // Every name in the group folds into that one prefix: go straight past them.
        const after = firstAfterPrefix(group);
        if (after === undefined) break;
        names = container.blobs.entries(after);
        continue;
      }
      const resume = marker?.name === name ? marker.item : undefined;
      let first = true;
      for (const listed of listedItems(record, options)) {
        const item = listed.snapshot ?? '';
        if (resume !== undefined && itemRank(item) < itemRank(resume)) continue;
        if (items.length === maxResults) return { items, nextMarker: first ? { name } : { name, item } };
        items.push(listed);
        first = false;
      }
    }
    return { items };
  }

  /**
   * Every committed blob of an account with its container, containers and
   * names in order: from `from` on (inclusive), within one container when
   * `only` names it. Starting late costs a seek, not a walk past what comes before.
   */
  *allBlobs(account: string, options: { from?: { container: string; blob: string }; only?: string } = {}): Iterable<{ container: ContainerRecord; blob: BlobRecord }> {
    const { from, only } = options;
    const start = only !== undefined && (from === undefined || only > from.container) ? only : from?.container;
    for (const container of this.#accounts.get(account)?.containers.values(start) ?? []) {
      if (only !== undefined && container.name !== only) return;
      const first = container.name === from?.container ? from.blob : undefined;
      for (const blob of container.blobs.values(first)) if (blob.committed) yield { container, blob };
    }
  }

  /** Accounts that hold containers, in name order. */
  accountNames(): string[] {
    return [...this.#accounts].filter(([, data]) => data.containers.size > 0).map(([name]) => name).sort(ordinal);
  }

  /** An account's containers in name order; looking does not create the account. */
  containersOf(account: string): ContainerRecord[] {
    return [...(this.#accounts.get(account)?.containers.values() ?? [])];
  }

  #account(name: string): AccountData {
    let account = this.#accounts.get(name);
    if (!account) {
      account = { containers: new SortedMap(), serviceProperties: {} };
      this.#accounts.set(name, account);
    }
    return account;
  }
}

// What one name lists, in order: its snapshots, oldest first, then the base blob (a staged-only one when asked for).
function listedItems(record: BlobRecord, options: ListBlobsOptions): ListedBlobItem[] {
  const items: ListedBlobItem[] = [];
  if (options.snapshots) {
    const ids = [...record.snapshots.keys()].sort(ordinal);
    for (const snapshot of ids) items.push({ kind: 'blob', record, state: record.snapshots.get(snapshot)!, snapshot });
  }
  if (record.committed || options.uncommitted) items.push({ kind: 'blob', record, state: record });
  return items;
}

// The base blob ('') comes after every snapshot of its name.
function itemRank(item: string): string {
  return item === '' ? '\uffff' : item;
}

/** The first name after every name that starts with `prefix`; undefined when no name is. */
function firstAfterPrefix(prefix: string): string | undefined {
  for (let end = prefix.length - 1; end >= 0; end--) {
    const code = prefix.charCodeAt(end);
    if (code < 0xffff) return prefix.slice(0, end) + String.fromCharCode(code + 1);
  }
  return undefined;
}

function isEmpty(pairs: Record<string, string>): boolean {
  for (const _ in pairs) return false;
  return true;
}

// Records change in place (Object.assign of a change, a new lease or tier,
// staged blocks, snapshots taken and deleted), but what a record holds is
// replaced, never changed: properties, metadata, tags, blocks, content,
// lease, copy and rehydration details. So a copy of an account copies each
// record one level deep and shares the rest, a spread per blob instead of a
// walk through everything it holds.
function copyAccount(data: AccountData): AccountData {
  return { containers: data.containers.copy(copyContainer), serviceProperties: plainCopy(data.serviceProperties) };
}

function copyContainer(container: ContainerRecord): ContainerRecord {
  return { ...container, blobs: container.blobs.copy(copyBlob) };
}

function copyBlob(blob: BlobRecord): BlobRecord {
  return {
    ...blob,
    uncommitted: blob.uncommitted === NO_ENTRIES ? blob.uncommitted : new Map(blob.uncommitted),
    snapshots: blob.snapshots === NO_ENTRIES ? blob.snapshots : new Map([...blob.snapshots].map(([id, state]) => [id, { ...state }])),
  };
}

function containerBytes(container: ContainerRecord): number {
  let total = 0;
  for (const blob of container.blobs.values()) total += blobBytes(blob);
  return total;
}

function blobBytes(blob: BlobRecord): number {
  let total = contentBytes(blob.content);
  for (const snapshot of blob.snapshots.values()) total += contentBytes(snapshot.content);
  for (const block of blob.uncommitted.values()) total += block.size;
  return total;
}

function contentBytes(content: BlobContent): number {
  return content instanceof PageContent ? content.runs.reduce((n, run) => n + run.data.length, 0) : content.length;
}

// Seven fractional digits give room to keep ids unique within one millisecond.
function snapshotId(now: number, taken: Map<string, unknown>): string {
  const base = new Date(now).toISOString().slice(0, -1);
  for (let tick = 0; ; tick++) {
    const id = `${base}${String(tick).padStart(4, '0')}Z`;
    if (!taken.has(id)) return id;
  }
}
