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
}

export interface BlobRecord extends BlobState {
  name: string;
  lease: Lease;
  /** False while a block blob has only staged blocks: listed as uncommitted, not readable. */
  committed: boolean;
  uncommitted: Map<string, Block>;
  /** Snapshot id → state, in creation order. */
  snapshots: Map<string, BlobState>;
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
