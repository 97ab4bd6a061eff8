import type { RequestListener } from 'node:http';
import type { ServiceSnapshot } from '../../core/inspection.js';
import type { Namespace } from '../../core/namespaces.js';
import {
  LocalZureService,
  type ServiceContext,
  type ServiceEndpoint,
  type ServiceHealth,
  type ServiceMetadata,
} from '../../core/service.js';
import { fromSnapshotJson, toSnapshotJson, type SnapshotAdapter } from '../../core/snapshot-json.js';
import { observeDispatcher } from './dispatcher.js';
import { sortedMapAdapter } from './snapshot-adapters.js';
import { StorageHttpServer } from './http-server.js';
import { TouchedAccounts } from './touched-accounts.js';

/** What one storage service (blob, queue, table) plugs into the shared lifecycle. */
export interface StorageServiceDefinition {
  name: string;
  description: string;
  /** This service's key in a storage connection string, e.g. `BlobEndpoint`. */
  connectionStringKey: string;
  store: { reset(account?: string): void; capture(account: string): unknown; restore(account: string, captured: unknown): void };
  listener: RequestListener;
  /** Loads the service's part of the seed into one account (see `sharedSeedLoader`). */
  loadSeed(account: string): Promise<void>;
  /** What one account holds (every account when none is named), for the dashboard and failure reports. */
  inspect?(account?: string): ServiceSnapshot;
  /** How the store's own structures (besides sorted maps) go into a snapshot file. */
  snapshotAdapters?: SnapshotAdapter[];
}

/**
 * The lifecycle every in-process storage emulator shares: one HTTP server on
 * its own port, path-style endpoints per account, reset and seed per account.
 */
export abstract class StorageService extends LocalZureService implements AsyncDisposable {
  readonly #definition: StorageServiceDefinition;
  readonly #server: StorageHttpServer;
  readonly #touched = new TouchedAccounts();

  protected constructor(
    context: Partial<ServiceContext>,
    define: (context: ServiceContext) => StorageServiceDefinition,
  ) {
    super(context);
    this.#definition = define(this.context);
    observeDispatcher(this.#definition.listener, this.context);
    this.#server = new StorageHttpServer(this.#touched.watch(this.#definition.listener));
  }

  getMetadata(): ServiceMetadata {
    return {
      name: this.#definition.name,
      version: '1.0.0',
      description: this.#definition.description,
      dependencies: [],
      port: this.#server.port ?? this.context.port,
      enabled: true,
    };
  }

  override getEndpoint(namespace: Namespace): ServiceEndpoint | undefined {
    const origin = this.#server.origin(this.context.host);
    if (origin === undefined) return undefined;
    return { url: `${origin}/${namespace.name}`, connectionStringKey: this.#definition.connectionStringKey };
  }

  /** Re-applies the seed to one account, or to every account when none is named (a full reset emptied them all). */
  override async seed(namespace?: string): Promise<void> {
    if (this.#touched.skipSeed(namespace)) return;
    const accounts = namespace === undefined ? this.context.namespaces.list().map((n) => n.name) : [namespace];
    for (const account of accounts) await this.#definition.loadSeed(account);
  }

  override async captureNamespace(namespace: string): Promise<unknown> {
    return this.#definition.store.capture(namespace);
  }

  override async restoreNamespace(namespace: string, captured: unknown): Promise<void> {
    this.#definition.store.restore(namespace, captured);
    // No longer its seed: the next reset must empty it.
    this.#touched.mark(namespace);
  }

  override encodeSnapshot(captured: unknown): unknown {
    return toSnapshotJson(captured, this.#snapshotAdapters());
  }

  override decodeSnapshot(encoded: unknown): unknown {
    return fromSnapshotJson(encoded, this.#snapshotAdapters());
  }

  override async inspect(namespace?: string): Promise<ServiceSnapshot | undefined> {
    return this.#definition.inspect?.(namespace);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  #snapshotAdapters(): SnapshotAdapter[] {
    return [sortedMapAdapter as SnapshotAdapter, ...(this.#definition.snapshotAdapters ?? [])];
  }

  protected override async onStart(): Promise<void> {
    await this.#server.listen(this.context.host, this.context.port, `the ${this.#definition.name} service`, this.context.limits);
  }

  protected override async onStop(): Promise<void> {
    await this.#server.close();
  }

  protected override async onReset(namespace?: string): Promise<void> {
    if (this.#touched.needsReset(namespace)) this.#definition.store.reset(namespace);
  }

  protected override async onHealth(): Promise<ServiceHealth> {
    return { status: 'healthy', details: { port: this.#server.port } };
  }
}
