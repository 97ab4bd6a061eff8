import type { ServiceSnapshot } from '../../core/inspection.js';
import { DEFAULT_ACCOUNT, type Namespace } from '../../core/namespaces.js';
import {
  LocalZureService,
  type ServiceContext,
  type ServiceEndpoint,
  type ServiceHealth,
  type ServiceMetadata,
} from '../../core/service.js';
import { StorageHttpServer } from '../storage-common/http-server.js';
import { sharedSeedLoader } from '../storage-common/shared-seed.js';
import { MasterKeyVerifier } from './auth.js';
import { createCosmosDispatcher } from './dispatcher.js';
import { inspectCosmos } from './inspect.js';
import { ResultPages } from './paging.js';
import { cosmosRoutes } from './routes.js';
import { applyCosmosSeed, readCosmosSeed } from './seed.js';
import { captureCosmos, decodeCosmosCapture, restoreCosmos, type CosmosCapture } from './snapshot.js';
import { CosmosStore } from './store.js';

/**
 * Azure Cosmos DB for NoSQL, in process: the unmodified `@azure/cosmos`
 * client talks to it over HTTP with the gateway (REST) protocol. Each
 * namespace is an account of its own, told apart by its key: a worker's
 * connection string reaches only its own databases.
 *
 * @example
 * await using cosmos = new CosmosDbService();
 * await cosmos.start();
 * const client = new CosmosClient(cosmos.getEndpoint(DEFAULT_ACCOUNT)!.connectionString!);
 */
export class CosmosDbService extends LocalZureService implements AsyncDisposable {
  readonly #store = new CosmosStore();
  readonly #pages = new ResultPages();
  readonly #server: StorageHttpServer;
  // Read once: a reset re-applies the seed without reading and parsing its files again.
  readonly #loadSeed = sharedSeedLoader(
    () => readCosmosSeed(this.context.seed),
    (namespace, containers) => applyCosmosSeed(this.#store, namespace, containers, this.context.clock.now()),
  );

  constructor(context: Partial<ServiceContext> = {}) {
    super(context);
    const { clock, logger, journal, faults, namespaces } = this.context;
    this.#server = new StorageHttpServer(
      createCosmosDispatcher({
        routes: cosmosRoutes({ store: this.#store, pages: this.#pages }),
        verifier: new MasterKeyVerifier(namespaces),
        clock,
        logger,
        journal,
        faults,
      }),
    );
  }

  getMetadata(): ServiceMetadata {
    return {
      name: 'cosmosdb',
      version: '1.0.0',
      description: 'Azure Cosmos DB for NoSQL emulator (in process)',
      dependencies: [],
      port: this.#server.port ?? this.context.port,
      enabled: true,
    };
  }

  /** The same endpoint for every namespace; the namespace's key in the connection string picks its data. */
  override getEndpoint(namespace: Namespace): ServiceEndpoint | undefined {
    const origin = this.#server.origin(this.context.host);
    if (origin === undefined) return undefined;
    const url = `${origin}/`;
    return { url, connectionString: `AccountEndpoint=${url};AccountKey=${namespace.key};` };
  }

  override async seed(namespace?: string): Promise<void> {
    const name = namespace ?? (this.context.namespaces.list()[0] ?? DEFAULT_ACCOUNT).name;
    await this.#loadSeed(name);
  }

  /** Databases, containers and items with their system properties and change feed positions; undefined when it has no database. */
  override async captureNamespace(namespace: string): Promise<unknown> {
    return captureCosmos(this.#store.accountOf(namespace));
  }

  override async restoreNamespace(namespace: string, captured: unknown): Promise<void> {
    restoreCosmos(this.#store.accountOf(namespace), captured as CosmosCapture | undefined);
    // Query continuations page through results of the data before.
    this.#pages.clear(namespace);
  }

  override decodeSnapshot(encoded: unknown): unknown {
    return decodeCosmosCapture(encoded);
  }

  override async inspect(namespace?: string): Promise<ServiceSnapshot | undefined> {
    return inspectCosmos(this.#store, namespace, this.context.clock.now());
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  protected override async onStart(): Promise<void> {
    await this.#server.listen(this.context.host, this.context.port, 'the cosmosdb service', this.context.limits);
  }

  protected override async onStop(): Promise<void> {
    await this.#server.close();
  }

  /** Empties items and keeps databases and containers, so suites create them once with createIfNotExists. */
  protected override async onReset(namespace?: string): Promise<void> {
    this.#store.reset(namespace);
    this.#pages.clear(namespace);
  }

  protected override async onHealth(): Promise<ServiceHealth> {
    return { status: 'healthy', details: { port: this.#server.port } };
  }
}

export default CosmosDbService;
