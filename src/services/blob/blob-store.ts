import { newEtag } from '../storage-common/dates.js';
import { plainCopy } from '../storage-common/plain-copy.js';
import { StorageQuota } from '../storage-common/quota.js';
import { ChunkedContent, PageContent, type BlobContent } from './content.js';
import { BlobDomainError } from './errors.js';
import { NO_LEASE } from './lease.js';
import type { BlobHistory, BlobRecord, BlobState, BlobType, Block, ContainerRecord, ContentProperties, CopyInfo, DeletedContainer, PublicAccess, Retention } from './model.js';
import { ordinal } from '../storage-common/ordinal.js';
import { SortedMap } from '../storage-common/sorted-map.js';
import type { ListPosition } from './list-marker.js';
import type { AccessTier } from './tiers.js';
import { blobRetentionDays, hasExpired, retentionOf } from './soft-delete.js';
import { historyOf, keepAsVersion, keepsHistory, nextVersionId, stateOf, timestampId, type BlobFeatures } from './versions.js';

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
  /** include=versions: previous versions too, and the current one listed as a version. */
  versions?: boolean;
  /** include=deleted: what soft delete keeps, too. */
  deleted?: boolean;
  /** include=deletedwithversions: a name whose current version is gone but whose versions are not, marked HasVersionsOnly. */
  deletedWithVersions?: boolean;
}

export type ListedBlob = ListedBlobItem | { kind: 'prefix'; name: string };
type ListedBlobItem = {
  kind: 'blob';
  record: BlobRecord;
  state: BlobState;
  snapshot?: string;
  /** Set for the current state of a blob under versioning, and for its previous versions. */
  version?: { id: string; current: boolean };
  deleted?: Retention;
  /** The name of a blob deleted under versioning, listed for its versions (include=deletedwithversions). */
  hasVersionsOnly?: boolean;
  /** Where the item sorts among the items of its name: its place in a continuation marker. */
  item: string;
};

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
  /** Containers soft delete keeps, in the order they were deleted. */
  deletedContainers: DeletedContainer[];
}

/**
 * All blob data, per account. Knows nothing of HTTP: failures are
 * BlobDomainErrors and times come from the caller's clock reading.
 */
export class BlobStore {
  readonly #accounts = new Map<string, AccountData>();
  /** The cap on stored bytes (`limits.maxStoredBytes`); uploads check it while streaming. */
  readonly quota: StorageQuota;
  /** Versioning and container soft delete, as the account was set up. */
  readonly features: BlobFeatures;
  // Kept as writes happen, so a capped write never walks the store to learn it.
  #storedBytes = 0;
  // Soft-deleted items leave for good at the first look after their retention ends; before this time none is due.
  #nextExpiry = Infinity;
  // Blob soft delete reads its retention from the account's service properties.
  readonly #accountOf = new WeakMap<ContainerRecord, string>();

