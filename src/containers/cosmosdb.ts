import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GenericContainer, StartedTestContainer } from 'testcontainers';
import type { ServiceEndpoint } from '../core/service.js';
import { ContainerService, type ContainerSpec } from './container-service.js';
import { COSMOS_EMULATOR_KEY, CosmosRestClient, fetchEmulatorCertificate } from './cosmos-rest.js';
import { ContainerConfigError } from './errors.js';
import type { Testcontainers } from './runtime-availability.js';
import { expectRecord, readSeedConfig } from './seed-config.js';

const GATEWAY = 8081;

/**
 * Databases and containers to create after every full reset, from
 * `seed.data.cosmosdb` (or `<seed>/cosmosdb/config.json`).
 *
 * @example
 * { databases: { shop: { orders: { partitionKey: '/customerId' } } } }
 */
export interface CosmosSeed {
  databases?: Record<string, Record<string, { partitionKey?: string }>>;
}

/**
 * The Linux Cosmos DB emulator image (API for NoSQL), over HTTPS with the
 * self-signed certificate it generates at start. LocalZure downloads that
 * certificate to a file and publishes it as `NODE_EXTRA_CA_CERTS` (unless
 * already set) and `LOCALZURE_COSMOSDB_CERT_PATH`, so `@azure/cosmos` in
 * test workers trusts it. The client must not follow the emulator's
 * advertised endpoints (they name its in-container port):
 *
 * @example
 * new CosmosClient({ connectionString: env.connectionStrings.cosmosdb, connectionPolicy: { enableEndpointDiscovery: false } });
 *
 * Reset: a full reset deletes every database, then the seed recreates the
 * declared ones; restarting this emulator takes minutes, so it is never
 * recreated.
 */
export class CosmosDbContainerService extends ContainerService {
  protected readonly spec: ContainerSpec = {
    // `cosmosdb` is the in-process emulator; `backend: 'container'` starts this one in its place.
    name: 'cosmosdb-container',
    image: 'cosmosdb',
    description: 'Azure Cosmos DB emulator container (API for NoSQL, HTTPS)',
    dependencies: [],
    ports: [GATEWAY],
  };
  #certificateDir: string | undefined;
  #certificatePath: string | undefined;
  #client: CosmosRestClient | undefined;

  protected override prepare(): void {
    cosmosSeed(readSeedConfig(this.context.seed, 'cosmosdb'));
  }

  protected configure(container: GenericContainer, tc: Testcontainers): GenericContainer {
    return container
      .withEnvironment(cosmosEnvironment())
      .withWaitStrategy(tc.Wait.forLogMessage(/^Started\s*$/))
      .withStartupTimeout(300_000);
  }

  protected override async afterStart(_container: StartedTestContainer): Promise<void> {
    const endpoint = this.#endpoint();
    const pem = await fetchEmulatorCertificate(endpoint);
    this.#certificateDir = await mkdtemp(join(tmpdir(), 'localzure-cosmosdb-'));
    this.#certificatePath = join(this.#certificateDir, 'emulator.pem');
    await writeFile(this.#certificatePath, pem);
    this.#client = new CosmosRestClient(endpoint, pem);
  }

  protected override async beforeRelease(): Promise<void> {
    const dir = this.#certificateDir;
    this.#certificateDir = this.#certificatePath = this.#client = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  protected async clear(): Promise<void> {
    const client = this.#client!;
    for (const id of await client.listDatabases()) await client.deleteDatabase(id);
  }

  override async seed(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    for (const [database, containers] of cosmosSeed(readSeedConfig(this.context.seed, 'cosmosdb'))) {
      await client.createDatabase(database);
      for (const [container, partitionKey] of containers) await client.createContainer(database, container, partitionKey);
    }
  }

  override getEndpoint(): ServiceEndpoint | undefined {
    if (this.state !== 'RUNNING' || !this.#certificatePath) return undefined;
    const endpoint = this.#endpoint();
    return {
      url: endpoint,
      connectionString: `AccountEndpoint=${endpoint};AccountKey=${COSMOS_EMULATOR_KEY};`,
      env: certificateEnvironment(this.#certificatePath, process.env),
    };
  }

  #endpoint(): string {
    return `https://${this.hostAddress(GATEWAY)}/`;
  }
}

/** Few partitions start faster; nothing is persisted; the emulator advertises the address the host reaches it at. */
export function cosmosEnvironment(): Record<string, string> {
  return {
    AZURE_COSMOS_EMULATOR_PARTITION_COUNT: '3',
    AZURE_COSMOS_EMULATOR_ENABLE_DATA_PERSISTENCE: 'false',
    AZURE_COSMOS_EMULATOR_IP_ADDRESS_OVERRIDE: '127.0.0.1',
  };
}

/**
 * Node reads NODE_EXTRA_CA_CERTS once, at process start, so it reaches the
 * test workers started after setup; a value the user set is theirs to keep.
 */
export function certificateEnvironment(path: string, env: NodeJS.ProcessEnv): Record<string, string> {
  return { LOCALZURE_COSMOSDB_CERT_PATH: path, ...(env.NODE_EXTRA_CA_CERTS ? {} : { NODE_EXTRA_CA_CERTS: path }) };
}

/** `[database, [container, partitionKey][]]` pairs of a CosmosSeed; partition keys default to `/id`. */
export function cosmosSeed(config: unknown): Array<[string, Array<[string, string]>]> {
  if (config === undefined) return [];
  const root = expectRecord('cosmosdb', config, 'the Cosmos DB seed');
  const databases = root.databases === undefined ? {} : expectRecord('cosmosdb', root.databases, 'databases');
  return Object.entries(databases).map(([database, containers]) => [
    database,
    Object.entries(expectRecord('cosmosdb', containers, `database "${database}"`)).map(([container, settings]) => {
      const partitionKey = expectRecord('cosmosdb', settings, `container "${database}/${container}"`).partitionKey ?? '/id';
      if (typeof partitionKey !== 'string' || !partitionKey.startsWith('/')) {
        throw new ContainerConfigError('cosmosdb', `container "${database}/${container}": partitionKey must be a path such as "/id", got ${JSON.stringify(partitionKey)}.`);
      }
      return [container, partitionKey];
    }),
  ]);
}

export default CosmosDbContainerService;
