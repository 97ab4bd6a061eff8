import { defineErrorTable } from '../storage-common/domain-errors.js';

// Azure's Queue service error codes with their status and message, in one table.
const errors = defineErrorTable({
  QueueNotFound: [404, 'The specified queue does not exist.'],
  QueueAlreadyExists: [409, 'The specified queue already exists.'],
  MessageNotFound: [404, 'The specified message does not exist.'],
  PopReceiptMismatch: [400, 'The specified pop receipt did not match the pop receipt for a dequeued message.'],
});

/**
 * A queue failure in domain terms: the store throws it without knowing HTTP;
 * the route table turns it into the wire error through {@link mapDomainErrors}.
 */
export class QueueDomainError extends errors.DomainError {}

export type QueueErrorCode = QueueDomainError['code'];

export const { mapDomainErrors } = errors;
