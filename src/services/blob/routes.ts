import type { NamespaceRegistry } from '../../core/namespaces.js';
import type { HttpMethod, StorageRoute } from '../storage-common/dispatcher.js';
import type { StorageRequest } from '../storage-common/request.js';
import type { StorageResponse } from '../storage-common/response.js';
import type { BlobAccess } from './auth.js';
import type { BlobStore } from './blob-store.js';
import { BlobDomainError, toStorageError } from './errors.js';
import { appendHandlers } from './handlers/append-handlers.js';
import { blobHandlers } from './handlers/blob-handlers.js';
import { blockHandlers } from './handlers/block-handlers.js';
import { containerHandlers } from './handlers/container-handlers.js';
import { copyHandlers, type SourceAuthorizer } from './handlers/copy-handlers.js';
import { pageHandlers } from './handlers/page-handlers.js';
import { serviceHandlers } from './handlers/service-handlers.js';
import { tagHandlers } from './handlers/tag-handlers.js';

type Handler = (request: StorageRequest) => StorageResponse | Promise<StorageResponse>;

const SERVICE = 0;
const CONTAINER = 1;
const BLOB = 2;

/** Blob names keep their slashes: the path after the account is container, then everything else. */
export function splitBlobPath(segments: string[]): string[] {
  const [container, ...rest] = segments;
  if (container === undefined) return [];
  const blob = rest.join('/');
  return blob === '' ? [container] : [container, blob];
}

