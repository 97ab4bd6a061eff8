import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { commonErrors } from '../../storage-common/storage-error.js';
import type { BlobStore } from '../blob-store.js';
import { leaseIdOf } from '../blob-request.js';
import { checkLeaseAccess, leaseAt } from '../lease.js';
import { assertTagCondition } from '../preconditions.js';
import { changeTier, rehydratePriorityOf, requestedTier } from '../tiers.js';
import { blobTarget } from './blob-handlers.js';

export function tierHandlers(store: BlobStore) {
  return {
    /** Set Blob Tier on the base blob (its lease and x-ms-if-tags apply) or on one of its snapshots. */
    setTier(request: StorageRequest): StorageResponse {
      const { container, name, snapshot, version } = blobTarget(store, request);
      const state = store.blobState(container, name, snapshot, version);
      const record = snapshot === undefined && version === undefined ? store.blob(container, name) : undefined;
      if (request.header('x-ms-access-tier') === undefined) throw commonErrors.missingRequiredHeader('x-ms-access-tier');
      const tier = requestedTier(request, state.type)!;
      const priority = rehydratePriorityOf(request);
      if (record) {
        checkLeaseAccess(leaseAt(record.lease, request.now), leaseIdOf(request), 'write', 'blob');
        assertTagCondition(request, record);
      }
      return { status: changeTier(state, tier, priority, request.now) };
    },
  };
}
