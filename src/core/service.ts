import { AdjustableClock, type Clock } from './clock.js';
import { ServiceStateError } from './errors.js';
import { ServiceEventEmitter, type ServiceEventListener } from './events.js';
import { FaultInjector } from './fault-injector.js';
import { RequestJournal } from './request-journal.js';
import type { ServiceSnapshot } from './inspection.js';
import { NamespaceRegistry, type Namespace } from './namespaces.js';
import { fromSnapshotJson, toSnapshotJson } from './snapshot-json.js';
import type { SnapshotSeedSource } from './snapshot-seed.js';

export const ServiceState = {
  UNINITIALIZED: 'UNINITIALIZED',
  STARTING: 'STARTING',
  RUNNING: 'RUNNING',
  STOPPING: 'STOPPING',
  STOPPED: 'STOPPED',
  FAILED: 'FAILED',
} as const;
export type ServiceState = (typeof ServiceState)[keyof typeof ServiceState];

const { UNINITIALIZED, STARTING, RUNNING, STOPPING, STOPPED, FAILED } = ServiceState;

// Any state may also move to FAILED; that edge is checked separately.
const NEXT: Record<ServiceState, readonly ServiceState[]> = {
  UNINITIALIZED: [STARTING],
  STARTING: [RUNNING],
  RUNNING: [STOPPING],
  STOPPING: [STOPPED],
  STOPPED: [STARTING],
  FAILED: [STARTING],
};

export function isValidTransition(from: ServiceState, to: ServiceState): boolean {
  return to === FAILED || NEXT[from].includes(to);
}

export interface ServiceMetadata {
  name: string;
  version: string;
  description: string;
  dependencies: string[];
  port?: number;
  enabled: boolean;
}

