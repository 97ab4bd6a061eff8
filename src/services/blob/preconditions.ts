import { assertConditions, failedCondition } from '../storage-common/conditions.js';
import type { StorageRequest } from '../storage-common/request.js';
import { commonErrors } from '../storage-common/storage-error.js';
import { leaseIdOf } from './blob-request.js';
import { BlobDomainError } from './errors.js';
import { checkLeaseAccess, leaseAt, NO_LEASE } from './lease.js';
import type { BlobRecord, BlobState, ContainerRecord } from './model.js';
import { parseTagExpression, tagExpressionHolds } from './tag-conditions.js';

/**
 * Checks a write against an existing (or absent) blob: its lease first, then
 * the conditional headers. `If-None-Match: *` on a blob that exists is
 * Azure's 409 BlobAlreadyExists rather than a 412.
 */
export function assertBlobWritable(request: StorageRequest, blob: BlobRecord | undefined): void {
  checkLeaseAccess(leaseAt(blob?.lease ?? NO_LEASE, request.now), leaseIdOf(request), 'write', 'blob');
  const failed = failedCondition(request.header, blob);
  if (failed === 'If-None-Match' && request.header('if-none-match')?.trim() === '*') throw new BlobDomainError('BlobAlreadyExists');
  if (failed !== undefined) throw commonErrors.conditionNotMet();
  assertTagCondition(request, blob);
}

/**
 * A read of a blob: a given lease id must match; 304 when the client's copy
 * is current. `If-None-Match: *` could only ever fail on a read of something
 * that exists, so Azure refuses it as unsatisfiable.
 */
export function assertBlobReadable(request: StorageRequest, blob: BlobRecord | undefined, target: BlobState): void {
  if (request.header('if-none-match')?.trim() === '*') throw new BlobDomainError('UnsatisfiableCondition');
  checkLeaseAccess(leaseAt(blob?.lease ?? NO_LEASE, request.now), leaseIdOf(request), 'read', 'blob');
  assertConditions(request.header, target, 'read');
  assertTagCondition(request, target);
}

/**
 * `x-ms-if-tags`: an expression over the blob's tags (see
 * {@link parseTagExpression}); 412 ConditionNotMet when the blob's
 * tags do not satisfy it. A blob that does not exist yet has nothing to
 * test, so a create goes ahead (as Azurite does).
 */
export function assertTagCondition(request: StorageRequest, blob: BlobState | undefined): void {
  const text = request.header('x-ms-if-tags');
  if (text === undefined) return;
  const expression = parseTagExpression(text);
  if (!expression) throw commonErrors.invalidHeaderValue('x-ms-if-tags', text);
  if (blob && !tagExpressionHolds(expression, blob.tags)) throw commonErrors.conditionNotMet();
}

export function assertContainerWritable(request: StorageRequest, container: ContainerRecord): void {
  checkLeaseAccess(leaseAt(container.lease, request.now), leaseIdOf(request), 'write', 'container');
  assertConditions(request.header, container, 'write');
}

export function assertContainerReadable(request: StorageRequest, container: ContainerRecord): void {
  checkLeaseAccess(leaseAt(container.lease, request.now), leaseIdOf(request), 'read', 'container');
}
