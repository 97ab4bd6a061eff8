import { randomUUID } from 'node:crypto';
import type { NamespaceRegistry } from '../../../core/namespaces.js';
import { validMetadataOf } from '../../storage-common/metadata.js';
import { parseQuery, type StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { commonErrors, StorageError } from '../../storage-common/storage-error.js';
import type { BlobStore } from '../blob-store.js';
import { blobNameOfPath, contentPropertiesOf } from '../blob-request.js';
import { etagHeaders } from '../blob-headers.js';
import { BlobDomainError } from '../errors.js';
import type { BlobState } from '../model.js';
import { assertBlobWritable } from '../preconditions.js';
import { parseTagsHeader } from '../tags.js';
import { verifyMd5 } from '../../storage-common/body.js';
import { md5Of } from '../content.js';
import { isArchived, requestedTier } from '../tiers.js';
import { blobTarget } from './blob-handlers.js';

/** Authorizes a read of the copy source as if the source URL had been fetched on its own. */
export type SourceAuthorizer = (sourceRequest: StorageRequest) => void;

/**
 * Copies between blobs of this emulator complete at once, so Copy Blob
 * answers `success` right away and a poller stops at its first look.
 */
export function copyHandlers(store: BlobStore, namespaces: NamespaceRegistry, authorizeSource: SourceAuthorizer) {
  const sourceOf = (request: StorageRequest, url: string): BlobState => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw commonErrors.invalidHeaderValue('x-ms-copy-source', url);
    }
    let parts: string[];
    try {
      parts = parsed.pathname.split('/').slice(1).map(decodeURIComponent);
    } catch {
      throw commonErrors.invalidHeaderValue('x-ms-copy-source', url);
    }
    const [accountName = '', container = '', ...rest] = parts;
    const blob = blobNameOfPath(rest);
    const account = namespaces.get(accountName);
    const query = parseQuery(parsed.search.slice(1));
    if (!account || !query || blob === '') throw new BlobDomainError('CannotVerifyCopySource');
    if (account.name !== request.account.name || query.has('sig')) {
      const sourceRequest: StorageRequest = {
        method: 'GET',
        raw: request.raw,
        rawPath: parsed.pathname,
        query,
        account,
        segments: [container, blob],
        requestId: request.requestId,
        now: request.now,
        header: () => undefined,
      };
      try {
        authorizeSource(sourceRequest);
      } catch (error) {
        if (error instanceof StorageError) throw new StorageError(error.status, 'CannotVerifyCopySource', error.message);
        throw error;
      }
    }
    const snapshot = query.get('snapshot') ?? undefined;
    const record = store.findContainer(account.name, container)?.blobs.get(blob);
    const state = snapshot === undefined ? (record?.committed ? record : undefined) : record?.snapshots.get(snapshot);
    if (!state) throw new BlobDomainError('CannotVerifyCopySource');
    return state;
  };

  return {
    /** Copy Blob, Copy Blob From URL (x-ms-requires-sync) and Put Blob From URL (x-ms-blob-type). */
    copy(request: StorageRequest): StorageResponse {
      const sourceUrl = request.header('x-ms-copy-source')!;
      const { container, name, snapshot } = blobTarget(store, request);
      if (snapshot !== undefined) throw new BlobDomainError('InvalidOperation');
      const metadata = validMetadataOf(request);
      const sync = request.header('x-ms-requires-sync') === 'true';
      const putFromUrl = request.header('x-ms-blob-type') !== undefined;
      const copySourceTags = (sync || putFromUrl) && copiesSourceTags(request);
      const tags = parseTagsHeader(request.header('x-ms-tags'));
      const source = sourceOf(request, sourceUrl);
      const accessTier = requestedTier(request, source.type);
      // Only an asynchronous copy to an online tier may read an archived source: that is how Azure rehydrates by copy.
      if (isArchived(source, request.now) && (sync || putFromUrl || accessTier === undefined || accessTier === 'Archive')) {
        if (new URL(sourceUrl).pathname.split('/')[1] !== request.account.name) throw new StorageError(409, 'CannotVerifyCopySource', 'This operation is not permitted on an archived blob.');
        throw new BlobDomainError('BlobArchived');
      }
      // Only the synchronous copies read the source here, so only they can check its MD5.
      const sourceMd5 = sync || putFromUrl ? request.header('x-ms-source-content-md5') : undefined;
      if (sourceMd5 !== undefined) verifyMd5(sourceMd5, md5Of(source.content));
      assertBlobWritable(request, store.findBlob(container, name));
      const copy = putFromUrl
        ? undefined
        : { id: randomUUID(), source: sourceUrl, status: 'success' as const, progress: `${source.content.length}/${source.content.length}`, completedAt: request.now };
      const blob = store.putBlob(
        container,
        name,
        {
          type: source.type,
          content: source.content,
          properties: putFromUrl ? { ...source.properties, ...contentPropertiesOf(request, false) } : { ...source.properties },
          metadata: Object.keys(metadata).length > 0 || putFromUrl ? metadata : { ...source.metadata },
          tags: copySourceTags ? { ...source.tags } : tags,
          blocks: source.blocks,
          appendCount: source.appendCount,
          accessTier,
          sealed: source.type === 'AppendBlob' && request.header('x-ms-seal-blob') === 'true',
          sequenceNumber: source.sequenceNumber,
          copy,
        },
        request.now,
      );
      if (putFromUrl) return { status: 201, headers: { ...etagHeaders(blob), 'Content-MD5': sourceMd5, 'x-ms-request-server-encrypted': true } };
      return { status: 202, headers: { ...etagHeaders(blob), 'x-ms-copy-id': copy!.id, 'x-ms-copy-status': 'success', 'Content-MD5': sourceMd5 } };
    },

    /** Abort Copy Blob: nothing is ever pending here. */
    abort(request: StorageRequest): StorageResponse {
      const { container, name } = blobTarget(store, request);
      store.blob(container, name);
      throw new BlobDomainError('NoPendingCopyOperation');
    },
  };
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
