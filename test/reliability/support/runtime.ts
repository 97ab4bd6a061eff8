import { LocalZureRuntime, type RuntimeOptions } from '../../../src/runtime/runtime.js';
import { BlobService } from '../../../src/services/blob/index.js';
import { QueueService } from '../../../src/services/queue/index.js';
import { TableService } from '../../../src/services/table/index.js';

export const STORAGE_SERVICES = { blob: BlobService, queue: QueueService, table: TableService };
export type StorageServiceName = keyof typeof STORAGE_SERVICES;

/**
 * A runtime holding the storage services built from source, so the test
 * needs no build; start it with `runtime.start(services)`.
 */
export function storageRuntime(services: readonly StorageServiceName[], options: RuntimeOptions = {}): LocalZureRuntime {
  const runtime = new LocalZureRuntime(options);
  for (const name of services) runtime.manager.registerService(new STORAGE_SERVICES[name](runtime.manager.context));
  return runtime;
}

/** A started {@link storageRuntime}. */
export async function startStorageRuntime(services: readonly StorageServiceName[], options: RuntimeOptions = {}): Promise<LocalZureRuntime> {
  const runtime = storageRuntime(services, options);
  await runtime.start([...services]);
  return runtime;
}
