import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { StorageEndpoints } from '../containers/azurite.js';
import type { Namespace } from '../core/namespaces.js';
import type { SeedSource, ServiceEndpoint } from '../core/service.js';
import type { LocalZureRuntime } from '../runtime/runtime.js';
import { STORAGE_KEYS } from './environment.js';
import { workerAccount } from './worker.js';

/** What serves blob, queue, table, servicebus, eventhubs and cosmosdb: LocalZure's own emulators, or Microsoft's images (Azurite, the Service Bus, Event Hubs and Cosmos DB emulators). */
export type StorageBackend = 'in-process' | 'container';

export const STORAGE_BACKENDS: readonly StorageBackend[] = ['in-process', 'container'];

const STORAGE_SERVICES = ['blob', 'queue', 'table'] as const;
type StorageService = (typeof STORAGE_SERVICES)[number];

/** The container service that serves all three storage services at once. */
const AZURITE = 'azurite';

const isStorage = (name: string): name is StorageService => (STORAGE_SERVICES as readonly string[]).includes(name);

/**
 * In-process services whose Microsoft image runs, on the container backend,
 * as a service of another name (the image's own name is the in-process one's),
 * and the storage services whose endpoints their users need beside them
 * (Event Hubs' checkpoint store lives in blob).
 */
export const CONTAINER_ALTERNATIVES: Readonly<Record<string, { service: string; storage: readonly StorageService[] }>> = {
  eventhubs: { service: 'eventhubs-container', storage: ['blob'] },
  cosmosdb: { service: 'cosmosdb-container', storage: [] },
  servicebus: { service: 'servicebus-container', storage: [] },
};

/**
 * The services to start for `requested`: on the container backend blob,
 * queue and table all become the one `azurite` service and services with a
 * container alternative become it; other names stay.
 */
export function servicesForBackend(requested: string[], backend: StorageBackend): string[] {
  if (backend === 'in-process') return [...requested];
  return [...new Set(requested.map((name) => (isStorage(name) ? AZURITE : (CONTAINER_ALTERNATIVES[name]?.service ?? name))))];
}

/**
 * The image whose licence starting the service `name` needs (checked before
 * anything starts): a container alternative's image; none for a service
 * served in process; the name itself for the other container services.
 */
export function licensedImage(name: string): string | undefined {
  if (name in CONTAINER_ALTERNATIVES) return undefined;
  return Object.entries(CONTAINER_ALTERNATIVES).find(([, alternative]) => alternative.service === name)?.[0] ?? name;
}

/** `endpoints` with each container alternative's entry under the name of the service it stands in for, so the Environment keeps its shape. */
export function alternativeEndpoints(endpoints: Record<string, ServiceEndpoint>): Record<string, ServiceEndpoint> {
  const renamed = { ...endpoints };
  for (const [name, { service }] of Object.entries(CONTAINER_ALTERNATIVES)) {
    if (!renamed[service]) continue;
    renamed[name] = renamed[service];
    delete renamed[service];
  }
  return renamed;
}

/** The storage services `requested` (or a container alternative in it) asks the azurite container to stand in for; none on the in-process backend. */
export function containerStorageServices(requested: string[], backend: StorageBackend): StorageService[] {
  if (backend !== 'container') return [];
  const wanted = new Set(requested.flatMap((name) => [name, ...(CONTAINER_ALTERNATIVES[name]?.storage ?? [])]));
  return STORAGE_SERVICES.filter((name) => wanted.has(name));
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
 * The runtime's endpoints on the container backend, in the shape the
 * in-process backend gives them: the azurite container's entry replaced by
 * the `storage` services it stands in for (see `alternativeEndpoints` for
 * the other container alternatives).
 */
export function containerStorageEndpoints(runtime: LocalZureRuntime, storage: StorageService[], namespace: Namespace = runtime.account): Record<string, ServiceEndpoint> {
  const endpoints = { ...runtime.endpoints(namespace) };
  if (storage.length === 0) return endpoints;
  delete endpoints[AZURITE];
  // Duck-typed: discovery may load the service from the built package, another copy of the class.
  const azurite = runtime.manager.getService(AZURITE) as unknown as { storageEndpoints(namespace: Namespace): StorageEndpoints };
  const urls = azurite.storageEndpoints(namespace);
  for (const name of storage) endpoints[name] = { url: urls[name], connectionStringKey: STORAGE_KEYS[name] };
  return endpoints;
}
