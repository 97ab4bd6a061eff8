import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { commonErrors } from '../../storage-common/storage-error.js';
import type { BlobStore } from '../blob-store.js';
import { containerNameOf } from '../blob-request.js';
import { etagHeaders } from '../blob-headers.js';
import { baseBlobTarget } from './blob-handlers.js';

/** Bringing back what soft delete kept: Undelete Blob and Restore Container. */
export function undeleteHandlers(store: BlobStore) {
  return {
    /** Undelete Blob (comp=undelete): the blob's soft-deleted snapshots and versions, and without versioning the blob itself. */
    undeleteBlob(request: StorageRequest): StorageResponse {
      const { container, name } = baseBlobTarget(store, request);
      store.undeleteBlob(container, name, request.now);
      return { status: 200 };
    },

    /** Restore Container (restype=container&comp=undelete): the deleted container named by the headers comes back under the name of the URL. */
    restoreContainer(request: StorageRequest): StorageResponse {
      const deletedName = request.header('x-ms-deleted-container-name');
      const version = request.header('x-ms-deleted-container-version');
      if (deletedName === undefined) throw commonErrors.missingRequiredHeader('x-ms-deleted-container-name');
      if (version === undefined) throw commonErrors.missingRequiredHeader('x-ms-deleted-container-version');
      const container = store.restoreContainer(request.account.name, deletedName, version, containerNameOf(request), request.now);
      return { status: 201, headers: etagHeaders(container) };
    },
  };
}
