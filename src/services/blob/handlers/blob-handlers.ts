import { receiveBody, verifyMd5 } from '../../storage-common/body.js';
import { claimedCrc64, crc64Base64, verifiedCrc64 } from '../../storage-common/crc64.js';
import { metadataResponseHeaders, validMetadataOf } from '../../storage-common/metadata.js';
import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { commonErrors } from '../../storage-common/storage-error.js';
import type { BlobStore } from '../blob-store.js';
import { assertConditions } from '../../storage-common/conditions.js';
import { blobNameOf, byteRangeOf, leaseIdOf, containerNameOf, contentPropertiesOf, integerHeader } from '../blob-request.js';
import { blobHeaders, etagHeaders } from '../blob-headers.js';
import { ChunkedContent, md5Of, PageContent, PAGE_SIZE } from '../content.js';
import { BlobDomainError } from '../errors.js';
import { checkLeaseAccess, leaseAt, NO_LEASE } from '../lease.js';
import type { BlobRecord, BlobState, BlobType, ContainerRecord } from '../model.js';
import { assertBlobReadable, assertBlobWritable, assertTagCondition } from '../preconditions.js';
import { parseTagsHeader } from '../tags.js';
import { assertNotArchived, requestedTier, tierHeaders } from '../tiers.js';
import { leaseOperation } from './lease-handler.js';

/** Azure's limit for a single Put Blob (service version 2019-12-12 and later). */
const MAX_PUT_BLOB = 5000 * 1024 * 1024;
/** x-ms-range-get-content-md5 and -crc64 are refused for ranges above 4 MiB. */
const MAX_RANGE_MD5 = 4 * 1024 * 1024;
const MAX_PAGE_BLOB = 8 * 1024 ** 4;

/** Addressing shared by every blob handler: the container, the blob name, a snapshot id. */
export function blobTarget(store: BlobStore, request: StorageRequest): { container: ContainerRecord; name: string; snapshot?: string } {
  const name = blobNameOf(request);
  const container = store.container(request.account.name, containerNameOf(request));
  const snapshot = request.query.get('snapshot') ?? undefined;
  if (snapshot !== undefined && Number.isNaN(Date.parse(snapshot))) throw commonErrors.invalidQueryParameterValue('snapshot', snapshot);
  return { container, name, ...(snapshot !== undefined ? { snapshot } : {}) };
}

/** The base blob a request addresses: operations that change a blob refuse snapshots. */
export function baseBlob(store: BlobStore, request: StorageRequest): BlobRecord {
  const { container, name, snapshot } = blobTarget(store, request);
  if (snapshot !== undefined) throw new BlobDomainError('InvalidOperation');
  return store.blob(container, name);
}

/** The base blob a write addresses, of `type` when the operation needs one, its lease and conditions met. */
export function writeTarget(store: BlobStore, request: StorageRequest, type?: BlobType): BlobRecord {
  const blob = baseBlob(store, request);
  if (type !== undefined && blob.type !== type) throw new BlobDomainError('InvalidBlobType');
  assertBlobWritable(request, blob);
  return blob;
}

