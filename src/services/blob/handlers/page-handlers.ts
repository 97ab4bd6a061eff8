import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { commonErrors } from '../../storage-common/storage-error.js';
import { toXml } from '../../storage-common/xml.js';
import type { BlobStore } from '../blob-store.js';
import { byteRangeOf, integerHeader } from '../blob-request.js';
import { etagHeaders } from '../blob-headers.js';
import { ChunkedContent, PAGE_SIZE, PageContent } from '../content.js';
import type { WriteBody } from '../copy-source.js';
import { BlobDomainError } from '../errors.js';
import type { BlobRecord } from '../model.js';
import { assertBlobReadable } from '../preconditions.js';
import { blobTarget, writeTarget } from './blob-handlers.js';

const MAX_PAGE_WRITE = 4 * 1024 * 1024;

export function pageHandlers(store: BlobStore, writeBody: WriteBody) {
  const pageTarget = (request: StorageRequest) => {
    const blob = writeTarget(store, request, 'PageBlob');
    assertSequenceNumber(request, blob);
    return blob;
  };

  return {
    /** Put Page: `update` writes the body (or, From URL, the source range) to 512-byte aligned pages, `clear` zeroes them. */
    async putPage(request: StorageRequest): Promise<StorageResponse> {
      const write = request.header('x-ms-page-write');
      if (write === undefined) throw commonErrors.missingRequiredHeader('x-ms-page-write');
      if (write !== 'update' && write !== 'clear') throw commonErrors.invalidHeaderValue('x-ms-page-write', write);
      const range = alignedRange(request);
      pageTarget(request);
      if (write === 'clear') {
        const length = request.header('content-length');
        if (length !== undefined && length !== '0') throw commonErrors.invalidHeaderValue('Content-Length', length);
        const blob = pageTarget(request);
        checkWithinBlob(blob, range.end);
        store.updateBlob(blob, { content: (blob.content as PageContent).clear(range.start, range.end + 1) }, request.now);
        return { status: 201, headers: { ...etagHeaders(blob), 'x-ms-blob-sequence-number': blob.sequenceNumber } };
      }
      const body = await writeBody(request, MAX_PAGE_WRITE);
      if (body.length !== range.end - range.start + 1) {
        throw commonErrors.invalidHeaderValue(request.header('x-ms-copy-source') === undefined ? 'Content-Length' : 'x-ms-source-range', String(body.length));
      }
      const blob = pageTarget(request);
      checkWithinBlob(blob, range.end);
      store.updateBlob(blob, { content: (blob.content as PageContent).write(range.start, new ChunkedContent(body.chunks)) }, request.now);
      return {
        status: 201,
        headers: { ...etagHeaders(blob), 'Content-MD5': body.md5, 'x-ms-content-crc64': body.crc64, 'x-ms-blob-sequence-number': blob.sequenceNumber, 'x-ms-request-server-encrypted': true },
      };
    },

    getPageRanges(request: StorageRequest): StorageResponse {
      const { container, name, snapshot, version } = blobTarget(store, request);
      const state = store.blobState(container, name, snapshot, version);
      if (state.type !== 'PageBlob') throw new BlobDomainError('InvalidBlobType');
      assertBlobReadable(request, snapshot === undefined && version === undefined ? (state as BlobRecord) : undefined, state);
      const content = state.content as PageContent;
      const range = byteRangeOf(request);
      // A range that starts past the end is 416; the SDK's default `bytes=0-` on an empty blob is no such range.
      if (range && range.start >= content.length && (range.start > 0 || range.end !== undefined)) throw commonErrors.invalidRange(content.length);
      const ranges = content.ranges(range?.start ?? 0, range?.end === undefined ? content.length : range.end + 1);
      const body = toXml({ PageList: { PageRange: ranges.map(([Start, End]) => ({ Start, End })) } });
      return {
        status: 200,
        headers: { ...etagHeaders(state), 'x-ms-blob-content-length': content.length, 'Content-Type': 'application/xml' },
        body,
      };
    },
  };
}

/** Page writes cover whole 512-byte pages. */
function alignedRange(request: StorageRequest): { start: number; end: number } {
  const range = byteRangeOf(request);
  if (!range || range.end === undefined) throw commonErrors.missingRequiredHeader('x-ms-range');
  if (range.start % PAGE_SIZE !== 0 || (range.end + 1) % PAGE_SIZE !== 0) throw new BlobDomainError('InvalidPageRange');
  return { start: range.start, end: range.end };
}

function checkWithinBlob(blob: BlobRecord, end: number): void {
  if (end >= blob.content.length) throw new BlobDomainError('InvalidPageRange');
}

function assertSequenceNumber(request: StorageRequest, blob: BlobRecord): void {
  const le = integerHeader(request, 'x-ms-if-sequence-number-le', 0, Number.MAX_SAFE_INTEGER);
  const lt = integerHeader(request, 'x-ms-if-sequence-number-lt', 0, Number.MAX_SAFE_INTEGER);
  const eq = integerHeader(request, 'x-ms-if-sequence-number-eq', 0, Number.MAX_SAFE_INTEGER);
  const n = blob.sequenceNumber;
  if ((le !== undefined && n > le) || (lt !== undefined && n >= lt) || (eq !== undefined && n !== eq)) {
    throw new BlobDomainError('SequenceNumberConditionNotMet');
  }
}
