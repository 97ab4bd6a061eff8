import { dependentsOf, resolveStartOrder, type GraphNode } from './dependency-graph.js';
import { findServiceDeclarations, loadService, type ServiceDeclaration } from './discovery.js';
import {
  BulkOperationError,
  DependencyFailedError,
  DependencyNotRunningError,
  DiscoveryError,
  DuplicateServiceError,
  MissingDependencyError,
  ServiceDisabledError,
  ServiceNotFoundError,
  ServiceStateError,
  type ServiceFailure,
} from './errors.js';
import { ServiceEventEmitter, type ServiceEvent, type ServiceEventListener } from './events.js';
import { NamespaceQueue } from './namespace-queue.js';
import { decodeSnapshotSeed } from './snapshot-seed.js';
import {
  completeContext,
  ServiceState,
  toError,
  type LocalZureService,
  type ServiceContext,
  type ServiceHealth,
} from './service.js';

export interface ServiceStatus {
  name: string;
  state: ServiceState;
  /** Seconds running, or null. */
  uptime: number | null;
  error?: string;
  enabled: boolean;
  version: string;
  description: string;
  dependencies: string[];
  port?: number;
  /** `built-in`, the npm package that declared it, or `registered` for services added in code. */
  source: string;
}

export interface DiscoveryReport {
  registered: string[];
  errors: DiscoveryError[];
}

export interface DiscoverOptions {
  /** Where the project's package.json is looked for; defaults to the working directory. */
  cwd?: string;
  /** Load only these services and what they depend on; all declared ones when absent. */
  names?: string[];
  /** Per-service context overrides, such as a fixed port. */
  contextFor?: (name: string) => Partial<ServiceContext> | Promise<Partial<ServiceContext>>;
}

interface Entry {
  service: LocalZureService;
  source: string;
}

/**
 * Registers services, orders them by their dependencies and drives their
 * lifecycle. Start order is topological, stop and reset orders the reverse.
 */
export class ServiceManager {
  readonly context: ServiceContext;
  readonly #entries = new Map<string, Entry>();
  readonly #events: ServiceEventEmitter;
  // Resets and seeding of one namespace never interleave: two resets racing
  // would both empty the account before either seeds it, seeding it twice.
  readonly #namespaceWork = new NamespaceQueue();
  #order: string[] | undefined;
  #declared: ServiceDeclaration[] = [];
  // Service → capture decoded from the seed's snapshot file, at the first seedAll.
  #snapshotSeed: Map<string, unknown> | undefined;
  readonly #forward = (event: ServiceEvent) => this.#events.emit(event);

