import { newEtag } from '../storage-common/dates.js';
import { StorageQuota } from '../storage-common/quota.js';
import { ChunkedContent, PageContent, type BlobContent } from './content.js';
import { BlobDomainError } from './errors.js';
import { NO_LEASE } from './lease.js';
import type { BlobRecord, BlobState, BlobType, Block, ContainerRecord, ContentProperties, CopyInfo, PublicAccess } from './model.js';
import { ordinal } from '../storage-common/ordinal.js';
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
  marker?: string;
  maxResults: number;
  snapshots: boolean;
  uncommitted: boolean;
}

export type ListedBlob =
  | { kind: 'blob'; record: BlobRecord; state: BlobState; snapshot?: string }
  | { kind: 'prefix'; name: string };

export interface Page<T> {
  items: T[];
  nextMarker?: string;
}

interface AccountData {
  containers: Map<string, ContainerRecord>;
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

  constructor(maxStoredBytes?: number) {
    this.quota = new StorageQuota(maxStoredBytes, () => this.storedBytes());
  }

  /** Bytes held across every account: committed content, snapshots and staged blocks (a page blob counts its written pages). */
  storedBytes(): number {
    let total = 0;
    for (const { containers } of this.#accounts.values()) {
      for (const container of containers.values()) {
        for (const blob of container.blobs.values()) {
          total += contentBytes(blob.content);
          for (const snapshot of blob.snapshots.values()) total += contentBytes(snapshot.content);
          for (const block of blob.uncommitted.values()) total += block.size;
        }
      }
    }
    return total;
  }

  /** Empties one account, or every account. */
  reset(account?: string): void {
    if (account === undefined) this.#accounts.clear();
    else this.#accounts.delete(account);
  }

  serviceProperties(account: string): Record<string, unknown> {
    return this.#account(account).serviceProperties;
  }

  setServiceProperties(account: string, properties: Record<string, unknown>): void {
    this.#account(account).serviceProperties = properties;
  }

  listContainers(account: string, prefix: string, marker: string | undefined, maxResults: number): Page<ContainerRecord> {
    const names = [...this.#account(account).containers.keys()].filter((n) => n.startsWith(prefix) && (marker === undefined || n >= marker)).sort(ordinal);
    const containers = this.#account(account).containers;
    return {
      items: names.slice(0, maxResults).map((n) => containers.get(n)!),
      ...(names.length > maxResults ? { nextMarker: names[maxResults] } : {}),
    };
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
      blobs: new Map(),
    };
    containers.set(name, container);
    return container;
  }

  deleteContainer(account: string, name: string): void {
    if (!this.#account(account).containers.delete(name)) throw new BlobDomainError('ContainerNotFound');
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
      metadata: blob.metadata,
      tags: blob.tags ?? {},
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
      uncommitted: new Map(),
      snapshots: existing?.snapshots ?? new Map(),
    };
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
    record.uncommitted.set(block.id, block);
  }

  /** Applies a change to a blob and gives it a new ETag and Last-Modified. */
  updateBlob(blob: BlobRecord, change: Partial<BlobState>, now: number): void {
    Object.assign(blob, change, { etag: newEtag(now), lastModified: now });
  }

  deleteBlob(container: ContainerRecord, name: string, snapshots: 'include' | 'only' | undefined): void {
    const blob = this.blob(container, name);
    if (blob.snapshots.size > 0 && snapshots === undefined) throw new BlobDomainError('SnapshotsPresent');
    if (snapshots === 'only') blob.snapshots = new Map();
    else container.blobs.delete(name);
  }

  deleteSnapshot(container: ContainerRecord, name: string, snapshot: string): void {
    if (!container.blobs.get(name)?.snapshots.delete(snapshot)) throw new BlobDomainError('BlobNotFound');
  }

  /** Freezes the blob's current state under a new snapshot id and returns the id. */
  createSnapshot(blob: BlobRecord, now: number, metadata: Record<string, string> | undefined): string {
    const id = snapshotId(now, blob.snapshots);
    const { name: _name, lease: _lease, committed: _committed, uncommitted: _uncommitted, snapshots: _snapshots, ...state } = blob;
    blob.snapshots.set(id, { ...state, metadata: metadata ?? { ...blob.metadata } });
    return id;
  }

  /** Blobs (and their snapshots, staged-only blobs, prefixes as asked) in Azure's name order. */
  listBlobs(container: ContainerRecord, options: ListBlobsOptions): Page<ListedBlob> {
    const names = [...container.blobs.keys()].filter((n) => n.startsWith(options.prefix) && (options.marker === undefined || n >= options.marker)).sort(ordinal);
    const items: ListedBlob[] = [];
    const markers: string[] = [];
    let lastPrefix: string | undefined;
    for (const name of names) {
      const record = container.blobs.get(name)!;
      // A blob with only staged blocks does not exist yet: not even as a virtual directory.
      if (!record.committed && !options.uncommitted) continue;
      if (options.delimiter) {
        const at = name.indexOf(options.delimiter, options.prefix.length);
        if (at !== -1) {
          const prefix = name.slice(0, at + options.delimiter.length);
          if (prefix !== lastPrefix) {
            items.push({ kind: 'prefix', name: prefix });
            markers.push(prefix);
            lastPrefix = prefix;
          }
          continue;
        }
      }
      if (options.snapshots) {
        for (const [snapshot, state] of record.snapshots) {
          items.push({ kind: 'blob', record, state, snapshot });
          markers.push(name);
        }
      }
      items.push({ kind: 'blob', record, state: record });
      markers.push(name);
      if (items.length > options.maxResults) break;
    }
    return {
      items: items.slice(0, options.maxResults),
      ...(items.length > options.maxResults ? { nextMarker: markers[options.maxResults] } : {}),
    };
  }

  /** Every committed blob of an account with its container, containers and names in order. */
  *allBlobs(account: string): Iterable<{ container: ContainerRecord; blob: BlobRecord }> {
    const containers = this.#accounts.get(account)?.containers;
    if (!containers) return;
    for (const containerName of [...containers.keys()].sort(ordinal)) {
      const container = containers.get(containerName)!;
      for (const name of [...container.blobs.keys()].sort(ordinal)) {
        const blob = container.blobs.get(name)!;
        if (blob.committed) yield { container, blob };
      }
    }
  }

  /** Accounts that hold containers, in name order. */
  accountNames(): string[] {
    return [...this.#accounts].filter(([, data]) => data.containers.size > 0).map(([name]) => name).sort(ordinal);
  }

  /** An account's containers in name order; looking does not create the account. */
  containersOf(account: string): ContainerRecord[] {
    const containers = this.#accounts.get(account)?.containers;
    return containers ? [...containers.keys()].sort(ordinal).map((name) => containers.get(name)!) : [];
  }

  #account(name: string): AccountData {
    let account = this.#accounts.get(name);
    if (!account) {
      account = { containers: new Map(), serviceProperties: {} };
      this.#accounts.set(name, account);
    }
    return account;
  }
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
