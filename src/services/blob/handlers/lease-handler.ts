import { assertConditions } from '../../storage-common/conditions.js';
import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { commonErrors } from '../../storage-common/storage-error.js';
import { canonicalGuid, integerHeader } from '../blob-request.js';
import { etagHeaders } from '../blob-headers.js';
import { acquireLease, breakLease, changeLease, leaseAt, releaseLease, renewLease, type Lease } from '../lease.js';

/** A container or blob, as far as leasing goes. */
export interface Leasable {
  lease: Lease;
  etag: string;
  lastModified: number;
}

/** Lease Container and Lease Blob: acquire, renew, change, release, break. Leasing never changes the ETag. */
export function leaseOperation(request: StorageRequest, target: Leasable): StorageResponse {
  const action = request.header('x-ms-lease-action');
  if (action === undefined) throw commonErrors.missingRequiredHeader('x-ms-lease-action');
  assertConditions(request.header, target, 'write');
  const current = leaseAt(target.lease, request.now);
  const headers = etagHeaders(target);
  switch (action.toLowerCase()) {
    case 'acquire': {
      const duration = integerHeader(request, 'x-ms-lease-duration', -1, 60);
      if (duration === undefined) throw commonErrors.missingRequiredHeader('x-ms-lease-duration');
      if (duration !== -1 && duration < 15) throw commonErrors.invalidHeaderValue('x-ms-lease-duration', String(duration));
      target.lease = acquireLease(current, request.now, duration, proposedLeaseId(request, false));
      return { status: 201, headers: { ...headers, 'x-ms-lease-id': target.lease.id } };
    }
    case 'renew':
      target.lease = renewLease(current, request.now, requiredLeaseId(request));
      return { status: 200, headers: { ...headers, 'x-ms-lease-id': target.lease.id } };
    case 'change':
      target.lease = changeLease(current, requiredLeaseId(request), proposedLeaseId(request, true)!);
      return { status: 200, headers: { ...headers, 'x-ms-lease-id': target.lease.id } };
    case 'release':
      target.lease = releaseLease(current, requiredLeaseId(request));
      return { status: 200, headers };
    case 'break': {
      const broken = breakLease(current, request.now, integerHeader(request, 'x-ms-lease-break-period', 0, 60));
      target.lease = broken.lease;
      return { status: 202, headers: { ...headers, 'x-ms-lease-time': broken.secondsLeft } };
    }
    default:
      throw commonErrors.invalidHeaderValue('x-ms-lease-action', action);
  }
}

function requiredLeaseId(request: StorageRequest): string {
  const id = request.header('x-ms-lease-id');
  if (id === undefined) throw commonErrors.missingRequiredHeader('x-ms-lease-id');
  const guid = canonicalGuid(id);
  if (guid === undefined) throw commonErrors.invalidHeaderValue('x-ms-lease-id', id);
  return guid;
}

function proposedLeaseId(request: StorageRequest, required: boolean): string | undefined {
  const id = request.header('x-ms-proposed-lease-id');
  if (id === undefined) {
    if (required) throw commonErrors.missingRequiredHeader('x-ms-proposed-lease-id');
    return undefined;
  }
  const guid = canonicalGuid(id);
  if (guid === undefined) throw commonErrors.invalidHeaderValue('x-ms-proposed-lease-id', id);
  return guid;
}