export function blobHandlers(store: BlobStore) {
  /** The state a read addresses: a snapshot, or the base blob with its lease. */
  const readTarget = (request: StorageRequest) => {
    const { container, name, snapshot } = blobTarget(store, request);
    const state = store.blobState(container, name, snapshot);
    const record = snapshot === undefined ? (state as BlobRecord) : undefined;
    assertBlobReadable(request, record, state);
    return { state, record };
  };

  return {
    /** Put Blob for all three blob types; a block blob's body streams into stored chunks. */
    async put(request: StorageRequest): Promise<StorageResponse> {
      const type = blobTypeOf(request);
      const accessTier = requestedTier(request, type);
      const metadata = validMetadataOf(request);
      const tags = parseTagsHeader(request.header('x-ms-tags'));
      const check = () => {
        const { container, name } = blobTarget(store, request);
        assertBlobWritable(request, store.findBlob(container, name));
        return { container, name };
      };
      check();
      if (type === 'BlockBlob') {
        const claimedCrc = claimedCrc64(request);
        const body = await receiveBody(request.raw, MAX_PUT_BLOB, store.quota);
        // On Put Blob the blob's own MD5 describes this very body: Azure checks it, in place of Content-MD5 when both are sent.
        verifyMd5(request.header('x-ms-blob-content-md5') ?? request.header('content-md5'), body.md5);
        // Azure answers the body's CRC-64 unless the client chose MD5, as on Put Block.
        const crc64 = claimedCrc !== undefined || request.header('content-md5') === undefined ? verifiedCrc64(claimedCrc, body.chunks) : undefined;
        const { container, name } = check();
        const properties = { contentMd5: body.md5, ...contentPropertiesOf(request, true) };
        const blob = store.putBlob(container, name, { type, content: new ChunkedContent(body.chunks), properties, metadata, tags, accessTier }, request.now);
        return { status: 201, headers: Object.assign(etagHeaders(blob), { 'Content-MD5': body.md5, 'x-ms-content-crc64': crc64, 'x-ms-request-server-encrypted': true }) };
      }
      const length = request.header('content-length');
      if (length !== undefined && length !== '0') throw commonErrors.invalidHeaderValue('Content-Length', length);
      const properties = contentPropertiesOf(request, true);
      const { container, name } = check();
      const blob =
        type === 'AppendBlob'
          ? store.putBlob(container, name, { type, content: new ChunkedContent(), properties, metadata, tags }, request.now)
          : store.putBlob(container, name, { type, content: new PageContent(pageBlobLength(request)), properties, metadata, tags, sequenceNumber: sequenceNumberOf(request) ?? 0 }, request.now);
      return { status: 201, headers: { ...etagHeaders(blob), 'x-ms-request-server-encrypted': true } };
    },

    /** Get Blob: the whole blob or one range, streamed from the stored chunks. */
    get(request: StorageRequest): StorageResponse {
      const { state, record } = readTarget(request);
      assertNotArchived(state, request.now);
      const size = state.content.length;
      // Object.assign, not spreads: these run on every download (see blobHeaders).
      const headers = Object.assign(blobHeaders(state, record?.lease ?? NO_LEASE, request.now), sasHeaderOverrides(request));
      const range = byteRangeOf(request);
      if (!range) {
        return { status: 200, headers: Object.assign(headers, { 'Content-Length': size, 'Content-MD5': state.properties.contentMd5 }), body: state.content.read(0, size) };
      }
      if (range.start >= size) throw commonErrors.invalidRange(size);
      const end = Math.min(range.end ?? size - 1, size - 1);
      const count = end - range.start + 1;
      const wantsMd5 = request.header('x-ms-range-get-content-md5') === 'true';
      const wantsCrc64 = request.header('x-ms-range-get-content-crc64') === 'true';
      if (wantsMd5 && wantsCrc64) throw new BlobDomainError('BothCrc64AndMd5RangeHeaderPresent');
      if ((wantsMd5 || wantsCrc64) && count > MAX_RANGE_MD5) throw commonErrors.outOfRangeInput('A range with a transactional checksum must be 4 MiB or less.');
      const rangeMd5 = wantsMd5 ? md5Of(state.content, range.start, end + 1) : undefined;
      const rangeCrc64 = wantsCrc64 ? crc64Base64(state.content.read(range.start, end + 1)) : undefined;
      return {
        status: 206,
        headers: Object.assign(headers, {
          'Content-Length': count,
          'Content-Range': `bytes ${range.start}-${end}/${size}`,
          'Content-MD5': rangeMd5,
          'x-ms-content-crc64': rangeCrc64,
          'x-ms-blob-content-md5': state.properties.contentMd5,
        }),
        body: state.content.read(range.start, end + 1),
      };
    },

    getProperties(request: StorageRequest): StorageResponse {
      const { state, record } = readTarget(request);
      return {
        status: 200,
        headers: {
          ...blobHeaders(state, record?.lease ?? NO_LEASE, request.now),
          'Content-Length': state.content.length,
          'Content-MD5': state.properties.contentMd5,
          ...tierHeaders(state, request.now),
          ...sasHeaderOverrides(request),
        },
      };
    },

    delete(request: StorageRequest): StorageResponse {
      const { container, name, snapshot } = blobTarget(store, request);
      const option = request.header('x-ms-delete-snapshots');
      if (option !== undefined && option !== 'include' && option !== 'only') throw commonErrors.invalidHeaderValue('x-ms-delete-snapshots', option);
      if (snapshot !== undefined) {
        if (option !== undefined) throw commonErrors.invalidQueryParameterValue('snapshot', snapshot, 'x-ms-delete-snapshots cannot be given when deleting a snapshot.');
        store.deleteSnapshot(container, name, snapshot);
        return { status: 202, headers: { 'x-ms-delete-type-permanent': true } };
      }
      assertBlobWritable(request, store.blob(container, name));
      store.deleteBlob(container, name, option);
      // Without soft delete every delete is permanent, and Azure says so.
      return { status: 202, headers: { 'x-ms-delete-type-permanent': true } };
    },

    /** Set Blob Properties: every content header not sent is cleared; page blobs may also resize or renumber. */
    setProperties(request: StorageRequest): StorageResponse {
      const blob = writeTarget(store, request);
      assertNotArchived(blob, request.now);
      const change: Partial<BlobState> = { properties: contentPropertiesOf(request, false) };
      if (blob.type === 'PageBlob') {
        if (request.header('x-ms-blob-content-length') !== undefined) change.content = (blob.content as PageContent).resize(pageBlobLength(request));
        const action = request.header('x-ms-sequence-number-action');
        if (action !== undefined) change.sequenceNumber = nextSequenceNumber(request, action, blob.sequenceNumber);
      }
      store.updateBlob(blob, change, request.now);
      return { status: 200, headers: { ...etagHeaders(blob), 'x-ms-blob-sequence-number': blob.type === 'PageBlob' ? blob.sequenceNumber : undefined } };
    },

    getMetadata(request: StorageRequest): StorageResponse {
      const { state } = readTarget(request);
      return { status: 200, headers: { ...etagHeaders(state), ...metadataResponseHeaders(state.metadata) } };
    },

    setMetadata(request: StorageRequest): StorageResponse {
      const metadata = validMetadataOf(request);
      const blob = writeTarget(store, request);
      assertNotArchived(blob, request.now);
      store.updateBlob(blob, { metadata }, request.now);
      return { status: 200, headers: { ...etagHeaders(blob), 'x-ms-request-server-encrypted': true } };
    },

    /** Create Snapshot: metadata sent with the request replaces the snapshot's copy of the blob's metadata. */
    snapshot(request: StorageRequest): StorageResponse {
      const { container, name, snapshot } = blobTarget(store, request);
      if (snapshot !== undefined) throw new BlobDomainError('InvalidOperation');
      const metadata = validMetadataOf(request);
      const blob = store.blob(container, name);
      assertNotArchived(blob, request.now);
      // A lease does not stop a snapshot, but a lease id given must be the blob's.
      checkLeaseAccess(leaseAt(blob.lease, request.now), leaseIdOf(request), 'read', 'blob');
      assertConditions(request.header, blob, 'write');
      assertTagCondition(request, blob);
      const id = store.createSnapshot(blob, request.now, Object.keys(metadata).length > 0 ? metadata : undefined);
      // A snapshot writes no data, so Azure reports nothing newly encrypted.
      return { status: 201, headers: { ...etagHeaders(blob), 'x-ms-snapshot': id, 'x-ms-request-server-encrypted': false } };
    },

    lease(request: StorageRequest): StorageResponse {
      const blob = baseBlob(store, request);
      assertTagCondition(request, blob);
      return leaseOperation(request, blob);
    },
  };
}