/** The Blob service's operations: one row per method, depth and restype/comp. */
export function blobRoutes(store: BlobStore, namespaces: NamespaceRegistry, authorizeSource: SourceAuthorizer): StorageRoute<BlobAccess>[] {
  const service = serviceHandlers(store);
  const container = containerHandlers(store);
  const blob = blobHandlers(store);
  const block = blockHandlers(store);
  const append = appendHandlers(store);
  const page = pageHandlers(store);
  const copy = copyHandlers(store, namespaces, authorizeSource);
  const tags = tagHandlers(store);
  const put = (request: StorageRequest) => (request.header('x-ms-copy-source') !== undefined ? copy.copy(request) : blob.put(request));

  type Row = [HttpMethod, number, { restype?: string; comp?: string }, BlobAccess, Handler];
  const rows: Row[] = [
    ['GET', SERVICE, { comp: 'list' }, { level: 's', permissions: 'l' }, service.listContainers],
    ['GET', SERVICE, { restype: 'service', comp: 'properties' }, { level: 's', permissions: 'r' }, service.getProperties],
    ['PUT', SERVICE, { restype: 'service', comp: 'properties' }, { level: 's', permissions: 'w' }, service.setProperties],
    ['GET', SERVICE, { restype: 'service', comp: 'stats' }, { level: 's', permissions: 'r' }, service.getStatistics],
    ['GET', SERVICE, { comp: 'blobs' }, { level: 's', permissions: 'f' }, tags.findBlobs],
    ...[SERVICE, CONTAINER, BLOB].flatMap((depth) =>
      (['GET', 'HEAD'] as const).map((method): Row => [method, depth, { restype: 'account', comp: 'properties' }, { level: 's', permissions: 'racwdl' }, service.getAccountInfo]),
    ),

    ['PUT', CONTAINER, { restype: 'container' }, { level: 'c', permissions: 'cw' }, container.create],
    ['DELETE', CONTAINER, { restype: 'container' }, { level: 'c', permissions: 'd' }, container.delete],
    ['GET', CONTAINER, { restype: 'container' }, { level: 'c', permissions: 'r', publicRead: 'container' }, container.getProperties],
    ['HEAD', CONTAINER, { restype: 'container' }, { level: 'c', permissions: 'r', publicRead: 'container' }, container.getProperties],
    ['GET', CONTAINER, { restype: 'container', comp: 'metadata' }, { level: 'c', permissions: 'r', publicRead: 'container' }, container.getMetadata],
    ['HEAD', CONTAINER, { restype: 'container', comp: 'metadata' }, { level: 'c', permissions: 'r', publicRead: 'container' }, container.getMetadata],
    ['PUT', CONTAINER, { restype: 'container', comp: 'metadata' }, { level: 'c', permissions: 'w' }, container.setMetadata],
    ['GET', CONTAINER, { restype: 'container', comp: 'acl' }, { level: 'c', permissions: 'r' }, container.getAccessPolicy],
    ['HEAD', CONTAINER, { restype: 'container', comp: 'acl' }, { level: 'c', permissions: 'r' }, container.getAccessPolicy],
    ['PUT', CONTAINER, { restype: 'container', comp: 'acl' }, { level: 'c', permissions: 'w' }, container.setAccessPolicy],
    ['PUT', CONTAINER, { restype: 'container', comp: 'lease' }, { level: 'c', permissions: 'w' }, container.lease],
    ['GET', CONTAINER, { restype: 'container', comp: 'list' }, { level: 'c', permissions: 'l', publicRead: 'container' }, container.listBlobs],
    ['GET', CONTAINER, { restype: 'container', comp: 'blobs' }, { level: 'c', permissions: 'f' }, tags.findBlobs],

    ['PUT', BLOB, {}, { level: 'o', permissions: 'cw' }, put],
    ['GET', BLOB, {}, { level: 'o', permissions: 'r', publicRead: 'blob' }, blob.get],
    ['HEAD', BLOB, {}, { level: 'o', permissions: 'r', publicRead: 'blob' }, blob.getProperties],
    ['DELETE', BLOB, {}, { level: 'o', permissions: 'd' }, blob.delete],
    ['PUT', BLOB, { comp: 'properties' }, { level: 'o', permissions: 'w' }, blob.setProperties],
    ['GET', BLOB, { comp: 'metadata' }, { level: 'o', permissions: 'r', publicRead: 'blob' }, blob.getMetadata],
    ['HEAD', BLOB, { comp: 'metadata' }, { level: 'o', permissions: 'r', publicRead: 'blob' }, blob.getMetadata],
    ['PUT', BLOB, { comp: 'metadata' }, { level: 'o', permissions: 'w' }, blob.setMetadata],
    ['PUT', BLOB, { comp: 'snapshot' }, { level: 'o', permissions: 'cw' }, blob.snapshot],
    ['PUT', BLOB, { comp: 'lease' }, { level: 'o', permissions: 'w' }, blob.lease],
    ['PUT', BLOB, { comp: 'block' }, { level: 'o', permissions: 'cw' }, block.stageBlock],
    ['PUT', BLOB, { comp: 'blocklist' }, { level: 'o', permissions: 'cw' }, block.commitBlockList],
    ['GET', BLOB, { comp: 'blocklist' }, { level: 'o', permissions: 'r', publicRead: 'blob' }, block.getBlockList],
    ['PUT', BLOB, { comp: 'appendblock' }, { level: 'o', permissions: 'aw' }, append.appendBlock],
    ['PUT', BLOB, { comp: 'page' }, { level: 'o', permissions: 'w' }, page.putPage],
    ['GET', BLOB, { comp: 'pagelist' }, { level: 'o', permissions: 'r', publicRead: 'blob' }, page.getPageRanges],
    ['GET', BLOB, { comp: 'tags' }, { level: 'o', permissions: 't' }, tags.getTags],
    ['PUT', BLOB, { comp: 'tags' }, { level: 'o', permissions: 't' }, tags.setTags],
    ['PUT', BLOB, { comp: 'copy' }, { level: 'o', permissions: 'w' }, copy.abort],
  ];
  return rows.map(([method, depth, query, access, handle]) => ({ method, depth, ...query, access, handle: mapDomainErrors(handle) }));
}

/** Store failures are domain errors; this is where they become wire errors. */
function mapDomainErrors(handle: Handler): Handler {
  return async (request) => {
    try {
      return await handle(request);
    } catch (error) {
      throw error instanceof BlobDomainError ? toStorageError(error) : error;
    }
  };
}