  constructor(maxStoredBytes?: number, features: BlobFeatures = { versioning: false }) {
    this.quota = new StorageQuota(maxStoredBytes, () => this.#storedBytes);
    this.features = features;
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
    for (const container of this.#containersKept(account)) this.#storedBytes -= containerBytes(container);
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
    for (const container of this.#containersKept(account)) {
      this.#accountOf.set(container, account);
      this.#storedBytes += containerBytes(container);
      for (const blob of container.blobs.values()) if (blob.history) for (const retention of retentionsIn(blob.history)) this.#expiresAt(retention);
    }
    // What the copy keeps may be due already: the sweep runs at the next look then.
    for (const deleted of data.deletedContainers) this.#expiresAt(deleted.deleted);
  }

  /** Live and soft-deleted containers of an account: what its bytes are. */
  *#containersKept(account: string): Iterable<ContainerRecord> {
    const data = this.#accounts.get(account);
    if (!data) return;
    yield* data.containers.values();
    for (const deleted of data.deletedContainers) yield deleted.container;
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

  /**
   * List Containers with include=deleted: live and soft-deleted containers
   * in name order, a live one before the deleted ones of its name. A page
   * ends between names, so a marker (a name) always resumes where it stopped.
   */
  listContainersWithDeleted(account: string, prefix: string, marker: string | undefined, maxResults: number, now: number): Page<ContainerRecord | DeletedContainer> {
    const deleted = this.deletedContainers(account, now).filter((d) => d.container.name.startsWith(prefix) && (marker === undefined || d.container.name >= marker));
    const live = this.#account(account).containers;
    const names = [...new Set([...live.page(prefix, marker, Number.MAX_SAFE_INTEGER).items.map((c) => c.name), ...deleted.map((d) => d.container.name)])].sort(ordinal);
    const items: Array<ContainerRecord | DeletedContainer> = [];
    for (const name of names) {
      const group = [...(live.has(name) ? [live.get(name)!] : []), ...deleted.filter((d) => d.container.name === name)];
      if (items.length > 0 && items.length + group.length > maxResults) return { items, nextMarker: name };
      items.push(...group);
    }
    return { items };
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
    this.#accountOf.set(container, account);
    return container;
  }

  /** Deletes a container, or with container soft delete keeps it under a version for Restore Container. */
  deleteContainer(account: string, name: string, now: number): void {
    const data = this.#account(account);
    const container = data.containers.get(name);
    if (!container) throw new BlobDomainError('ContainerNotFound');
    data.containers.delete(name);
    const days = this.features.containerSoftDeleteDays;
    if (days === undefined) {
      this.#storedBytes -= containerBytes(container);
      return;
    }
    const taken = new Set(data.deletedContainers.filter((d) => d.container.name === name).map((d) => d.version));
    const deleted = retentionOf(now, days);
    data.deletedContainers.push({ container: { ...container, lease: NO_LEASE }, version: containerVersion(now, taken), deleted });
    this.#expiresAt(deleted);
  }

  /** Soft-deleted containers of an account, retention not yet over. */
  deletedContainers(account: string, now: number): DeletedContainer[] {
    this.expireDue(now);
    return this.#accounts.get(account)?.deletedContainers ?? [];
  }

  /** Restore Container: the deleted container `name` of `version` comes back as `as`, its blobs with it. */
  restoreContainer(account: string, name: string, version: string, as: string, now: number): ContainerRecord {
    this.expireDue(now);
    const data = this.#account(account);
    const at = data.deletedContainers.findIndex((d) => d.container.name === name && d.version === version);
    if (at === -1) throw new BlobDomainError('ContainerNotFound');
    if (data.containers.has(as)) throw new BlobDomainError('ContainerAlreadyExists');
    const [{ container }] = data.deletedContainers.splice(at, 1) as [DeletedContainer];
    container.name = as;
    data.containers.set(as, container);
    this.#accountOf.set(container, account);
    return container;
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

  /** The base blob, one of its snapshots, or one of its versions (the current one too). */
  blobState(container: ContainerRecord, name: string, snapshot: string | undefined, version?: string): BlobState {
    const state = this.findState(container, name, snapshot, version);
    if (!state) throw new BlobDomainError('BlobNotFound');
    return state;
  }

  /** What {@link blobState} reads, or undefined; soft-deleted states are not readable. */
  findState(container: ContainerRecord, name: string, snapshot: string | undefined, version: string | undefined): BlobState | undefined {
    const record = container.blobs.get(name);
    if (version !== undefined) {
      if (record?.committed && record.versionId === version) return record;
      const state = record?.history?.versions.get(version);
      return state?.deleted ? undefined : state;
    }
    if (snapshot === undefined) return record?.committed ? record : undefined;
    return record?.snapshots.get(snapshot);
  }

  /**
   * Writes a whole new version of a blob; its lease and snapshots stay, staged
   * blocks go. Versioning keeps the state it replaces as a previous version;
   * soft delete alone keeps it as a soft-deleted snapshot.
   */
  putBlob(container: ContainerRecord, name: string, blob: NewBlob, now: number): BlobRecord {
    const existing = container.blobs.get(name);
    const before = existing ? blobBytes(existing) : 0;
    const history = existing && this.#keepOverwritten(container, existing, now);
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
      ...(history ? { history } : {}),
      ...(this.features.versioning ? { versionId: nextVersionId(now, existing) } : {}),
    };
    this.#storedBytes += blobBytes(record) - before;
    container.blobs.set(name, record);
    return record;
  }

  /** What an overwrite keeps of the record it replaces: the history the new record carries on. */
  #keepOverwritten(container: ContainerRecord, existing: BlobRecord, now: number): BlobHistory | undefined {
    const retention = this.#blobRetention(container, now);
    if (existing.committed && this.features.versioning) {
      keepAsVersion(existing);
    } else if (existing.committed && retention) {
      this.#keepDeletedSnapshot(existing, stateOf(existing), retention);
    } else if (existing.history?.deletedBase) {
      // A blob written over a soft-deleted one: the deleted one stays undeletable, as a snapshot.
      const { deleted, ...state } = existing.history.deletedBase;
      existing.history.deletedBase = undefined;
      this.#keepDeletedSnapshot(existing, state, deleted);
    }
    return existing.history;
  }

  #keepDeletedSnapshot(record: BlobRecord, state: BlobState, deleted: Retention): void {
    const snapshots = historyOf(record).deletedSnapshots;
    snapshots.set(snapshotId(deleted.deletedAt, (id) => snapshots.has(id) || record.snapshots.has(id)), { ...state, deleted });
    this.#expiresAt(deleted);
  }

