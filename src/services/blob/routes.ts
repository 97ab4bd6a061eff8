import type { NamespaceRegistry } from '../../core/namespaces.js';
import type { HttpMethod, StorageHandler, StorageRoute } from '../storage-common/dispatcher.js';
import type { StorageRequest } from '../storage-common/request.js';
import type { BlobAccess } from './auth.js';
import type { BlobStore } from './blob-store.js';
import { blobNameOfPath } from './blob-request.js';
import { mapDomainErrors } from './errors.js';
import { appendHandlers } from './handlers/append-handlers.js';
import { batchHandler, type SubRequestAuthorizer } from './handlers/batch-handler.js';
import { blobHandlers } from './handlers/blob-handlers.js';
import { blockHandlers } from './handlers/block-handlers.js';
import { containerHandlers } from './handlers/container-handlers.js';
import { copySources, writeBody, type SourceAuthorizer } from './copy-source.js';
import { copyHandlers } from './handlers/copy-handlers.js';
import { pageHandlers } from './handlers/page-handlers.js';
import { serviceHandlers } from './handlers/service-handlers.js';
import { tagHandlers } from './handlers/tag-handlers.js';
import { tierHandlers } from './handlers/tier-handlers.js';
import { undeleteHandlers } from './handlers/undelete-handlers.js';

type Operation = string | ((request: StorageRequest) => string);

const SERVICE = 0;
const CONTAINER = 1;
const BLOB = 2;

/**
 * Blob names keep their slashes: the path after the account is container,
 * then everything else. Azure reads `\` in a blob name as `/`, so the SDKs
 * sign a SAS over the `/` form of such a name.
 */
export function splitBlobPath(segments: string[]): string[] {
  const [container, ...rest] = segments;
  if (container === undefined) return [];
  const blob = blobNameOfPath(rest);
  return blob === '' ? [container] : [container, blob];
}

// Rows whose operation depends on a header: the same PUT creates a blob, copies one, or stages from a URL.
const copiesFrom = (request: StorageRequest) => request.header('x-ms-copy-source') !== undefined;
const putOperation = (request: StorageRequest) =>
  copiesFrom(request) ? (request.header('x-ms-requires-sync') === 'true' ? 'CopyBlobFromURL' : 'CopyBlob') : 'PutBlob';
const stageBlockOperation = (request: StorageRequest) => (copiesFrom(request) ? 'PutBlockFromURL' : 'PutBlock');
const appendBlockOperation = (request: StorageRequest) => (copiesFrom(request) ? 'AppendBlockFromURL' : 'AppendBlock');
const putPageOperation = (request: StorageRequest) => (copiesFrom(request) ? 'PutPageFromURL' : 'PutPage');

// A batch is judged by its subrequests, each authorized on its own; the batch itself needs only a credential that could allow one of them.
const BATCH_ACCESS: BlobAccess = { level: 'o', permissions: 'dw' };

