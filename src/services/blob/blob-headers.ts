import type { HeaderValue } from '../storage-common/response.js';
import { httpDate } from '../storage-common/dates.js';
import { metadataResponseHeaders } from '../storage-common/metadata.js';
import { isLocked, leaseAt, type Lease } from './lease.js';
import type { BlobState, ContainerRecord } from './model.js';

// Response headers that describe blobs and containers.

export function etagHeaders(target: { etag: string; lastModified: number }): Record<string, HeaderValue> {
  return { ETag: target.etag, 'Last-Modified': httpDate(target.lastModified) };
}

export function leaseHeaders(lease: Lease, now: number): Record<string, HeaderValue> {
  const current = leaseAt(lease, now);
  return {
    'x-ms-lease-status': isLocked(current) ? 'locked' : 'unlocked',
    'x-ms-lease-state': current.state,
    'x-ms-lease-duration': current.state === 'leased' ? (current.duration === -1 ? 'infinite' : 'fixed') : undefined,
  };
}

// Built with Object.assign onto a fresh object rather than `{ ...a, name: value }`:
// V8 defines every property that follows a spread in a literal through a slow
// runtime call (about a microsecond each), and these run on every read.

/** Everything Get Blob and Get Blob Properties say about a blob, except length and range. */
export function blobHeaders(state: BlobState, lease: Lease, now: number): Record<string, HeaderValue> {
  const p = state.properties;
  const tagCount = Object.keys(state.tags).length;
  return Object.assign(
    etagHeaders(state),
    {
      // Blobs created without a type have Azure's default; one cleared by Set Blob Properties ('') has none.
      'Content-Type': p.contentType === '' ? undefined : (p.contentType ?? 'application/octet-stream'),
      'Content-Encoding': p.contentEncoding,
      'Content-Language': p.contentLanguage,
      'Content-Disposition': p.contentDisposition,
      'Cache-Control': p.cacheControl,
      'x-ms-blob-type': state.type,
      'x-ms-creation-time': httpDate(state.createdAt),
      'x-ms-server-encrypted': true,
      'Accept-Ranges': 'bytes',
      'x-ms-tag-count': tagCount > 0 ? tagCount : undefined,
      'x-ms-blob-committed-block-count': state.type === 'AppendBlob' ? state.appendCount : undefined,
      'x-ms-blob-sealed': state.type === 'AppendBlob' ? state.sealed === true : undefined,
      'x-ms-blob-sequence-number': state.type === 'PageBlob' ? state.sequenceNumber : undefined,
    },
    state.copy && {
      'x-ms-copy-id': state.copy.id,
      'x-ms-copy-source': state.copy.source,
      'x-ms-copy-status': state.copy.status,
      'x-ms-copy-progress': state.copy.progress,
      'x-ms-copy-completion-time': httpDate(state.copy.completedAt),
    },
    leaseHeaders(lease, now),
    metadataResponseHeaders(state.metadata),
  );
}

export function containerHeaders(container: ContainerRecord, now: number): Record<string, HeaderValue> {
  return Object.assign(etagHeaders(container), leaseHeaders(container.lease, now), metadataResponseHeaders(container.metadata), {
    'x-ms-blob-public-access': container.publicAccess,
    'x-ms-has-immutability-policy': false,
    'x-ms-has-legal-hold': false,
    'x-ms-immutable-storage-with-versioning-enabled': false,
    'x-ms-default-encryption-scope': '$account-encryption-key',
    'x-ms-deny-encryption-scope-override': false,
  });
}
