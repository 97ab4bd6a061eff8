import { randomUUID } from 'node:crypto';
import { crc64Base64 } from '../../storage-common/crc64.js';
import { validMetadataOf } from '../../storage-common/metadata.js';
import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import type { BlobStore } from '../blob-store.js';
import { contentPropertiesOf } from '../blob-request.js';
import { etagHeaders } from '../blob-headers.js';
import { BlobDomainError } from '../errors.js';
import { verifySourceChecksums, type CopySources } from '../copy-source.js';
import { assertBlobWritable } from '../preconditions.js';
import { parseTagsHeader } from '../tags.js';
import { commonErrors, StorageError } from '../../storage-common/storage-error.js';
import { isArchived, requestedTier } from '../tiers.js';
import { blobTarget } from './blob-handlers.js';

/**
 * Copies complete at once, so Copy Blob answers `success` right away and a
 * poller stops at its first look.
 */
export function copyHandlers(store: BlobStore, sources: CopySources) {
  return {
    /** Copy Blob, Copy Blob From URL (x-ms-requires-sync) and Put Blob From URL (x-ms-blob-type). */
    async copy(request: StorageRequest): Promise<StorageResponse> {
      const sourceUrl = request.header('x-ms-copy-source')!;
      if (blobTarget(store, request).snapshot !== undefined) throw new BlobDomainError('InvalidOperation');
      const metadata = validMetadataOf(request);
      const putFromUrl = request.header('x-ms-blob-type') !== undefined;
      const sync = putFromUrl || request.header('x-ms-requires-sync') === 'true';
      const copySourceTags = sync && copiesSourceTags(request);
      const tags = parseTagsHeader(request.header('x-ms-tags'));
      const source = await sources.blob(request);
      const accessTier = requestedTier(request, source.type);
      // Only an asynchronous copy to an online tier may read an archived source: that is how Azure rehydrates by copy.
      if (source.state && isArchived(source.state, request.now) && (sync || accessTier === undefined || accessTier === 'Archive')) {
        if (new URL(sourceUrl).pathname.split('/')[1] !== request.account.name) throw new StorageError(409, 'CannotVerifyCopySource', 'This operation is not permitted on an archived blob.');
        throw new BlobDomainError('BlobArchived');
      }
      // Only the synchronous copies read the source here, so only they can check its checksums.
      const checksums = sync ? verifySourceChecksums(request, source.content) : {};
      // Checked after the source is read, with nothing awaited before the write.
      const { container, name } = blobTarget(store, request);
      assertBlobWritable(request, store.findBlob(container, name));
      store.quota.check(source.content.length);
      const copy = putFromUrl
        ? undefined
        : { id: randomUUID(), source: sourceUrl, status: 'success' as const, progress: `${source.content.length}/${source.content.length}`, completedAt: request.now };
      const blob = store.putBlob(
        container,
        name,
        {
          // Put Blob From URL makes a block blob of whatever the source is.
          type: putFromUrl ? 'BlockBlob' : source.type,
          content: source.content,
          properties: putFromUrl ? { ...(copiesSourceProperties(request) ? source.properties : {}), ...contentPropertiesOf(request, false) } : { ...source.properties },
          metadata: Object.keys(metadata).length > 0 || putFromUrl ? metadata : { ...source.metadata },
          tags: copySourceTags ? { ...source.state?.tags } : tags,
          ...(source.state && !putFromUrl ? { blocks: source.state.blocks, appendCount: source.state.appendCount, sequenceNumber: source.state.sequenceNumber } : {}),
          accessTier,
          sealed: source.type === 'AppendBlob' && request.header('x-ms-seal-blob') === 'true',
          copy,
        },
        request.now,
      );
      const checksumHeaders = { 'Content-MD5': checksums.md5, 'x-ms-content-crc64': checksums.crc64 };
      if (putFromUrl) return { status: 201, headers: { ...etagHeaders(blob), ...checksumHeaders, 'x-ms-request-server-encrypted': true } };
      if (!sync) return { status: 202, headers: { ...etagHeaders(blob), ...checksumHeaders, 'x-ms-copy-id': copy!.id, 'x-ms-copy-status': 'success' } };
      // A synchronous copy writes the bytes in this request, so Azure answers as for a write: their CRC-64 unless the client chose MD5.
      const crc64 = checksums.crc64 ?? (checksums.md5 === undefined ? crc64Base64(source.content.read(0, source.content.length)) : undefined);
      return {
        status: 202,
        headers: { ...etagHeaders(blob), 'Content-MD5': checksums.md5, 'x-ms-content-crc64': crc64, 'x-ms-copy-id': copy!.id, 'x-ms-copy-status': 'success', 'x-ms-request-server-encrypted': true },
      };
    },

    /** Abort Copy Blob: nothing is ever pending here. */
    abort(request: StorageRequest): StorageResponse {
      const { container, name } = blobTarget(store, request);
      store.blob(container, name);
      throw new BlobDomainError('NoPendingCopyOperation');
    },
  };
}

/** Put Blob From URL takes the source's HTTP headers unless `x-ms-copy-source-blob-properties: false`. */
function copiesSourceProperties(request: StorageRequest): boolean {
  return request.header('x-ms-copy-source-blob-properties')?.toLowerCase() !== 'false';
}

/**
 * `x-ms-copy-source-tag-option`: REPLACE (the default) takes the tags of
 * `x-ms-tags`; COPY takes the source's and may not be combined with them.
 */
function copiesSourceTags(request: StorageRequest): boolean {
  const option = request.header('x-ms-copy-source-tag-option');
  if (option === undefined || option.toUpperCase() === 'REPLACE') return false;
  if (option.toUpperCase() !== 'COPY') throw commonErrors.invalidHeaderValue('x-ms-copy-source-tag-option', option);
  if (request.header('x-ms-tags') !== undefined) throw new BlobDomainError('BothUserTagsAndSourceTagsCopyPresentException');
  return true;
}
