import getPort from 'get-port';
import { AdjustableClock } from '../core/clock.js';
import { MissingDependencyError, RuntimeStateError, ServiceNotFoundError } from '../core/errors.js';
import { DEFAULT_ACCOUNT, NamespaceRegistry, type Namespace } from '../core/namespaces.js';
import { consoleLogger, type Logger, type SeedSource, type ServiceEndpoint } from '../core/service.js';
import { ServiceManager } from '../core/service-manager.js';
import { ControlServer } from './control-server.js';
import { controlRoutes } from './control-routes.js';

export interface RuntimeOptions {
  /** Interface the services and the control server bind to. Default `127.0.0.1`. */
  host?: string;
  /** Fixed port of the control server; random when absent. */
  controlPort?: number;
  /** Fixed ports per service name; the rest get random free ports. */
  ports?: Record<string, number>;
  /** The default storage account. Default: `devstoreaccount1` with its well-known key. */
  account?: Namespace;
  seed?: SeedSource;
  /** Where the project's package.json (for service discovery) is looked for. */
  cwd?: string;
  logger?: Logger;
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
  readonly namespaces: NamespaceRegistry;
  readonly account: Namespace;
  readonly #options: RuntimeOptions;
  readonly #control: ControlServer;
  #started = false;

  constructor(options: RuntimeOptions = {}) {
    this.#options = options;
    this.account = options.account ?? DEFAULT_ACCOUNT;
    this.namespaces = new NamespaceRegistry([this.account]);
    this.manager = new ServiceManager({
      host: options.host ?? '127.0.0.1',
      namespaces: this.namespaces,
      clock: this.clock,
      logger: options.logger ?? consoleLogger,
      seed: options.seed,
    });
    this.#control = new ControlServer(controlRoutes(this));
  }

  get host(): string {
    return this.manager.context.host;
  }

  get controlUrl(): string {
    const port = this.#control.port;
    if (port === undefined) throw new RuntimeStateError('The runtime is not started; call start() first.');
    return `http://${urlHost(this.host)}:${port}`;
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
        contextFor: async (name) => ({ port: this.#options.ports?.[name] ?? (await getPort({ host: this.host })) }),
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
      // Fresh services hold nothing, so resetting them only applies the seed, in start order.
      await this.manager.resetAll();
      await this.#control.listen(this.host, this.#options.controlPort ?? 0);
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

export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
