import type { SignedIdentifier } from '../storage-common/access-policy.js';
import type { SortedMap } from '../storage-common/sorted-map.js';
import type { BlobContent } from './content.js';
import type { Lease } from './lease.js';
import type { AccessTier, Rehydration } from './tiers.js';

export type BlobType = 'BlockBlob' | 'AppendBlob' | 'PageBlob';
export type PublicAccess = 'container' | 'blob';

/** The HTTP headers a blob keeps and answers downloads with. */
export interface ContentProperties {
  contentType?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  contentDisposition?: string;
  cacheControl?: string;
  /** Base64 MD5 of the whole blob, as given or computed on a single upload. */
  contentMd5?: string;
}

export interface Block {
  /** Base64 block id, as the client sent it. */
  id: string;
  size: number;
  chunks: Buffer[];
}

export interface CopyInfo {
  id: string;
  source: string;
  status: 'success';
  progress: string;
  completedAt: number;
}

/** What a blob holds at one moment: the base blob, or one of its snapshots. */
export interface BlobState {
  type: BlobType;
  content: BlobContent;
  properties: ContentProperties;
  metadata: Record<string, string>;
  tags: Record<string, string>;
  etag: string;
  lastModified: number;
  createdAt: number;
  /** Committed blocks of a block blob, in order. */
  blocks: Block[];
  /** Committed blocks of an append blob. */
  appendCount: number;
  sequenceNumber: number;
  copy?: CopyInfo;
  /** A block blob's tier as set on upload or by Set Blob Tier; undefined means inferred (Hot). */
  accessTier?: AccessTier;
  accessTierChangedOn?: number;
  rehydration?: Rehydration;
  /** An append blob sealed by Append Blob Seal (or a copy with x-ms-seal-blob): read-only from then on. */
  sealed?: boolean;
  /** The version this state is, when versioning is on (see versions.ts). */
  versionId?: string;
}

/** When soft delete keeps a deleted state: hidden from reads until undeleted, gone for good at `expiresAt` on the emulators' clock. */
export interface Retention {
  deletedAt: number;
  expiresAt: number;
}

/** A state soft delete keeps. */
export type DeletedState = BlobState & { deleted: Retention };

/**
 * What versioning and soft delete keep of a blob besides its current state.
 * A name whose current blob is gone but whose history is not stays in the
 * container as a record with `committed: false` and no staged blocks.
 */
export interface BlobHistory {
  /** Previous versions by version id, oldest first; a soft-deleted version carries its retention. */
  versions: Map<string, BlobState & { deleted?: Retention }>;
  /** Soft-deleted snapshots by snapshot id. */
  deletedSnapshots: Map<string, DeletedState>;
  /** The base blob, soft-deleted without versioning. */
  deletedBase?: DeletedState;
}

export interface BlobRecord extends BlobState {
  name: string;
  lease: Lease;
  /** False while a block blob has only staged blocks: listed as uncommitted, not readable. */
  committed: boolean;
  uncommitted: Map<string, Block>;
  /** Snapshot id → state, in creation order. */
  snapshots: Map<string, BlobState>;
  /** Absent until versioning or soft delete keeps something. */
  history?: BlobHistory;
}

export interface ContainerRecord {
  name: string;
  metadata: Record<string, string>;
  publicAccess?: PublicAccess;
  etag: string;
  lastModified: number;
  lease: Lease;
  signedIdentifiers: SignedIdentifier[];
  /** By name, walked in name order by listings. */
  blobs: SortedMap<BlobRecord>;
}

/** A container soft delete keeps (`containerSoftDeleteDays`), until restored or its retention ends. */
export interface DeletedContainer {
  container: ContainerRecord;
  /** Tells apart deleted containers of one name: Restore Container names it. */
  version: string;
  deleted: Retention;
}
