import { StorageError } from './storage-error.js';

/**
 * The cap on the data one storage service keeps in memory
 * (`limits.maxStoredBytes`). Uploads are measured as they stream in, so a
 * body that cannot fit is refused before it is buffered past the cap.
 */
export class StorageQuota {
  constructor(
    /** Undefined: no cap. */
    readonly maxBytes: number | undefined,
    /** What the service holds now, in bytes. */
    readonly storedBytes: () => number,
  ) {}

  /** Bytes that still fit; Infinity without a cap. */
  room(): number {
    return this.maxBytes === undefined ? Infinity : this.maxBytes - this.storedBytes();
  }

  /** Throws 507 InsufficientStorage unless `incoming` more bytes fit. */
  check(incoming: number, room = this.room()): void {
    if (incoming > room) throw insufficientStorage(this.maxBytes!);
  }
}

function insufficientStorage(maxBytes: number): StorageError {
  return new StorageError(
    507,
    'InsufficientStorage',
    `LocalZure keeps at most ${maxBytes} bytes of data per service (option limits.maxStoredBytes), and this write would go past it. Delete data, reset between tests, or raise limits.maxStoredBytes.`,
    { MaxStoredBytes: String(maxBytes) },
  );
}