  /** Notes when a retention ends, so the sweep runs once it is due. */
  #expiresAt(retention: Retention): void {
    this.#nextExpiry = Math.min(this.#nextExpiry, retention.expiresAt);
  }

  /** Counts a record's bytes again after a change that began with `before`; a record the change removed counts none. */
  #recount(container: ContainerRecord, record: BlobRecord, before: number): void {
    this.#storedBytes += (container.blobs.get(record.name) === record ? blobBytes(record) : 0) - before;
  }

  /** The retention a delete in this container gets now, from its account's DeleteRetentionPolicy; undefined without soft delete. */
  #blobRetention(container: ContainerRecord, now: number): Retention | undefined {
    const account = this.#accountOf.get(container);
    const days = account === undefined ? undefined : blobRetentionDays(this.serviceProperties(account));
    return days === undefined ? undefined : retentionOf(now, days);
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

  /** A change that makes a new version (Set Blob Metadata): with versioning the state before it is kept. */
  updateBlobVersion(blob: BlobRecord, change: Partial<BlobState>, now: number): void {
    if (this.features.versioning) {
      keepAsVersion(blob);
      this.#storedBytes += contentBytes(blob.content);
      change = { ...change, versionId: nextVersionId(now, blob) };
    }
    this.updateBlob(blob, change, now);
  }

  /**
   * Deletes the base blob (with its snapshots, or `only` them). Versioning
   * keeps it as a previous version; soft delete keeps it, and the snapshots,
   * until their retention ends. Answers whether nothing was kept.
   */
  deleteBlob(container: ContainerRecord, name: string, snapshots: 'include' | 'only' | undefined, now: number): { permanent: boolean } {
    const blob = this.blob(container, name);
    if (blob.snapshots.size > 0 && snapshots === undefined) throw new BlobDomainError('SnapshotsPresent');
    const retention = this.#blobRetention(container, now);
    const before = blobBytes(blob);
    for (const [id, snapshot] of blob.snapshots) {
      if (retention) historyOf(blob).deletedSnapshots.set(id, { ...snapshot, deleted: retention });
    }
    blob.snapshots = none();
    if (snapshots !== 'only') {
      if (this.features.versioning) keepAsVersion(blob);
      else if (retention) historyOf(blob).deletedBase = { ...stateOf(blob), deleted: retention };
      this.#leaveHistoryOnly(container, blob);
    }
    if (retention) this.#expiresAt(retention);
    this.#recount(container, blob, before);
    return { permanent: retention === undefined && (snapshots === 'only' || !this.features.versioning) };
  }

  /** The record of a name whose current blob is gone: it stays for its history, or leaves when there is none. */
  #leaveHistoryOnly(container: ContainerRecord, blob: BlobRecord): void {
    if (!keepsHistory(blob.history)) {
      container.blobs.delete(blob.name);
      return;
    }
    // What is left is a placeholder, as for a blob with only staged blocks: nothing of the deleted state shows through it.
    const placeholder: Partial<BlobRecord> = { type: 'BlockBlob', content: new ChunkedContent(), properties: {}, metadata: NO_PAIRS, tags: NO_PAIRS, blocks: [], appendCount: 0, sequenceNumber: 0 };
    const cleared = { copy: undefined, accessTier: undefined, accessTierChangedOn: undefined, rehydration: undefined, sealed: undefined, versionId: undefined };
    Object.assign(blob, placeholder, cleared, { lease: NO_LEASE, committed: false, uncommitted: none(), snapshots: none() });
  }

  deleteSnapshot(container: ContainerRecord, name: string, snapshot: string, now: number): { permanent: boolean } {
    const record = container.blobs.get(name);
    const state = record?.snapshots.get(snapshot);
    if (!record || !state) throw new BlobDomainError('BlobNotFound');
    record.snapshots.delete(snapshot);
    const retention = this.#blobRetention(container, now);
    if (retention) {
      historyOf(record).deletedSnapshots.set(snapshot, { ...state, deleted: retention });
      this.#expiresAt(retention);
      return { permanent: false };
    }
    this.#storedBytes -= contentBytes(state.content);
    return { permanent: true };
  }

  /** Deletes one version (the current one too); soft delete keeps it until its retention ends. */
  deleteVersion(container: ContainerRecord, name: string, version: string, now: number): { permanent: boolean } {
    const record = container.blobs.get(name);
    const isCurrent = record?.committed === true && record.versionId === version;
    const state: (BlobState & { deleted?: Retention }) | undefined = isCurrent ? stateOf(record) : record?.history?.versions.get(version);
    if (!record || !state || state.deleted) throw new BlobDomainError('BlobNotFound');
    if (isCurrent && record.snapshots.size > 0) throw new BlobDomainError('SnapshotsPresent');
    const before = blobBytes(record);
    const retention = this.#blobRetention(container, now);
    if (retention) {
      historyOf(record).versions.set(version, { ...state, deleted: retention });
      this.#expiresAt(retention);
    } else {
      record.history?.versions.delete(version);
    }
    if (isCurrent) this.#leaveHistoryOnly(container, record);
    else if (holdsNothing(record)) container.blobs.delete(name);
    this.#recount(container, record, before);
    return { permanent: retention === undefined };
  }

  /**
   * Undelete Blob: the soft-deleted snapshots and versions of a name come
   * back, and without versioning its soft-deleted base blob. A blob with
   * nothing deleted is left as it is; a name never seen is BlobNotFound.
   */
  undeleteBlob(container: ContainerRecord, name: string, now: number): void {
    this.expireDue(now);
    const record = container.blobs.get(name);
    if (!record || (!record.committed && !keepsHistory(record.history))) throw new BlobDomainError('BlobNotFound');
    const history = record.history;
    if (!history) return;
    if (history.deletedBase && !record.committed) {
      const { deleted: _deleted, ...state } = history.deletedBase;
      Object.assign(record, state, { committed: true });
      history.deletedBase = undefined;
    }
    if (history.deletedSnapshots.size > 0) {
      if (record.snapshots === NO_ENTRIES) record.snapshots = new Map();
      for (const [id, { deleted: _deleted, ...state }] of history.deletedSnapshots) record.snapshots.set(id, state);
      history.deletedSnapshots.clear();
    }
    for (const [id, version] of history.versions) {
      if (!version.deleted) continue;
      const { deleted: _deleted, ...state } = version;
      history.versions.set(id, state);
    }
  }

  /**
   * Removes for good what soft delete kept past its retention, at the first
   * look after the emulators' clock passes it (a listing, an undelete, a
   * restore, a write): a sweep only runs once something is due.
   */
  expireDue(now: number): void {
    if (now < this.#nextExpiry) return;
    let next = Infinity;
    const keep = (retention: Retention | undefined): boolean => {
      if (retention === undefined) return true;
      if (hasExpired(retention, now)) return false;
      next = Math.min(next, retention.expiresAt);
      return true;
    };
    for (const data of this.#accounts.values()) {
      data.deletedContainers = data.deletedContainers.filter((d) => {
        if (keep(d.deleted)) return true;
        this.#storedBytes -= containerBytes(d.container);
        return false;
      });
      for (const container of [...data.containers.values(), ...data.deletedContainers.map((d) => d.container)]) {
        for (const record of [...container.blobs.values()]) {
          const history = record.history;
          if (!history) continue;
          const before = blobBytes(record);
          for (const [id, snapshot] of history.deletedSnapshots) if (!keep(snapshot.deleted)) history.deletedSnapshots.delete(id);
          for (const [id, version] of history.versions) if (!keep(version.deleted)) history.versions.delete(id);
          if (history.deletedBase && !keep(history.deletedBase.deleted)) history.deletedBase = undefined;
          if (holdsNothing(record)) container.blobs.delete(record.name);
          this.#recount(container, record, before);
        }
      }
    }
    this.#nextExpiry = next;
  }

  /** Freezes the blob's current state under a new snapshot id and returns the id. */
  createSnapshot(blob: BlobRecord, now: number, metadata: Record<string, string> | undefined): string {
    const id = snapshotId(now, (taken) => blob.snapshots.has(taken) || blob.history?.deletedSnapshots.has(taken) === true);
    if (blob.snapshots === NO_ENTRIES) blob.snapshots = new Map();
    const state = stateOf(blob);
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
      // A blob with only staged blocks does not exist yet, nor one with only history: not even as a virtual directory.
      const listed = listedItems(record, options);
      if (listed.length === 0) continue;
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
      for (const entry of listed) {
        const item = entry.item;
        if (resume !== undefined && itemRank(item) < itemRank(resume)) continue;
        if (items.length === maxResults) return { items, nextMarker: first ? { name } : { name, item } };
        items.push(entry);
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
      account = { containers: new SortedMap(), serviceProperties: {}, deletedContainers: [] };
      this.#accounts.set(name, account);
    }
    return account;
  }
}