  constructor(context: Partial<ServiceContext> = {}) {
    this.context = completeContext(context);
    this.#events = new ServiceEventEmitter((error, event) =>
      this.context.logger.error(
        `An event listener threw on ${event.serviceName} ${event.oldState}→${event.newState}: ${String(error)}`,
      ),
    );
  }

  get serviceCount(): number {
    return this.#entries.size;
  }

  get runningServices(): string[] {
    return this.#namesIn(ServiceState.RUNNING);
  }

  get failedServices(): string[] {
    return this.#namesIn(ServiceState.FAILED);
  }

  /** Names in start order; computing it checks the graph. */
  get startOrder(): string[] {
    return (this.#order ??= resolveStartOrder(this.#graph()));
  }

  get serviceNames(): string[] {
    return [...this.#entries.keys()].sort();
  }

  /** Every service the last discovery found declared, loaded or not. */
  get declaredServices(): ServiceDeclaration[] {
    return [...this.#declared];
  }

  getService(name: string): LocalZureService {
    return this.#entry(name).service;
  }

  /**
   * Adds a service built in code. Build it with this manager's `context` so
   * it shares the manager's namespaces, clock and logger.
   *
   * @example
   * manager.registerService(new EchoService(manager.context));
   */
  registerService(service: LocalZureService, source = 'registered'): void {
    const name = service.getMetadata().name;
    if (this.#entries.has(name)) throw new DuplicateServiceError(name);
    this.#entries.set(name, { service, source });
    service.addEventListener(this.#forward);
    this.#order = undefined;
  }

  registerServices(services: Iterable<LocalZureService>, source?: string): void {
    for (const service of services) this.registerService(service, source);
  }

  /**
   * Registers the services declared in package.json files: localzure's own
   * built-ins, the project's, and its dependencies'. A module that fails to
   * load is reported in `errors` and does not stop the others.
   */
  async discoverServices(options: DiscoverOptions = {}): Promise<DiscoveryReport> {
    const { declarations, errors } = findServiceDeclarations(options.cwd);
    this.#declared = declarations;
    const byName = new Map<string, ServiceDeclaration>();
    for (const declaration of declarations) {
      const existing = byName.get(declaration.name);
      if (existing) {
        errors.push(
          new DiscoveryError(
            declaration.packageName,
            declaration.name,
            `"${existing.packageName}" already declares a service of that name; the first one is kept.`,
          ),
        );
        continue;
      }
      byName.set(declaration.name, declaration);
    }

    const registered: string[] = [];
    const load = async (name: string): Promise<void> => {
      if (this.#entries.has(name)) return;
      const declaration = byName.get(name);
      if (!declaration) return;
      try {
        const service = await loadService(declaration, { ...this.context, ...(await options.contextFor?.(name)) });
        this.registerService(service, declaration.builtin ? 'built-in' : declaration.packageName);
        registered.push(name);
        if (options.names) {
          for (const dep of service.getMetadata().dependencies) await load(dep);
        }
      } catch (error) {
        errors.push(
          error instanceof DiscoveryError
            ? error
            : new DiscoveryError(declaration.packageName, name, String(error), error),
        );
      }
    };
    for (const name of options.names ?? [...byName.keys()].sort()) await load(name);
    for (const error of errors) this.context.logger.warn(error.message);
    return { registered, errors };
  }

  /** Checks the dependency graph; throws MissingDependencyError or CircularDependencyError. */
  initialize(): string[] {
    this.#order = undefined;
    return this.startOrder;
  }

  async startService(name: string): Promise<void> {
    const { service } = this.#entry(name);
    const meta = service.getMetadata();
    if (!meta.enabled) throw new ServiceDisabledError(name);
    for (const dep of meta.dependencies) {
      const depEntry = this.#entries.get(dep);
      if (!depEntry || !depEntry.service.getMetadata().enabled) throw new MissingDependencyError(name, dep);
      if (depEntry.service.state !== ServiceState.RUNNING) {
        throw new DependencyNotRunningError(name, dep, depEntry.service.state);
      }
    }
    await service.start();
  }

  async stopService(name: string): Promise<void> {
    await this.#entry(name).service.stop();
  }

  /**
   * Starts every enabled service in dependency order. Keeps going past a
   * failure but never starts a dependent of a service that failed; throws a
   * BulkOperationError listing every failure once it is done.
   */
  async startAll(): Promise<void> {
    const order = this.initialize();
    const failures: ServiceFailure[] = [];
    const blocked = new Set<string>();
    for (const name of order) {
      const failedDep = this.#entry(name).service.getMetadata().dependencies.find((d) => blocked.has(d));
      if (failedDep) {
        blocked.add(name);
        failures.push({ service: name, error: new DependencyFailedError(name, failedDep) });
        continue;
      }
      try {
        await this.startService(name);
      } catch (error) {
        blocked.add(name);
        failures.push({ service: name, error: toError(error) });
      }
    }
    if (failures.length > 0) throw new BulkOperationError('LZ_START_FAILED', 'Starting services', failures);
  }

  /** Stops every service, dependents first; reports failures after stopping all it can. */
  async stopAll(): Promise<void> {
    const failures: ServiceFailure[] = [];
    for (const name of this.#stopOrder()) {
      try {
        await this.stopService(name);
      } catch (error) {
        failures.push({ service: name, error: toError(error) });
      }
    }
    if (failures.length > 0) throw new BulkOperationError('LZ_STOP_FAILED', 'Stopping services', failures);
  }

  /**
   * Resets `name` and everything running that depends on it (dependents
   * first), then re-applies seed data to them in start order. Refuses when
   * `name` itself is not running. Resets and seeding of one namespace run
   * one after the other, and those of every namespace (none named) after
   * and before all others.
   */
  async resetService(name: string, namespace?: string): Promise<string[]> {
    const { service } = this.#entry(name);
    if (service.state !== ServiceState.RUNNING) {
      throw new ServiceStateError(`Cannot reset "${name}" while it is ${service.state}; start it first.`, name);
    }
    const affected = dependentsOf(name, this.#graph());
    affected.add(name);
    const names = this.startOrder.filter((n) => affected.has(n));
    return this.#namespaceWork.run(namespace, () => this.#reset(names, namespace));
  }

  /**
   * Applies seed data to every running service in start order, without
   * emptying anything first: for services or namespaces that start empty.
   */
  async seedAll(namespace?: string): Promise<void> {
    const order = this.startOrder;
    await this.#namespaceWork.run(namespace, async () => {
      const running = order.filter((n) => this.#entry(n).service.state === ServiceState.RUNNING);
      const snapshot = this.context.seed?.snapshot;
      // Thrown as is, not as one of the failures: a bad file is the whole story.
      if (snapshot && !this.#snapshotSeed) {
        this.#snapshotSeed = decodeSnapshotSeed(snapshot, [...new Set([...this.#declared.map((d) => d.name), ...this.serviceNames])].sort(), new Map(running.map((n) => [n, this.#entry(n).service])));
      }
      const failures = await this.#seed(running, namespace);
      if (failures.length > 0) throw new BulkOperationError('LZ_SEED_FAILED', 'Seeding services', failures);
    });
  }

  /** Resets every running service in reverse start order, then re-seeds in start order. */
  async resetAll(namespace?: string): Promise<string[]> {
    const order = this.startOrder;
    return this.#namespaceWork.run(namespace, () => this.#reset(order, namespace));
  }

  getServiceStatus(name: string): ServiceStatus {
    const { service, source } = this.#entry(name);
    const meta = service.getMetadata();
    return {
      name,
      state: service.state,
      uptime: service.uptime,
      ...(service.error ? { error: service.error.message } : {}),
      enabled: meta.enabled,
      version: meta.version,
      description: meta.description,
      dependencies: [...meta.dependencies],
      ...(meta.port !== undefined ? { port: meta.port } : {}),
      source,
    };
  }

  getAllStatus(): Record<string, ServiceStatus> {
    return Object.fromEntries(this.serviceNames.map((n) => [n, this.getServiceStatus(n)]));
  }

  getServiceHealth(name: string): Promise<ServiceHealth> {
    return this.#entry(name).service.health();
  }

  async getAllHealth(): Promise<Record<string, ServiceHealth>> {
    const names = this.serviceNames;
    const results = await Promise.all(names.map((n) => this.getServiceHealth(n)));
    return Object.fromEntries(names.map((n, i) => [n, results[i]!]));
  }

  addEventListener(listener: ServiceEventListener): void {
    this.#events.add(listener);
  }

  removeEventListener(listener: ServiceEventListener): void {
    this.#events.remove(listener);
  }

  // Resets all it can before reporting: one service failing to empty must not
  // leave the others holding a previous test's data. A service whose reset
  // failed is not re-seeded on top of what it still holds.
  async #reset(inStartOrder: string[], namespace?: string): Promise<string[]> {
    const running = inStartOrder.filter((n) => this.#entry(n).service.state === ServiceState.RUNNING);
    const failures: ServiceFailure[] = [];
    const reset: string[] = [];
    for (const name of [...running].reverse()) {
      try {
        await this.#entry(name).service.reset(namespace);
        reset.push(name);
        this.#emitOperation(name, 'reset', namespace);
      } catch (error) {
        failures.push({ service: name, error: toError(error) });
      }
    }
    failures.push(...(await this.#seed(running.filter((n) => reset.includes(n)), namespace)));
    if (failures.length > 0) throw new BulkOperationError('LZ_RESET_FAILED', 'Resetting services', failures);
    return reset;
  }

  async #seed(inStartOrder: string[], namespace?: string): Promise<ServiceFailure[]> {
    const failures: ServiceFailure[] = [];
    for (const name of inStartOrder) {
      try {
        const service = this.#entry(name).service;
        await service.seed(namespace);
        const captured = this.#snapshotSeed?.get(name);
        if (captured !== undefined) {
          for (const ns of namespace === undefined ? this.context.namespaces.list().map((n) => n.name) : [namespace]) await service.restoreNamespace(ns, captured);
        }
        this.#emitOperation(name, 'seed', namespace);
      } catch (error) {
        failures.push({ service: name, error: toError(error) });
      }
    }
    return failures;
  }

  #emitOperation(serviceName: string, operation: 'reset' | 'seed', namespace: string | undefined): void {
    const { RUNNING } = ServiceState;
    this.#events.emit({
      serviceName,
      oldState: RUNNING,
      newState: RUNNING,
      operation,
      ...(namespace === undefined ? {} : { namespace }),
      timestamp: new Date(),
    });
  }

  // Disabled services are outside the graph, so nothing enabled depends on
  // them: they go first. A graph that cannot be ordered still has to be
  // stoppable: fall back to reverse registration order.
  #stopOrder(): string[] {
    let ordered: string[];
    try {
      ordered = [...this.startOrder].reverse();
    } catch {
      return [...this.#entries.keys()].reverse();
    }
    const outside = [...this.#entries.keys()].filter((n) => !ordered.includes(n)).reverse();
    return [...outside, ...ordered];
  }

  #graph(): GraphNode[] {
    return [...this.#entries.values()]
      .map((e) => e.service.getMetadata())
      .filter((m) => m.enabled)
      .map((m) => ({ name: m.name, dependencies: m.dependencies }));
  }

  #namesIn(state: ServiceState): string[] {
    return this.serviceNames.filter((n) => this.#entry(n).service.state === state);
  }

  #entry(name: string): Entry {
    const entry = this.#entries.get(name);
    if (!entry) throw new ServiceNotFoundError(name, this.serviceNames);
    return entry;
  }
}
