import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { StorageEndpoints } from '../containers/azurite.js';
import type { Namespace } from '../core/namespaces.js';
import type { SeedSource, ServiceEndpoint } from '../core/service.js';
import type { LocalZureRuntime } from '../runtime/runtime.js';
import { STORAGE_KEYS } from './environment.js';
import { workerAccount } from './worker.js';

/** What serves blob, queue, table and servicebus: LocalZure's own emulators, or Microsoft's images (Azurite, the Service Bus emulator). */
export type StorageBackend = 'in-process' | 'container';

export const STORAGE_BACKENDS: readonly StorageBackend[] = ['in-process', 'container'];

const STORAGE_SERVICES = ['blob', 'queue', 'table'] as const;
type StorageService = (typeof STORAGE_SERVICES)[number];

/** The container service that serves all three storage services at once. */
const AZURITE = 'azurite';

/** In-process services whose stand-in on the container backend has an Environment entry of their own, under the in-process name. */
const CONTAINER_STAND_INS: Record<string, string> = { servicebus: 'servicebus-container' };

/**
 * The image whose licence `service` needs accepted: a stand-in runs the image
 * named after the in-process service (`servicebus-container` runs `servicebus`),
 * and an in-process service runs none.
 */
export function licensedImageOf(service: string): string | undefined {
  if (service in CONTAINER_STAND_INS) return undefined;
  return Object.entries(CONTAINER_STAND_INS).find(([, standIn]) => standIn === service)?.[0] ?? service;
}

const isStorage = (name: string): name is StorageService => (STORAGE_SERVICES as readonly string[]).includes(name);

/**
 * The services to start for `requested`: on the container backend blob,
 * queue and table all become the one `azurite` service and servicebus the
 * `servicebus-container` service; other names stay.
 */
export function servicesForBackend(requested: string[], backend: StorageBackend): string[] {
  if (backend === 'in-process') return [...requested];
  return [...new Set(requested.map((name) => (isStorage(name) ? AZURITE : (CONTAINER_STAND_INS[name] ?? name))))];
}

/** The storage services `requested` asks the azurite container to stand in for; none on the in-process backend. */
export function containerStorageServices(requested: string[], backend: StorageBackend): StorageService[] {
  return backend === 'container' ? STORAGE_SERVICES.filter((name) => requested.includes(name)) : [];
}

/** The storage services `source` holds seed data for (a sub-folder, or a key of the inline data). */
export function storageSeeded(source: SeedSource): StorageService[] {
  const { dir, data } = source;
  return STORAGE_SERVICES.filter((name) =>
    dir === undefined ? data?.[name] !== undefined : statSync(join(dir, name), { throwIfNoEntry: false })?.isDirectory() === true,
  );
}

/**
 * How many worker accounts to register before the container starts, since
 * Azurite reads its accounts (AZURITE_ACCOUNTS) only then. Worker ids run
 * from 1 to the runner's maxWorkers (vitest's VITEST_POOL_ID, jest's
 * JEST_WORKER_ID); when the runner does not say how many, cover twice the
 * cores and at least 16, since an account costs Azurite nothing and a worker
 * without one is refused.
 */
export function containerWorkerCount(runnerMaxWorkers?: number): number {
  return Math.max(runnerMaxWorkers ?? 0, 2 * availableParallelism(), 16);
}

/** The accounts of workers 1..`count`, derived exactly as each worker derives its own. */
export function workerAccounts(base: Namespace, count: number): Namespace[] {
  return Array.from({ length: count }, (_, index) => workerAccount(base, String(index + 1)));
}

/** `maxWorkers` of the vitest project passed to a globalSetup, when it is one. */
export function runnerMaxWorkers(context: unknown): number | undefined {
  const maxWorkers = (context as { config?: { maxWorkers?: unknown } } | undefined)?.config?.maxWorkers;
  return typeof maxWorkers === 'number' && Number.isInteger(maxWorkers) && maxWorkers > 0 ? maxWorkers : undefined;
}

/**
 * The runtime's endpoints with the azurite container's entry replaced by the
 * `storage` services it stands in for, so the Environment has the shape the
 * in-process backend gives it.
 */
export function containerStorageEndpoints(runtime: LocalZureRuntime, storage: StorageService[], namespace: Namespace = runtime.account): Record<string, ServiceEndpoint> {
  const endpoints = { ...runtime.endpoints(namespace) };
  for (const [name, standIn] of Object.entries(CONTAINER_STAND_INS)) {
    if (endpoints[standIn]) endpoints[name] = endpoints[standIn]!;
    delete endpoints[standIn];
  }
  if (storage.length === 0) return endpoints;
  delete endpoints[AZURITE];
  // Duck-typed: discovery may load the service from the built package, another copy of the class.
  const azurite = runtime.manager.getService(AZURITE) as unknown as { storageEndpoints(namespace: Namespace): StorageEndpoints };
  const urls = azurite.storageEndpoints(namespace);
  for (const name of storage) endpoints[name] = { url: urls[name], connectionStringKey: STORAGE_KEYS[name] };
  return endpoints;
}