export interface ServiceRoute {
  method: string;
  path: string;
  description?: string;
}

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface ServiceHealth {
  status: HealthStatus;
  details?: Record<string, unknown>;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleLogger: Logger = {
  info: () => {},
  warn: (m) => console.warn(`[localzure] ${m}`),
  error: (m) => console.error(`[localzure] ${m}`),
};

/** Seed data for services: a folder with one sub-folder per service, inline data keyed by service name, or a snapshot file. */
export interface SeedSource {
  dir?: string;
  data?: Record<string, unknown>;
  /** A file written by `localzure snapshot export`: every service's section is restored into each namespace. */
  snapshot?: SnapshotSeedSource;
}

/** What the runtime shares with every service it runs. */
export interface ServiceContext {
  host: string;
  /** Fixed port for this service; 0 or undefined means a random free one. */
  port?: number;
  namespaces: NamespaceRegistry;
  clock: Clock;
  logger: Logger;
  seed?: SeedSource;
  /** Where services record the requests they serve; one per runtime, shared by its services. */
  journal?: RequestJournal;
  /** Faults tests armed; services consult it before serving a request. One per runtime. */
  faults?: FaultInjector;
  /** Resource limits: how much data a service keeps, how long a connection may dawdle. */
  limits?: ServiceLimits;
  /** Storage account settings Azure keeps in its management plane, where no REST call reaches them. */
  storageAccount?: StorageAccountSettings;
  /**
   * The user accepted the licences of the images that demand it (SQL Server, the Service Bus and
   * Event Hubs emulators). Undefined defers to `LOCALZURE_ACCEPT_EULA=Y`; false refuses even then.
   */
  acceptEula?: boolean;
}

/** Data protection settings of the storage accounts, as Azure's management plane would set them. */
export interface StorageAccountSettings {
  /** Blob versioning: every write keeps the blob's previous state as a version. Default `false`. */
  versioning?: boolean;
  /** Container soft delete: a deleted container is kept this many days (1 to 365) for Restore Container. Default: off. */
  containerSoftDeleteDays?: number;
}

/**
 * What one emulator may consume. Absent fields keep the defaults, chosen so
 * that genuine test traffic never meets them.
 */
export interface ServiceLimits {
  /** Bytes of data one service keeps in memory (blob contents, staged blocks, messages); writes past it are refused with 507. Default: no cap. */
  maxStoredBytes?: number;
  /** A connection that has not sent a request's complete headers after this long gets 408 and is closed. Default 60 000. */
  headersTimeoutMs?: number;
  /** A request (headers and body) not complete after this long gets 408 and is closed. Default 300 000. */
  requestTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this long. Default 5 000. */
  keepAliveTimeoutMs?: number;
  /** Largest request line plus headers, in bytes; a larger request gets 431. Default 16 384. */
  maxHeaderSize?: number;
}

/** A context with the defaults filled in: loopback host, the default account, a clock that starts at the real time. */
export function completeContext(context: Partial<ServiceContext>): ServiceContext {
  return {
    host: context.host ?? '127.0.0.1',
    port: context.port,
    namespaces: context.namespaces ?? new NamespaceRegistry(),
    clock: context.clock ?? new AdjustableClock(),
    logger: context.logger ?? consoleLogger,
    seed: context.seed,
    journal: context.journal ?? new RequestJournal(),
    faults: context.faults ?? new FaultInjector(),
    limits: context.limits,
    storageAccount: context.storageAccount,
    acceptEula: context.acceptEula,
  };
}

/** Where clients reach a service for one namespace. */
export interface ServiceEndpoint {
  url: string;
  /** This endpoint's key in an Azure storage connection string, e.g. `BlobEndpoint`. */
  connectionStringKey?: string;
  /** A complete connection string for the service's own SDK, e.g. `Endpoint=sb://...` for `@azure/service-bus`. */
  connectionString?: string;
  /** Variables test processes need besides the connection string, e.g. `NODE_EXTRA_CA_CERTS` for a self-signed certificate. */
  env?: Record<string, string>;
}

type Operation = 'start' | 'stop' | 'reset' | 'health';

/**
 * Base class of every emulated service. It owns the state machine: subclasses
 * implement `onStart`, `onStop`, `onReset` and `onHealth` (or override
 * `start`/`stop`/`reset`/`health` directly, which the constructor wraps), and
 * callers only ever see validated transitions. Such an override must not call
 * `super.start()` and the like: those are the wrappers that call it.
 *
 * @example
 * class EchoService extends LocalZureService {
 *   getMetadata() { return { name: 'echo', version: '1.0.0', description: 'echo', dependencies: [], enabled: true }; }
 *   protected async onStart() {}
 *   protected async onStop() {}
 * }
 */
export abstract class LocalZureService {
  readonly context: ServiceContext;
  #state: ServiceState = UNINITIALIZED;
  #error: Error | undefined;
  #runningSince: number | undefined;
  #inFlight: Promise<void> | undefined;
  readonly #overrides: Partial<Record<Operation, (...args: never[]) => unknown>> = {};
  readonly #events: ServiceEventEmitter;

  constructor(context: Partial<ServiceContext> = {}) {
    this.context = completeContext(context);
    this.#events = new ServiceEventEmitter((error, event) =>
      this.context.logger.error(`A listener of "${event.serviceName}" threw: ${String(error)}`),
    );
    // Subclasses written against the design's names override the public
    // operations; keep their code as the implementation behind the safe wrapper.
    for (const op of ['start', 'stop', 'reset', 'health'] as const) {
      const own = (this as unknown as Record<Operation, (...args: never[]) => unknown>)[op];
      if (own !== LocalZureService.prototype[op]) {
        this.#overrides[op] = own.bind(this);
        Object.defineProperty(this, op, { value: LocalZureService.prototype[op].bind(this) });
      }
    }
  }

  abstract getMetadata(): ServiceMetadata;

  getRoutes(): ServiceRoute[] {
    return [];
  }

  /** The URL clients use for `namespace`; undefined while not running or for services without an HTTP face. */
  getEndpoint(_namespace: Namespace): ServiceEndpoint | undefined {
    return undefined;
  }

  protected onStart(): Promise<void> {
    return this.#missing('start');
  }

  protected onStop(): Promise<void> {
    return this.#missing('stop');
  }

  protected async onReset(_namespace?: string): Promise<void> {}

  /** Re-applies seed data after a reset; the manager calls it in start order. */
  async seed(_namespace?: string): Promise<void> {}

  protected async onHealth(): Promise<ServiceHealth> {
    return { status: 'healthy' };
  }

  /**
   * A copy of what one namespace holds, for `restoreNamespace` to put back
   * (`snapshot(name)` in the harness); undefined for a service that keeps
   * nothing per namespace. A service takes part in snapshots by overriding
   * both: the copy must not change when the live data does, and restoring it
   * must leave it fit to be restored again.
   */
  async captureNamespace(_namespace: string): Promise<unknown> {
    return undefined;
  }

  /** Replaces what `namespace` holds with what `captureNamespace` returned for it (undefined: nothing). */
  async restoreNamespace(_namespace: string, _captured: unknown): Promise<void> {}

  /**
   * What `captureNamespace` returned, as JSON for a snapshot file
   * (`localzure snapshot export`). The default handles plain data with
   * Buffers, Maps, Sets and Dates in it (see `toSnapshotJson`); a service
   * whose capture holds other objects overrides both this and
   * `decodeSnapshot`.
   */
  encodeSnapshot(captured: unknown): unknown {
    return toSnapshotJson(captured);
  }

  /** The inverse of `encodeSnapshot`: a capture `restoreNamespace` accepts. Throws on data it cannot read. */
  decodeSnapshot(encoded: unknown): unknown {
    return fromSnapshotJson(encoded);
  }

  /**
   * A read-only picture of the data held for one namespace, or for all when
   * none is named; undefined for services with nothing to show. Feeds the
   * dashboard, `localzure inspect` and the report printed when a test fails.
   */
  async inspect(_namespace?: string): Promise<ServiceSnapshot | undefined> {
    return undefined;
  }

  get name(): string {
    return this.getMetadata().name;
  }

  get state(): ServiceState {
    return this.#state;
  }

  /** The last failure, kept until the service next starts successfully. */
  get error(): Error | undefined {
    return this.#error;
  }

  /** Seconds since the service reached RUNNING; null when it is not running. */
  get uptime(): number | null {
    if (this.#state !== RUNNING || this.#runningSince === undefined) return null;
    return (Date.now() - this.#runningSince) / 1000;
  }

  addEventListener(listener: ServiceEventListener): void {
    this.#events.add(listener);
  }

  removeEventListener(listener: ServiceEventListener): void {
    this.#events.remove(listener);
  }

  /**
   * Starts the service; a no-op when it is running. Calls made while it is
   * starting get the very promise of the start in flight.
   */
  start(): Promise<void> {
    if (this.#state === RUNNING) return Promise.resolve();
    if (this.#state === STARTING && this.#inFlight) return this.#inFlight;
    return this.#track(STARTING, async () => {
      try {
        await this.#run('start');
      } catch (error) {
        this.#fail(error);
        throw this.#error;
      }
      this.#error = undefined;
      this.#runningSince = Date.now();
      this.#transition(RUNNING);
    });
  }

  /**
   * Stops the service; a no-op when it never ran or already stopped. A FAILED
   * service is asked to release what it holds and stays FAILED. Calls made
   * while it is stopping get the very promise of the stop in flight.
   */
  stop(): Promise<void> {
    if (this.#state === UNINITIALIZED || this.#state === STOPPED) return Promise.resolve();
    if (this.#state === STOPPING && this.#inFlight) return this.#inFlight;
    if (this.#state === STARTING && this.#inFlight) {
      return this.#inFlight.then(
        () => this.stop(),
        () => this.stop(),
      );
    }
    if (this.#state === FAILED) {
      return this.#run('stop').then(
        () => {},
        (error) => this.context.logger.warn(`Cleaning up failed service "${this.name}": ${String(error)}`),
      );
    }
    return this.#track(STOPPING, async () => {
      try {
        await this.#run('stop');
      } catch (error) {
        this.#fail(error);
        throw this.#error;
      }
      this.#runningSince = undefined;
      this.#transition(STOPPED);
    });
  }

  /** Empties the service's data (one namespace's, when given); only while RUNNING. */
  async reset(namespace?: string): Promise<void> {
    if (this.#state !== RUNNING) {
      throw new ServiceStateError(
        `Cannot reset "${this.name}" while it is ${this.#state}; start it first.`,
        this.name,
      );
    }
    await this.#run('reset', namespace);
    // What a test observed or armed belongs to the data it just threw away.
    this.context.journal?.clear({ namespace, service: this.name });
    this.context.faults?.clear({ namespace, service: this.name });
  }

  /** Never throws: a failing check reports `unhealthy` with the reason. */
  async health(): Promise<ServiceHealth> {
    if (this.#state !== RUNNING) {
      return { status: 'unhealthy', details: { state: this.#state, error: this.#error?.message } };
    }
    try {
      return (await this.#run('health')) as ServiceHealth;
    } catch (error) {
      return { status: 'unhealthy', details: { error: toError(error).message } };
    }
  }

  // Async so that a subclass throwing synchronously still rejects.
  async #run(op: Operation, ...args: unknown[]): Promise<unknown> {
    const override = this.#overrides[op] as ((...a: unknown[]) => Promise<unknown>) | undefined;
    if (override) return override(...args);
    switch (op) {
      case 'start':
        return this.onStart();
      case 'stop':
        return this.onStop();
      case 'reset':
        return this.onReset(args[0] as string | undefined);
      case 'health':
        return this.onHealth();
    }
  }

  #missing(op: string): Promise<void> {
    return Promise.reject(new Error(`${this.constructor.name} does not implement ${op}: override on${op[0]!.toUpperCase()}${op.slice(1)}().`));
  }

  // Enters `state` and runs `work` as the one operation in flight. An
  // invalid transition rejects rather than throws, like every async failure.
  #track(state: ServiceState, work: () => Promise<void>): Promise<void> {
    try {
      this.#transition(state);
    } catch (error) {
      return Promise.reject(error);
    }
    const p = work().finally(() => {
      if (this.#inFlight === p) this.#inFlight = undefined;
    });
    this.#inFlight = p;
    return p;
  }

  #fail(error: unknown): void {
    this.#error = toError(error);
    this.#runningSince = undefined;
    this.#transition(FAILED, this.#error);
  }

  #transition(to: ServiceState, error?: Error): void {
    const from = this.#state;
    if (!isValidTransition(from, to)) {
      throw new ServiceStateError(`Service "${this.name}" cannot go from ${from} to ${to}.`, this.name);
    }
    this.#state = to;
    this.#events.emit({ serviceName: this.name, oldState: from, newState: to, error, timestamp: new Date() });
  }
}

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
