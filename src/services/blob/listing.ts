import { httpDate } from '../storage-common/dates.js';
import type { XmlNode } from '../storage-common/xml.js';
import { isLocked, leaseAt, NO_LEASE, type Lease } from './lease.js';
import type { BlobState, ContainerRecord } from './model.js';
import { tierXml } from './tiers.js';

// The XML of one item of a blob listing; paging parameters are storage-common's.

export function metadataXml(metadata: Record<string, string>): XmlNode {
  return { ...metadata };
}

export function tagsXml(tags: Record<string, string>): XmlNode {
  return { TagSet: { Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } };
}

export function containerXml(container: ContainerRecord, now: number, withMetadata: boolean): XmlNode {
  const lease = leaseAt(container.lease, now);
  return {
    Name: container.name,
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
  options: { snapshot?: string; lease?: Lease; now: number; include: Set<string>; uncommitted?: boolean },
): XmlNode {
  const p = state.properties;
  const lease = options.snapshot ? NO_LEASE : leaseAt(options.lease ?? NO_LEASE, options.now);
  const committed = !options.uncommitted;
  return {
    Name: name,
    ...(options.snapshot ? { Snapshot: options.snapshot } : {}),
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
      ...(Object.keys(state.tags).length > 0 ? { TagCount: Object.keys(state.tags).length } : {}),
    },
    ...(options.include.has('metadata') ? { Metadata: metadataXml(state.metadata) } : {}),
    // Azure lists the object-replication rules of every blob, empty on an account without replication.
    OrMetadata: {},
    ...(options.include.has('tags') && Object.keys(state.tags).length > 0 ? { Tags: tagsXml(state.tags) } : {}),
  };
}