/**
 * What one name lists, in order: its snapshots, oldest first (soft-deleted
 * ones among them with include=deleted), then with include=versions its
 * versions by id, the current one last, else the base blob (a staged-only one
 * when asked for); last a soft-deleted base blob.
 */
function listedItems(record: BlobRecord, options: ListBlobsOptions): ListedBlobItem[] {
  const items: ListedBlobItem[] = [];
  const history = record.history;
  if (options.snapshots) {
    for (const [snapshot, state] of record.snapshots) items.push({ kind: 'blob', record, state, snapshot, item: snapshot });
    if (options.deleted && history) {
      for (const [snapshot, state] of history.deletedSnapshots) items.push({ kind: 'blob', record, state, snapshot, deleted: state.deleted, item: snapshot });
    }
  }
  if (options.versions && history) {
    for (const [id, state] of history.versions) {
      if (state.deleted && !options.deleted) continue;
      items.push({ kind: 'blob', record, state, version: { id, current: false }, ...(state.deleted ? { deleted: state.deleted } : {}), item: `v${id}` });
    }
  }
  const current = record.committed || (options.uncommitted && record.uncommitted.size > 0);
  if (current && record.versionId !== undefined && record.committed) {
    items.push({ kind: 'blob', record, state: record, version: { id: record.versionId, current: true }, item: options.versions ? `v${record.versionId}` : '' });
  } else if (current) {
    items.push({ kind: 'blob', record, state: record, item: '' });
  } else if (options.deletedWithVersions && !options.versions && history && history.versions.size > 0) {
    const latest = [...history.versions.values()].at(-1)!;
    items.push({ kind: 'blob', record, state: latest, hasVersionsOnly: true, item: '' });
  }
  if (options.deleted && history?.deletedBase) items.push({ kind: 'blob', record, state: history.deletedBase, deleted: history.deletedBase.deleted, item: '~' });
  return items.sort((a, b) => ordinal(itemRank(a.item), itemRank(b.item)));
}

