import { StorageError } from '../storage-common/storage-error.js';

// Azure's Queue service error codes with their status and message, in one table.
const QUEUE_ERRORS = {
  QueueNotFound: [404, 'The specified queue does not exist.'],
  QueueAlreadyExists: [409, 'The specified queue already exists.'],
  MessageNotFound: [404, 'The specified message does not exist.'],
  PopReceiptMismatch: [400, 'The specified pop receipt did not match the pop receipt for a dequeued message.'],
} as const satisfies Record<string, readonly [number, string]>;

export type QueueErrorCode = keyof typeof QUEUE_ERRORS;

/**
 * A queue failure in domain terms: the store throws it without knowing HTTP;
 * the route table turns it into the wire error through {@link queueError}.
 */
export class QueueDomainError extends Error {
  constructor(readonly code: QueueErrorCode) {
    super(QUEUE_ERRORS[code][1]);
    this.name = 'QueueDomainError';
  }
}

/** The wire form of a queue error code. */
export function queueError(code: QueueErrorCode): StorageError {
  const [status, message] = QUEUE_ERRORS[code];
  return new StorageError(status, code, message);
}
