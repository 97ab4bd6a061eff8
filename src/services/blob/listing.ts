import { httpDate } from '../storage-common/dates.js';
import type { StorageRequest } from '../storage-common/request.js';
import { commonErrors } from '../storage-common/storage-error.js';
import type { XmlNode } from '../storage-common/xml.js';
import { isLocked, leaseAt, NO_LEASE, type Lease } from './lease.js';
import type { BlobState, ContainerRecord } from './model.js';

// The parts every listing shares: paging parameters and the XML of one item.

export const MAX_RESULTS = 5000;

/** `maxresults`: 1..5000 (larger asks are capped), default 5000; zero or junk is 400. */
export function maxResultsOf(request: StorageRequest): number {
  const text = request.query.get('maxresults');
  if (text === null) return MAX_RESULTS;
  if (!/^-?\d+$/.test(text)) throw commonErrors.invalidQueryParameterValue('maxresults', text);
  const value = Number(text);
  if (value < 1) throw commonErrors.outOfRangeQueryParameterValue('maxresults', text, 1, 2147483647);
  return Math.min(value, MAX_RESULTS);
}

/** The comma-separated `include` values, each checked against the ones the operation knows. */
export function includesOf(request: StorageRequest, known: readonly string[]): Set<string> {
  const values = request.query.getAll('include').flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter(Boolean);
  for (const value of values) if (!known.includes(value)) throw commonErrors.invalidQueryParameterValue('include', value);
  return new Set(values);
}

/** `http://host/account/`, the ServiceEndpoint attribute of listings. */
export function serviceEndpointOf(request: StorageRequest): string {
  return `http://${request.header('host') ?? '127.0.0.1'}/${request.account.name}/`;
}

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
      DefaultEncryptionScope: '$account-encryption-key',
      DenyEncryptionScopeOverride: false,
    },
    ...(withMetadata ? { Metadata: metadataXml(container.metadata) } : {}),
  };
}

/** One `<Blob>` of List Blobs, in Azure's element order. */
export function blobXml(
  name: string,
  state: BlobState,
  options: { snapshot?: string; lease?: Lease; now: number; include: Set<string> },
): XmlNode {
  const p = state.properties;
  const lease = options.snapshot ? NO_LEASE : leaseAt(options.lease ?? NO_LEASE, options.now);
  return {
    Name: name,
    ...(options.snapshot ? { Snapshot: options.snapshot } : {}),
    Properties: {
      'Creation-Time': httpDate(state.createdAt),
      'Last-Modified': httpDate(state.lastModified),
      Etag: state.etag.replace(/"/g, ''),
      'Content-Length': state.content.length,
      'Content-Type': p.contentType ?? 'application/octet-stream',
      'Content-Encoding': p.contentEncoding ?? '',
      'Content-Language': p.contentLanguage ?? '',
      'Content-MD5': p.contentMd5 ?? '',
      'Content-Disposition': p.contentDisposition ?? '',
      'Cache-Control': p.cacheControl ?? '',
      ...(state.type === 'PageBlob' ? { 'x-ms-blob-sequence-number': state.sequenceNumber } : {}),
      BlobType: state.type,
      ...(state.type === 'BlockBlob' ? { AccessTier: 'Hot', AccessTierInferred: true } : {}),
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
    ...(options.include.has('tags') && Object.keys(state.tags).length > 0 ? { Tags: tagsXml(state.tags) } : {}),
  };
}