// Snapshot ids (timestamps) come first, then versions (`v<id>`), then the base blob (''), then a soft-deleted base ('~').
function itemRank(item: string): string {
  return item === '' ? '\ufffe' : item === '~' ? '\uffff' : item;
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
  return {
    containers: data.containers.copy(copyContainer),
    serviceProperties: plainCopy(data.serviceProperties),
    deletedContainers: data.deletedContainers.map((d) => ({ ...d, container: copyContainer(d.container) })),
  };
}

function copyContainer(container: ContainerRecord): ContainerRecord {
  return { ...container, blobs: container.blobs.copy(copyBlob) };
}

function copyBlob(blob: BlobRecord): BlobRecord {
  return {
    ...blob,
    uncommitted: blob.uncommitted === NO_ENTRIES ? blob.uncommitted : new Map(blob.uncommitted),
    snapshots: blob.snapshots === NO_ENTRIES ? blob.snapshots : new Map([...blob.snapshots].map(([id, state]) => [id, { ...state }])),
    ...(blob.history ? { history: copyHistory(blob.history) } : {}),
  };
}

function copyHistory(history: BlobHistory): BlobHistory {
  return {
    versions: new Map([...history.versions].map(([id, state]) => [id, { ...state }])),
    deletedSnapshots: new Map([...history.deletedSnapshots].map(([id, state]) => [id, { ...state }])),
    ...(history.deletedBase ? { deletedBase: { ...history.deletedBase } } : {}),
  };
}

