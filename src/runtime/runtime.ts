import { randomBytes } from 'node:crypto';
import getPort from 'get-port';
import { AdjustableClock } from '../core/clock.js';
import { FaultInjector } from '../core/fault-injector.js';
import { RequestJournal } from '../core/request-journal.js';
import { MissingDependencyError, RuntimeStateError, ServiceNotFoundError } from '../core/errors.js';
import { DEFAULT_ACCOUNT, NamespaceRegistry, type Namespace } from '../core/namespaces.js';
import { extraAccounts } from './accounts.js';
import { consoleLogger, type Logger, type SeedSource, type ServiceEndpoint, type ServiceLimits, type StorageAccountSettings } from '../core/service.js';
import { ServiceManager } from '../core/service-manager.js';
import { ControlServer } from './control-server.js';
import { controlRoutes } from './control-routes.js';

export interface RuntimeOptions {
  /** Interface the services and the control server bind to. Default `127.0.0.1`. */
  host?: string;
  /** Fixed port of the control server; random when absent. */
  controlPort?: number;
  /**
   * Interface of the control API, which can wipe every service's data.
   * Default `127.0.0.1` whatever `host` is; any other interface requires a
   * token (`controlToken`, generated when absent).
   */
  controlHost?: string;
  /** Bearer token the control API demands (`Authorization: Bearer <token>`). Generated when `controlHost` is not loopback. */
  controlToken?: string;
  /** Resource limits of every service: stored data cap, connection timeouts, header size. */
  limits?: ServiceLimits;
  /** Blob versioning and container soft delete of the storage accounts (Azure sets them in its management plane). */
  storageAccount?: StorageAccountSettings;
  /** Fixed ports per service name; the rest get random free ports. */
  ports?: Record<string, number>;
  /** The default storage account. Default: `devstoreaccount1` with its well-known key. */
  account?: Namespace;
  /** More storage accounts served next to `account` (cross-account copies with SAS, say). Default: those of `AZURITE_ACCOUNTS` (`name:key;name:key`), else none. */
  accounts?: Namespace[];
  seed?: SeedSource;
  /** Where the project's package.json (for service discovery) is looked for. */
  cwd?: string;
  logger?: Logger;
  /** Requests the journal keeps per namespace before dropping the oldest. Default 1000. */
  journalCapacity?: number;
  /**
   * Accepts the licences of Microsoft's images that demand it (`mssql`, `servicebus`, `eventhubs`);
   * without it they refuse to start with `LZ_LICENSE_NOT_ACCEPTED`. Default: `LOCALZURE_ACCEPT_EULA=Y`.
   */
  acceptEula?: boolean;
}

/**
 * One ServiceManager plus the control server: the engine behind the harness
 * and the CLI.
 *
 * @example
 * await using runtime = new LocalZureRuntime();
 * await runtime.start(['blob']);
 * console.log(runtime.endpoints().blob?.url);
 */
export class LocalZureRuntime implements AsyncDisposable {
  readonly manager: ServiceManager;
  readonly clock = new AdjustableClock();
  /** What the emulators served, per namespace; `GET /_localzure/requests`. */
  readonly journal: RequestJournal;
  /** Faults armed by tests; `POST /_localzure/faults`. */
  readonly faults = new FaultInjector(() => this.manager.serviceNames);
  readonly namespaces: NamespaceRegistry;
  readonly account: Namespace;
  readonly #options: RuntimeOptions;
  /** Interface the control API listens on. */
  readonly controlHost: string;
  /** What callers of the control API must send as `Authorization: Bearer <token>`; undefined when none is required. */
  readonly controlToken: string | undefined;
  readonly #control: ControlServer;
  #started = false;

  constructor(options: RuntimeOptions = {}) {
    this.#options = options;
    this.account = options.account ?? DEFAULT_ACCOUNT;
    this.namespaces = new NamespaceRegistry([this.account, ...extraAccounts(options.accounts)]);
    this.journal = new RequestJournal({ capacity: options.journalCapacity });
    this.manager = new ServiceManager({
      host: options.host ?? '127.0.0.1',
      namespaces: this.namespaces,
      clock: this.clock,
      logger: options.logger ?? consoleLogger,
      seed: options.seed,
      journal: this.journal,
      faults: this.faults,
      storageAccount: options.storageAccount,
      acceptEula: options.acceptEula,
    });
    this.controlHost = options.controlHost ?? '127.0.0.1';
    this.controlToken = options.controlToken ?? (isLoopback(this.controlHost) ? undefined : randomBytes(32).toString('base64url'));
    this.#control = new ControlServer(controlRoutes(this), this.controlToken);
  }

  get host(): string {
    return this.manager.context.host;
  }

  get controlUrl(): string {
    const port = this.#control.port;
    if (port === undefined) throw new RuntimeStateError('The runtime is not started; call start() first.');
    return `http://${urlHost(this.controlHost)}:${port}`;
  }

  /** Services in start order, dependencies included. */
  get services(): string[] {
    return this.manager.startOrder;
  }

  /**
   * Starts `names` and everything they depend on (every declared service when
   * `names` is empty), then the control server. On any failure whatever
   * started is stopped again before the error is thrown.
   */
  async start(names: string[] = []): Promise<void> {
    if (this.#started) throw new RuntimeStateError('This runtime is already started; stop() it first.');
    this.#started = true;
    try {
      const report = await this.manager.discoverServices({
        cwd: this.#options.cwd,
        ...(names.length > 0 ? { names } : {}),
        contextFor: async (name) => ({ port: this.#options.ports?.[name] ?? (await getPort({ host: this.host })), limits: this.#options.limits }),
      });
      const known = [...new Set(this.manager.declaredServices.map((d) => d.name))].sort();
      for (const name of names) {
        if (!this.manager.serviceNames.includes(name)) {
          const failed = report.errors.find((e) => e.service === name);
          throw failed ?? new ServiceNotFoundError(name, known);
        }
      }
      try {
        await this.manager.startAll();
      } catch (error) {
        // A dependency whose module failed to load looks missing; its load error says why.
        if (error instanceof MissingDependencyError) throw report.errors.find((e) => e.service === error.dependency) ?? error;
        throw error;
      }
      await this.manager.seedAll();
      await this.#control.listen(this.controlHost, this.#options.controlPort ?? 0);
    } catch (error) {
      await this.stop().catch(() => {});
      throw error;
    }
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    try {
      await this.#control.close();
      await this.manager.stopAll();
    } finally {
      this.#started = false;
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Endpoints of the running services for one namespace (the default account when absent). */
  endpoints(namespace: Namespace = this.account): Record<string, ServiceEndpoint> {
    const result: Record<string, ServiceEndpoint> = {};
    for (const name of this.manager.runningServices) {
      const endpoint = this.manager.getService(name).getEndpoint(namespace);
      if (endpoint) result[name] = endpoint;
    }
    return result;
  }
}

/** Only these interfaces are unreachable from other machines, so only they may serve the control API without a token. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
