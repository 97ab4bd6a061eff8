import type { GenericContainer } from 'testcontainers';
import { DEFAULT_ACCOUNT, type Namespace } from '../core/namespaces.js';
import type { ServiceEndpoint } from '../core/service.js';
import { ContainerService, type ContainerSpec } from './container-service.js';
import type { Testcontainers } from './runtime-availability.js';

const BLOB = 10000;
const QUEUE = 10001;
const TABLE = 10002;

/** Blob, queue and table URLs of one account. */
export interface StorageEndpoints {
  blob: string;
  queue: string;
  table: string;
}

/**
 * Microsoft's Azurite image: blob, queue and table in one container, the
 * alternative backend to the in-process emulators, and the storage the
 * Event Hubs emulator keeps its metadata in.
 *
 * It knows the accounts registered when it starts (plus devstoreaccount1,
 * which the Event Hubs emulator always uses); accounts added later are not
 * visible to it. Data lives in memory only.
 *
 * Reset: a full reset recreates the container (everything empty, same ports)
 * and then the containers depending on it; a reset of one account leaves it
 * as is, since clearing one account of a container is not something Azurite
 * offers.
 */
export class AzuriteContainerService extends ContainerService {
  protected readonly spec: ContainerSpec = {
    name: 'azurite',
    description: 'Azure Storage (blob, queue, table) in Microsoft\'s Azurite container',
    dependencies: [],
    ports: [BLOB, QUEUE, TABLE],
  };

  protected configure(container: GenericContainer, tc: Testcontainers): GenericContainer {
    return container
      .withEnvironment({ AZURITE_ACCOUNTS: azuriteAccounts(this.context.namespaces.list()) })
      .withCommand(azuriteCommand())
      .withWaitStrategy(tc.Wait.forLogMessage(/successfully listening/, 3));
  }

  protected clear(): Promise<void> {
    return this.recreate();
  }

  override getEndpoint(namespace: Namespace): ServiceEndpoint | undefined {
    if (this.state !== 'RUNNING') return undefined;
    const endpoints = this.storageEndpoints(namespace);
    return { url: endpoints.blob, connectionString: storageConnectionString(namespace, endpoints) };
  }

  /** The URLs for `withLocalZure(['blob'], { backend: 'container' })` to hand out as `endpoints.blob/queue/table`. */
  storageEndpoints(namespace: Namespace): StorageEndpoints {
    return {
      blob: `http://${this.hostAddress(BLOB)}/${namespace.name}`,
      queue: `http://${this.hostAddress(QUEUE)}/${namespace.name}`,
      table: `http://${this.hostAddress(TABLE)}/${namespace.name}`,
    };
  }
}

/** AZURITE_ACCOUNTS: `name:key;name:key`, always including the well-known development account. */
export function azuriteAccounts(namespaces: Namespace[]): string {
  const accounts = new Map(namespaces.map((ns) => [ns.name, ns.key]));
  if (!accounts.has(DEFAULT_ACCOUNT.name)) accounts.set(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
  return [...accounts].map(([name, key]) => `${name}:${key}`).join(';');
}

/** In memory, listening on every interface, accepting any x-ms-version (new SDKs must not break on an older image). */
export function azuriteCommand(): string[] {
  return [
    'azurite',
    '--blobHost', '0.0.0.0',
    '--queueHost', '0.0.0.0',
    '--tableHost', '0.0.0.0',
    '--inMemoryPersistence',
    '--skipApiVersionCheck',
    '--disableProductStyleUrl',
  ];
}

export function storageConnectionString(account: Namespace, endpoints: StorageEndpoints): string {
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${account.name}`,
    `AccountKey=${account.key}`,
    `BlobEndpoint=${endpoints.blob}`,
    `QueueEndpoint=${endpoints.queue}`,
    `TableEndpoint=${endpoints.table}`,
  ].join(';') + ';';
}

export default AzuriteContainerService;