/** When each soft-deleted state a blob's history keeps leaves for good. */
function* retentionsIn(history: BlobHistory): Iterable<Retention> {
  for (const version of history.versions.values()) if (version.deleted) yield version.deleted;
  for (const snapshot of history.deletedSnapshots.values()) yield snapshot.deleted;
  if (history.deletedBase) yield history.deletedBase.deleted;
}

/** A name with no committed blob, no staged blocks and nothing kept: its record can go. */
function holdsNothing(record: BlobRecord): boolean {
  return !record.committed && record.uncommitted.size === 0 && !keepsHistory(record.history);
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
  const history = blob.history;
  if (history) {
    for (const version of history.versions.values()) total += contentBytes(version.content);
    for (const snapshot of history.deletedSnapshots.values()) total += contentBytes(snapshot.content);
    if (history.deletedBase) total += contentBytes(history.deletedBase.content);
  }
  return total;
}

function contentBytes(content: BlobContent): number {
  return content instanceof PageContent ? content.runs.reduce((n, run) => n + run.data.length, 0) : content.length;
}

const snapshotId = timestampId;

/**
 * The version of a deleted container, unique among the deleted containers of
 * its name: 16 hex digits, the form Azure gives (a FILETIME of the deletion).
 */
function containerVersion(now: number, taken: Set<string>): string {
  const filetime = BigInt(now) * 10_000n + 116_444_736_000_000_000n;
  for (let tick = 0n; ; tick++) {
    const version = (filetime + tick).toString(16).toUpperCase().padStart(16, '0');
    if (!taken.has(version)) return version;
  }
}
