import { LocalZureError } from '../../core/errors.js';

/**
 * Seed data a storage service cannot load: a bad resource name, a file
 * outside the seed folder or a link that loops, a wrong inline shape. Each
 * service throws its own subclass, so the class names the service and the
 * `code` is the same for all.
 */
export class StorageSeedError extends LocalZureError {
  constructor(message: string) {
    super('LZ_INVALID_SEED', message);
  }
}

/** A service's own seed error class, for shared seed readers to throw. */
export type SeedErrorClass = new (message: string) => StorageSeedError;
