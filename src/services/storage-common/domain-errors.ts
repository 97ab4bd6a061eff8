import type { StorageHandler } from './dispatcher.js';
import { StorageError } from './storage-error.js';

/**
 * A failure in domain terms, carrying one of a service's Azure error codes:
 * stores, codecs and parsers throw it without knowing HTTP, and the route
 * table turns it into the wire error.
 */
export class DomainError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * One service's error codes, each with Azure's HTTP status and default
 * message, and everything built on them: the domain error class a service
 * subclasses under its own name, the wire error factory, and the route
 * wrapper that turns the one into the other.
 *
 * @example
 * const errors = defineErrorTable({ QueueNotFound: [404, 'The specified queue does not exist.'] });
 * export class QueueDomainError extends errors.DomainError {}
 * export const queueError = errors.wireError;
 */
export function defineErrorTable<Code extends string>(table: Readonly<Record<Code, readonly [status: number, message: string]>>) {
  class ServiceDomainError extends DomainError<Code> {
    constructor(code: Code, message?: string) {
      super(code, message ?? table[code][1]);
    }
  }

  function wireError(code: Code, message?: string, details?: Record<string, string>): StorageError {
    const [status, text] = table[code];
    return new StorageError(status, code, message ?? text, details);
  }

  /** Domain errors become their wire form; wire errors pass through; anything else is a bug and rethrown. */
  function toStorageError(error: unknown): StorageError {
    if (error instanceof StorageError) return error;
    if (error instanceof ServiceDomainError) return wireError(error.code, error.message);
    throw error;
  }

  /** Wraps a route's handler so the route table is the one place domain errors become wire errors. */
  function mapDomainErrors(handle: StorageHandler): StorageHandler {
    return async (request) => {
      try {
        return await handle(request);
      } catch (error) {
        throw toStorageError(error);
      }
    };
  }

  return { DomainError: ServiceDomainError, wireError, toStorageError, mapDomainErrors };
}