function blobTypeOf(request: StorageRequest): BlobType {
  const type = request.header('x-ms-blob-type');
  if (type === undefined) throw commonErrors.missingRequiredHeader('x-ms-blob-type');
  if (type !== 'BlockBlob' && type !== 'AppendBlob' && type !== 'PageBlob') throw commonErrors.invalidHeaderValue('x-ms-blob-type', type);
  return type;
}

function pageBlobLength(request: StorageRequest): number {
  const length = integerHeader(request, 'x-ms-blob-content-length', 0, MAX_PAGE_BLOB);
  if (length === undefined) throw commonErrors.missingRequiredHeader('x-ms-blob-content-length');
  if (length % PAGE_SIZE !== 0) throw commonErrors.invalidHeaderValue('x-ms-blob-content-length', String(length));
  return length;
}

function sequenceNumberOf(request: StorageRequest): number | undefined {
  return integerHeader(request, 'x-ms-blob-sequence-number', 0, Number.MAX_SAFE_INTEGER);
}

function nextSequenceNumber(request: StorageRequest, action: string, current: number): number {
  switch (action) {
    case 'increment':
      if (request.header('x-ms-blob-sequence-number') !== undefined) throw commonErrors.invalidHeaderValue('x-ms-blob-sequence-number');
      return current + 1;
    case 'max':
    case 'update': {
      const given = sequenceNumberOf(request);
      if (given === undefined) throw commonErrors.missingRequiredHeader('x-ms-blob-sequence-number');
      return action === 'max' ? Math.max(current, given) : given;
    }
    default:
      throw commonErrors.invalidHeaderValue('x-ms-sequence-number-action', action);
  }
}

/** A SAS may ask for other response headers (rscc, rscd, rsce, rscl, rsct) on Get Blob and Get Blob Properties. */
function sasHeaderOverrides(request: StorageRequest): Record<string, string> {
  const pairs = [
    ['rscc', 'Cache-Control'],
    ['rscd', 'Content-Disposition'],
    ['rsce', 'Content-Encoding'],
    ['rscl', 'Content-Language'],
    ['rsct', 'Content-Type'],
  ] as const;
  const out: Record<string, string> = {};
  if (request.query.get('sig') === null) return out;
  for (const [param, header] of pairs) {
    const value = request.query.get(param);
    if (value === null) continue;
    // A control character would split or end the header: nothing Azure could send either.
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) throw commonErrors.invalidQueryParameterValue(param, value, `${param} holds a control character, which cannot be sent in the ${header} header.`);
    // Node cannot send characters beyond ASCII in a header faithfully (beyond Latin-1 it refuses them):
    // they go out percent-encoded as UTF-8, so the download works and the value can be decoded.
    out[header] = value.replace(/[^\x00-\x7f]+/g, encodeURIComponent);
  }
  return out;
}