/** The Blob service's operations: one row per method, depth and restype/comp. */
export function blobRoutes(store: BlobStore, namespaces: NamespaceRegistry, authorizeSource: SourceAuthorizer, authorize: SubRequestAuthorizer): StorageRoute<BlobAccess>[] {
  const service = serviceHandlers(store);
  const container = containerHandlers(store);
  const blob = blobHandlers(store);
  const sources = copySources(store, namespaces, authorizeSource);
  const body = writeBody(store, sources);
  const block = blockHandlers(store, body);
  const append = appendHandlers(store, body);
  const page = pageHandlers(store, body);
  const copy = copyHandlers(store, sources);
  const tags = tagHandlers(store);
  const tier = tierHandlers(store);
  const undelete = undeleteHandlers(store);
  const batch = batchHandler(() => routes, authorize);
  const put = (request: StorageRequest) => (copiesFrom(request) ? copy.copy(request) : blob.put(request));

  type Row = [HttpMethod, number, { restype?: string; comp?: string }, BlobAccess, StorageHandler, Operation];
  const rows: Row[] = [
    ['GET', SERVICE, { comp: 'list' }, { level: 's', permissions: 'l' }, service.listContainers, 'ListContainers'],
    ['GET', SERVICE, { restype: 'service', comp: 'properties' }, { level: 's', permissions: 'r' }, service.getProperties, 'GetBlobServiceProperties'],
    ['PUT', SERVICE, { restype: 'service', comp: 'properties' }, { level: 's', permissions: 'w' }, service.setProperties, 'SetBlobServiceProperties'],
    ['POST', SERVICE, { restype: 'service', comp: 'userdelegationkey' }, { level: 's', permissions: 'racwdl' }, service.getUserDelegationKey, 'GetUserDelegationKey'],
    ['GET', SERVICE, { restype: 'service', comp: 'stats' }, { level: 's', permissions: 'r' }, service.getStatistics, 'GetBlobServiceStats'],
    ['GET', SERVICE, { comp: 'blobs' }, { level: 's', permissions: 'f' }, tags.findBlobs, 'FindBlobsByTags'],
    ['POST', SERVICE, { comp: 'batch' }, BATCH_ACCESS, batch, 'SubmitBatch'],
    // The SDK's service-level BlobBatchClient sends restype=container without a container.
    ['POST', SERVICE, { restype: 'container', comp: 'batch' }, BATCH_ACCESS, batch, 'SubmitBatch'],
    ...[SERVICE, CONTAINER, BLOB].flatMap((depth) =>
      (['GET', 'HEAD'] as const).map((method): Row => [method, depth, { restype: 'account', comp: 'properties' }, { level: 's', permissions: 'racwdl' }, service.getAccountInfo, 'GetAccountInformation']),
    ),

    ['PUT', CONTAINER, { restype: 'container' }, { level: 'c', permissions: 'cw' }, container.create, 'CreateContainer'],
    ['DELETE', CONTAINER, { restype: 'container' }, { level: 'c', permissions: 'd' }, container.delete, 'DeleteContainer'],
    ['GET', CONTAINER, { restype: 'container' }, { level: 'c', permissions: 'r', publicRead: 'container' }, container.getProperties, 'GetContainerProperties'],
    ['HEAD', CONTAINER, { restype: 'container' }, { level: 'c', permissions: 'r', publicRead: 'container' }, container.getProperties, 'GetContainerProperties'],
    ['GET', CONTAINER, { restype: 'container', comp: 'metadata' }, { level: 'c', permissions: 'r', publicRead: 'container' }, container.getMetadata, 'GetContainerMetadata'],
    ['HEAD', CONTAINER, { restype: 'container', comp: 'metadata' }, { level: 'c', permissions: 'r', publicRead: 'container' }, container.getMetadata, 'GetContainerMetadata'],
    ['PUT', CONTAINER, { restype: 'container', comp: 'metadata' }, { level: 'c', permissions: 'w' }, container.setMetadata, 'SetContainerMetadata'],
    ['GET', CONTAINER, { restype: 'container', comp: 'acl' }, { level: 'c', permissions: 'r' }, container.getAccessPolicy, 'GetContainerACL'],
    ['HEAD', CONTAINER, { restype: 'container', comp: 'acl' }, { level: 'c', permissions: 'r' }, container.getAccessPolicy, 'GetContainerACL'],
    ['PUT', CONTAINER, { restype: 'container', comp: 'acl' }, { level: 'c', permissions: 'w' }, container.setAccessPolicy, 'SetContainerACL'],
    ['PUT', CONTAINER, { restype: 'container', comp: 'lease' }, { level: 'c', permissions: 'w' }, container.lease, 'LeaseContainer'],
    ['GET', CONTAINER, { restype: 'container', comp: 'list' }, { level: 'c', permissions: 'l', publicRead: 'container' }, container.listBlobs, 'ListBlobs'],
    ['POST', CONTAINER, { restype: 'container', comp: 'batch' }, BATCH_ACCESS, batch, 'SubmitBatch'],
    ['GET', CONTAINER, { restype: 'container', comp: 'blobs' }, { level: 'c', permissions: 'f' }, tags.findBlobs, 'FindBlobsByTags'],
    ['PUT', CONTAINER, { restype: 'container', comp: 'undelete' }, { level: 'c', permissions: 'cw' }, undelete.restoreContainer, 'RestoreContainer'],

    ['PUT', BLOB, {}, { level: 'o', permissions: 'cw', overwrite: 'w' }, put, putOperation],
    ['GET', BLOB, {}, { level: 'o', permissions: 'r', publicRead: 'blob' }, blob.get, 'GetBlob'],
    ['HEAD', BLOB, {}, { level: 'o', permissions: 'r', publicRead: 'blob' }, blob.getProperties, 'GetBlobProperties'],
    ['DELETE', BLOB, {}, { level: 'o', permissions: 'd', version: 'x' }, blob.delete, 'DeleteBlob'],
    ['PUT', BLOB, { comp: 'undelete' }, { level: 'o', permissions: 'w' }, undelete.undeleteBlob, 'UndeleteBlob'],
    ['PUT', BLOB, { comp: 'properties' }, { level: 'o', permissions: 'w' }, blob.setProperties, 'SetBlobProperties'],
    ['GET', BLOB, { comp: 'metadata' }, { level: 'o', permissions: 'r', publicRead: 'blob' }, blob.getMetadata, 'GetBlobMetadata'],
    ['HEAD', BLOB, { comp: 'metadata' }, { level: 'o', permissions: 'r', publicRead: 'blob' }, blob.getMetadata, 'GetBlobMetadata'],
    ['PUT', BLOB, { comp: 'metadata' }, { level: 'o', permissions: 'w' }, blob.setMetadata, 'SetBlobMetadata'],
    ['PUT', BLOB, { comp: 'snapshot' }, { level: 'o', permissions: 'cw' }, blob.snapshot, 'SnapshotBlob'],
    ['PUT', BLOB, { comp: 'lease' }, { level: 'o', permissions: 'w' }, blob.lease, 'LeaseBlob'],
    ['PUT', BLOB, { comp: 'block' }, { level: 'o', permissions: 'cw' }, block.stageBlock, stageBlockOperation],
    ['PUT', BLOB, { comp: 'blocklist' }, { level: 'o', permissions: 'cw', overwrite: 'w' }, block.commitBlockList, 'PutBlockList'],
    ['GET', BLOB, { comp: 'blocklist' }, { level: 'o', permissions: 'r', publicRead: 'blob' }, block.getBlockList, 'GetBlockList'],
    ['PUT', BLOB, { comp: 'appendblock' }, { level: 'o', permissions: 'aw' }, append.appendBlock, appendBlockOperation],
    ['PUT', BLOB, { comp: 'seal' }, { level: 'o', permissions: 'w' }, append.seal, 'SealAppendBlob'],
    ['PUT', BLOB, { comp: 'page' }, { level: 'o', permissions: 'w' }, page.putPage, putPageOperation],
    ['GET', BLOB, { comp: 'pagelist' }, { level: 'o', permissions: 'r', publicRead: 'blob' }, page.getPageRanges, 'GetPageRanges'],
    ['GET', BLOB, { comp: 'tags' }, { level: 'o', permissions: 't' }, tags.getTags, 'GetBlobTags'],
    ['PUT', BLOB, { comp: 'tags' }, { level: 'o', permissions: 't' }, tags.setTags, 'SetBlobTags'],
    ['PUT', BLOB, { comp: 'copy' }, { level: 'o', permissions: 'w' }, copy.abort, 'AbortCopyBlob'],
    ['PUT', BLOB, { comp: 'tier' }, { level: 'o', permissions: 'w' }, tier.setTier, 'SetBlobTier'],
  ];
  // The batch rows dispatch their subrequests through this same table.
  const routes: StorageRoute<BlobAccess>[] = rows.map(([method, depth, query, access, handle, operation]) => ({ method, depth, ...query, access, operation, handle: mapDomainErrors(handle) }));
  return routes;
}
