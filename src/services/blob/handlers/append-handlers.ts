import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import type { BlobStore } from '../blob-store.js';
import { integerHeader } from '../blob-request.js';
import { etagHeaders } from '../blob-headers.js';
import type { ChunkedContent } from '../content.js';
import type { WriteBody } from '../copy-source.js';
import { BlobDomainError } from '../errors.js';
import { commonErrors } from '../../storage-common/storage-error.js';
import { writeTarget } from './blob-handlers.js';

const MAX_APPEND_BLOCK = 100 * 1024 * 1024;
const MAX_APPEND_BLOCKS = 50_000;

export function appendHandlers(store: BlobStore, writeBody: WriteBody) {
  const appendTarget = (request: StorageRequest) => {
    const blob = writeTarget(store, request, 'AppendBlob');
    if (blob.sealed) throw new BlobDomainError('BlobIsSealed');
    return blob;
  };

  return {
    /** Append Block, and Append Block From URL: checked again after the bytes arrive, so a concurrent append cannot slip in between. */
    async appendBlock(request: StorageRequest): Promise<StorageResponse> {
      const maxSize = integerHeader(request, 'x-ms-blob-condition-maxsize', 0, Number.MAX_SAFE_INTEGER);
      const position = integerHeader(request, 'x-ms-blob-condition-appendpos', 0, Number.MAX_SAFE_INTEGER);
      if (request.header('content-length') === '0' && request.header('x-ms-copy-source') === undefined) throw commonErrors.invalidHeaderValue('Content-Length', '0');
      appendTarget(request);
      const body = await writeBody(request, MAX_APPEND_BLOCK);
      const blob = appendTarget(request);
      const offset = blob.content.length;
      if (maxSize !== undefined && offset + body.length > maxSize) throw new BlobDomainError('MaxBlobSizeConditionNotMet');
      if (position !== undefined && position !== offset) throw new BlobDomainError('AppendPositionConditionNotMet');
      if (blob.appendCount >= MAX_APPEND_BLOCKS) throw new BlobDomainError('BlockCountExceedsLimit');
      store.updateBlob(blob, { content: (blob.content as ChunkedContent).append(body.chunks), appendCount: blob.appendCount + 1 }, request.now);
      return {
        status: 201,
        headers: {
          ...etagHeaders(blob),
          'Content-MD5': body.md5,
          'x-ms-content-crc64': body.crc64,
          'x-ms-blob-append-offset': offset,
          'x-ms-blob-committed-block-count': blob.appendCount,
          'x-ms-request-server-encrypted': true,
        },
      };
    },

    /** Append Blob Seal: no more appends; sealing a sealed blob again changes nothing. */
    seal(request: StorageRequest): StorageResponse {
      const position = integerHeader(request, 'x-ms-blob-condition-appendpos', 0, Number.MAX_SAFE_INTEGER);
      const blob = writeTarget(store, request, 'AppendBlob');
      if (position !== undefined && position !== blob.content.length) throw new BlobDomainError('AppendPositionConditionNotMet');
      if (!blob.sealed) store.updateBlob(blob, { sealed: true }, request.now);
      return { status: 200, headers: { ...etagHeaders(blob), 'x-ms-blob-sealed': true } };
    },
  };
}
