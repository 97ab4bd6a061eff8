import { assertConditions, failedCondition } from '../storage-common/conditions.js';
import type { StorageRequest } from '../storage-common/request.js';
import { commonErrors } from '../storage-common/storage-error.js';
import { leaseIdOf } from './blob-request.js';
import { BlobDomainError } from './errors.js';
import { checkLeaseAccess, leaseAt, NO_LEASE } from './lease.js';
import type { BlobRecord, ContainerRecord } from './model.js';

/**
 * Checks a write against an existing (or absent) blob: its lease first, then
 * the conditional headers. `If-None-Match: *` on a blob that exists is
 * Azure's 409 BlobAlreadyExists rather than a 412.
 */
export function assertBlobWritable(request: StorageRequest, blob: BlobRecord | undefined): void {
  checkLeaseAccess(leaseAt(blob?.lease ?? NO_LEASE, request.now), leaseIdOf(request), 'write', 'blob');
  const failed = failedCondition(request.header, blob);
  if (failed === undefined) return;
  if (failed === 'If-None-Match' && request.header('if-none-match')?.trim() === '*') throw new BlobDomainError('BlobAlreadyExists');
  throw commonErrors.conditionNotMet();
}

/** A read of a blob: a given lease id must match; 304 when the client's copy is current. */
export function assertBlobReadable(request: StorageRequest, blob: BlobRecord | undefined, target: { etag: string; lastModified: number }): void {
  checkLeaseAccess(leaseAt(blob?.lease ?? NO_LEASE, request.now), leaseIdOf(request), 'read', 'blob');
  assertConditions(request.header, target, 'read');
}

export function assertContainerWritable(request: StorageRequest, container: ContainerRecord): void {
  checkLeaseAccess(leaseAt(container.lease, request.now), leaseIdOf(request), 'write', 'container');
  assertConditions(request.header, container, 'write');
}

export function assertContainerReadable(request: StorageRequest, container: ContainerRecord): void {
  checkLeaseAccess(leaseAt(container.lease, request.now), leaseIdOf(request), 'read', 'container');
}
