import { httpDate } from '../storage-common/dates.js';
import type { XmlNode } from '../storage-common/xml.js';
import { isLocked, leaseAt, NO_LEASE, type Lease } from './lease.js';
import type { BlobState, ContainerRecord, Retention } from './model.js';
import { deletedPropertiesXml } from './soft-delete.js';
import { tierXml } from './tiers.js';

// The XML of one item of a blob listing; paging parameters are storage-common's.

export function metadataXml(metadata: Record<string, string>): XmlNode {
  return { ...metadata };
}

export function tagsXml(tags: Record<string, string>): XmlNode {
  return { TagSet: { Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } };
}

/** One `<Container>` of List Containers; a soft-deleted one (include=deleted) says so, with its version and retention. */
export function containerXml(container: ContainerRecord, now: number, withMetadata: boolean, deleted?: { version: string; deleted: Retention }): XmlNode {
  const lease = leaseAt(container.lease, now);
  return {
    Name: container.name,
    ...(deleted ? { Deleted: true, Version: deleted.version } : {}),
    Properties: {
      'Last-Modified': httpDate(container.lastModified),
      Etag: container.etag,
      LeaseStatus: isLocked(lease) ? 'locked' : 'unlocked',
      LeaseState: lease.state,
      ...(lease.state === 'leased' ? { LeaseDuration: lease.duration === -1 ? 'infinite' : 'fixed' } : {}),
      ...(container.publicAccess ? { PublicAccess: container.publicAccess } : {}),
      HasImmutabilityPolicy: false,
      HasLegalHold: false,
      ImmutableStorageWithVersioningEnabled: false,
      DefaultEncryptionScope: '$account-encryption-key',
      DenyEncryptionScopeOverride: false,
      ...(deleted ? deletedPropertiesXml(deleted.deleted, now) : {}),
    },
    ...(withMetadata ? { Metadata: metadataXml(container.metadata) } : {}),
  };
}

/**
 * One `<Blob>` of List Blobs, in Azure's element order. A blob that only has
 * staged blocks (listed with include=uncommittedblobs) has no content
 * properties or access tier yet: those come with Put Block List.
 */
export function blobXml(
  name: string,
  state: BlobState,
  options: {
    snapshot?: string;
    lease?: Lease;
    now: number;
    include: Set<string>;
    uncommitted?: boolean;
    version?: { id: string; current: boolean };
    deleted?: Retention;
    hasVersionsOnly?: boolean;
  },
): XmlNode {
  const p = state.properties;
  const lease = options.snapshot || options.deleted || options.version?.current === false ? NO_LEASE : leaseAt(options.lease ?? NO_LEASE, options.now);
  const committed = !options.uncommitted;
  return {
    Name: name,
    ...(options.deleted ? { Deleted: true } : {}),
    ...(options.snapshot ? { Snapshot: options.snapshot } : {}),
    ...(options.version ? { VersionId: options.version.id, ...(options.version.current ? { IsCurrentVersion: true } : {}) } : {}),
    Properties: {
      'Creation-Time': httpDate(state.createdAt),
      'Last-Modified': httpDate(state.lastModified),
      Etag: state.etag.replace(/"/g, ''),
      'Content-Length': state.content.length,
      ...(committed
        ? {
            'Content-Type': p.contentType ?? 'application/octet-stream',
            'Content-Encoding': p.contentEncoding ?? '',
            'Content-Language': p.contentLanguage ?? '',
            'Content-MD5': p.contentMd5 ?? '',
            'Content-CRC64': '',
            'Content-Disposition': p.contentDisposition ?? '',
            'Cache-Control': p.cacheControl ?? '',
          }
        : {}),
      ...(state.type === 'PageBlob' ? { 'x-ms-blob-sequence-number': state.sequenceNumber } : {}),
      BlobType: state.type,
      ...(state.type === 'AppendBlob' ? { Sealed: state.sealed === true } : {}),
      ...(committed ? tierXml(state, options.now) : {}),
      LeaseStatus: isLocked(lease) ? 'locked' : 'unlocked',
      LeaseState: lease.state,
      ...(lease.state === 'leased' ? { LeaseDuration: lease.duration === -1 ? 'infinite' : 'fixed' } : {}),
      ...(state.copy && options.include.has('copy')
        ? {
            CopyId: state.copy.id,
            CopyStatus: state.copy.status,
            CopySource: state.copy.source,
            CopyProgress: state.copy.progress,
            CopyCompletionTime: httpDate(state.copy.completedAt),
          }
        : {}),
      ServerEncrypted: true,
      ...(options.deleted ? deletedPropertiesXml(options.deleted, options.now) : {}),
      ...(Object.keys(state.tags).length > 0 ? { TagCount: Object.keys(state.tags).length } : {}),
    },
    ...(options.include.has('metadata') ? { Metadata: metadataXml(state.metadata) } : {}),
    // Azure lists the object-replication rules of every blob, empty on an account without replication.
    OrMetadata: {},
    ...(options.include.has('tags') && Object.keys(state.tags).length > 0 ? { Tags: tagsXml(state.tags) } : {}),
    ...(options.hasVersionsOnly ? { HasVersionsOnly: true } : {}),
  };
}
