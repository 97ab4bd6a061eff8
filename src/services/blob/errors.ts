import { defineErrorTable } from '../storage-common/domain-errors.js';

// Azure's blob error codes with their status and message, in one table.
const errors = defineErrorTable({
  ContainerNotFound: [404, 'The specified container does not exist.'],
  ContainerAlreadyExists: [409, 'The specified container already exists.'],
  BlobNotFound: [404, 'The specified blob does not exist.'],
  BlobAlreadyExists: [409, 'The specified blob already exists.'],
  ResourceNotFound: [404, 'The specified resource does not exist.'],
  InvalidBlobType: [409, 'The blob type is invalid for this operation.'],
  InvalidBlockId: [400, 'The specified block ID is invalid. The block ID must be Base64-encoded.'],
  InvalidBlockList: [400, 'The specified block list is invalid.'],
  InvalidBlobOrBlock: [400, 'The specified blob or block content is invalid.'],
  BlockCountExceedsLimit: [409, 'The committed block count cannot exceed the maximum limit of 50,000 blocks.'],
  BlockListTooLong: [400, 'The block list may not contain more than 50,000 blocks.'],
  SnapshotsPresent: [409, 'This operation is not permitted because the blob has snapshots.'],
  LeaseIdMissing: [412, 'There is currently a lease on the resource and no lease ID was specified in the request.'],
  LeaseIdMismatchWithBlobOperation: [412, 'The lease ID specified did not match the lease ID for the blob.'],
  LeaseIdMismatchWithContainerOperation: [412, 'The lease ID specified did not match the lease ID for the container.'],
  LeaseNotPresentWithBlobOperation: [412, 'There is currently no lease on the blob.'],
  LeaseNotPresentWithContainerOperation: [412, 'There is currently no lease on the container.'],
  LeaseLost: [412, 'A lease ID was specified, but the lease for the resource has expired.'],
  LeaseAlreadyPresent: [409, 'There is already a lease present.'],
  LeaseIdMismatchWithLeaseOperation: [409, 'The lease ID specified did not match the lease ID for the resource.'],
  LeaseNotPresentWithLeaseOperation: [409, 'There is currently no lease on the resource.'],
  LeaseIsBrokenAndCannotBeRenewed: [409, 'The lease ID matched, but the lease has been broken explicitly and cannot be renewed.'],
  LeaseIsBreakingAndCannotBeAcquired: [409, 'The lease ID matched, but the lease is currently in breaking state and cannot be acquired until it is broken.'],
  LeaseIsBreakingAndCannotBeChanged: [409, 'The lease ID matched, but the lease is currently in breaking state and cannot be changed.'],
  InvalidPageRange: [416, 'The page range specified is invalid.'],
  AppendPositionConditionNotMet: [412, 'The append position condition specified was not met.'],
  MaxBlobSizeConditionNotMet: [412, 'The max blob size condition specified was not met.'],
  SequenceNumberConditionNotMet: [412, 'The sequence number condition specified was not met.'],
  InvalidTag: [400, 'The tags specified are invalid. It contains characters that are not permitted.'],
  TagsTooLarge: [400, 'The tags specified exceed the maximum permissible limit.'],
  NoPendingCopyOperation: [409, 'There is currently no pending copy operation.'],
  CannotVerifyCopySource: [404, 'The specified resource does not exist.'],
  SourceConditionNotMet: [412, 'The source condition specified using HTTP conditional header(s) is not met.'],
  InvalidOperation: [400, 'Invalid operation against a blob snapshot.'],
  UnsupportedHeader: [400, 'One of the headers specified in the request is not supported.'],
  ContainerOperationFailure: [400, 'The operation failed on the container.'],
  BothCrc64AndMd5RangeHeaderPresent: [400, 'Both x-ms-range-get-content-crc64 header and x-ms-range-get-content-md5 header are present.'],
  UnsatisfiableCondition: [400, 'The request includes an unsatisfiable condition for this operation.'],
  BlobIsSealed: [409, "The specified blob is sealed, and its contents can't be modified unless the blob is re-created after a delete."],
  BlobArchived: [409, 'This operation is not permitted on an archived blob.'],
  BlobBeingRehydrated: [409, 'This operation is not permitted because the blob is being rehydrated.'],
  AccessTierNotSupportedForBlobType: [400, 'The access tier is not supported for this blob type.'],
  InvalidXmlNodeValue: [400, 'The value for one of the XML nodes is not in the correct format.'],
  BothUserTagsAndSourceTagsCopyPresentException: [400, 'x-ms-tags header must not be present with x-ms-copy-source-tag-option as COPY.'],
});

/**
 * A blob failure in domain terms: the store throws it without knowing HTTP;
 * the route table turns it into the wire error through {@link blobError}.
 */
export class BlobDomainError extends errors.DomainError {}

export type BlobErrorCode = BlobDomainError['code'];

/** The wire form of a blob error code. */
export const blobError = errors.wireError;

export const { mapDomainErrors } = errors;
