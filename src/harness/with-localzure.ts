import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { BulkOperationError, PortInUseError, type ServiceFailure } from '../core/errors.js';
import { isAccountKey, type Namespace } from '../core/namespaces.js';
import { seedAtPath } from '../core/snapshot-seed.js';
import type { Logger, SeedSource, ServiceLimits } from '../core/service.js';
import { LocalZureRuntime } from '../runtime/runtime.js';
import { resetLocalZure } from './control-client.js';
import { buildEnvironment, type Environment } from './environment.js';
import { AlreadySetUpError, InvalidOptionError, NotSetUpError } from './errors.js';
import type { GuardOptions } from '../guard/network-guard.js';
import { requireLicenseAccepted } from '../containers/license.js';
import { publishToProcessEnv } from './handover.js';
import {
  alternativeEndpoints,
  containerStorageEndpoints,
  containerStorageServices,
  containerWorkerCount,
  licensedImage,
  runnerMaxWorkers,
  servicesForBackend,
  STORAGE_BACKENDS,
  storageSeeded,
  workerAccounts,
  type StorageBackend,
} from './storage-backend.js';

/** Inline seed data, keyed by service: `{ blob: { <container>: { <blob>: 'text' } }, queue: {...}, table: {...} }`. */
export type SeedData = Record<string, unknown>;

export interface LocalZureOptions {
  /** The storage account of the Environment `setup` returns; each test worker derives its own from it. Default: `devstoreaccount1` and its well-known key. */
  account?: Namespace;
  /**
   * More storage accounts, shared by every worker (not isolated or reset per worker): for cross-account
   * copies with SAS and the like. Default: the accounts of `AZURITE_ACCOUNTS` (`name1:key1;name2:key2`), else none.
   */
  accounts?: Namespace[];
  /** Reset the worker's account before every test (`useLocalZure()`, the jest setup file). Default `true`. */
  resetBetweenTests?: boolean;
  /** When a test fails, print what the worker's account holds and its last requests (`useLocalZure()`, the jest setup file). Default: on when the `CI` variable is set. */
  reportOnFailure?: boolean;
  /**
   * The network guard in each test worker (`useLocalZure()`, the jest setup file): requests to real
   * Azure fail with `LZ_REAL_AZURE_BLOCKED`; `{ redirect: true }` serves production storage URLs from
   * the emulators instead. `false` turns it off. Default `true`.
   */
  guard?: boolean | GuardOptions;
  /** Requests the request journal keeps per account before dropping the oldest. Default 1000. */
  journalCapacity?: number;
  /**
   * A seed folder (relative to `cwd`), the same data inline, or a snapshot file written by
   * `localzure snapshot export` (e.g. `'fixtures/baseline.localzure.json'`); applied to every account, again after every reset.
   */
  seed?: string | SeedData;
  /**
   * What serves blob, queue, table and cosmosdb: `'in-process'` (LocalZure's emulators) or `'container'`
   * (Microsoft's images through testcontainers: one `azurite` service, and `cosmosdb-container`; the
   * Environment keeps its shape). Per-test resets do not clear a worker's account on the container. Default `'in-process'`.
   */
  backend?: StorageBackend;
  /**
   * Accepts the licences of Microsoft's images that demand it (`mssql`, `servicebus`, `eventhubs`);
   * without it `setup()` refuses them with `LZ_LICENSE_NOT_ACCEPTED` before any container starts.
   * Default: accepted only when `LOCALZURE_ACCEPT_EULA=Y`.
   */
  acceptEula?: boolean;
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** Fixed ports by service name, for tools that need a known port; the rest get random free ports. */
  ports?: Record<string, number>;
  /** Fixed port for the control API; random when absent. */
  controlPort?: number;
  /** Interface of the control API (which can wipe data). Default `127.0.0.1` whatever `host` is; any other needs `controlToken`, generated when absent and handed to workers. */
  controlHost?: string;
  /** Bearer token the control API demands; workers receive it as LOCALZURE_CONTROL_TOKEN. */
  controlToken?: string;
  /** Resource limits of every service, e.g. `{ maxStoredBytes: 256 * 1024 ** 2 }`. */
  limits?: ServiceLimits;
  /**
   * Blob versioning: every write keeps the blob's previous state as a version (`x-ms-version-id`,
   * `versionid=`, `include=versions`). Azure switches it on in the management plane, so here it is an option. Default `false`.
   */
  versioning?: boolean;
  /** Container soft delete: a deleted container is kept this many days (1 to 365) for `undeleteContainer`. Default: off. */
  containerSoftDeleteDays?: number;
  /** Where the project's package.json (for plugin services) and a relative seed folder are looked up. Default `process.cwd()`. */
  cwd?: string;
  logger?: Logger;
}

/** Anything that can hand values to test workers, such as the project vitest passes to a globalSetup. */
export interface ProvideContext {
  provide(key: string, value: unknown): void;
  /** vitest's watch mode calls this before every rerun. */
  onTestsRerun?(handler: () => Promise<void>): void;
}

/** How workers are told to behave; provided to vitest next to the Environment. */
export interface WorkerSettings {
  resetBetweenTests: boolean;
  /** Undefined means on in CI. */
  reportOnFailure?: boolean;
  /** The network guard's options, or false when it is off; undefined means on. */
  guard?: false | GuardOptions;
}

type HarnessState = 'idle' | 'starting' | 'running' | 'failed' | 'stopped';

/**
 * One LocalZure instance's lifecycle. `setup`, `teardown` and `reset` are
 * plain functions (no `this`), so they can be destructured and exported from
 * a vitest globalSetup file.
 */
export class LocalZureHarness implements AsyncDisposable {
  readonly #services: string[];
  readonly #options: LocalZureOptions;
  #state: HarnessState = 'idle';
  #starting: Promise<Environment> | undefined;
  #runtime: LocalZureRuntime | undefined;
  #environment: Environment | undefined;
  #restoreProcessEnv: (() => void) | undefined;

  constructor(services: string[], options: LocalZureOptions = {}) {
    validate(services, options);
    this.#services = [...services];
    this.#options = options;
  }

  /**
   * Starts the services and everything they depend on, publishes the
   * Environment into `process.env` and, given vitest's globalSetup context,
   * `provide`s it as `'localzure'`. A failed start stops whatever started.
   */
  readonly setup = async (context?: ProvideContext): Promise<Environment> => {
    if (this.#state === 'starting' || this.#state === 'running') throw new AlreadySetUpError();
    this.#state = 'starting';
    this.#starting = this.#start(context);
    try {
      const environment = await this.#starting;
      this.#state = 'running';
      return environment;
    } catch (error) {
      this.#state = 'failed';
      throw error;
    }
  };

  /** Stops everything `setup` started and restores `process.env`. */
  readonly teardown = async (): Promise<void> => {
    if (this.#state === 'idle') {
      throw new NotSetUpError('teardown() was called before setup(): there is nothing to stop. Call setup() first.');
    }
    if (this.#state === 'starting') await this.#starting!.catch(() => {});
    if (this.#state !== 'running') return;
    this.#state = 'stopped';
    this.#restoreProcessEnv?.();
    await this.#runtime!.stop();
  };

  /** Resets this harness's account (everything, or `service` and its dependents), then re-applies the seed. */
  readonly reset = async (service?: string): Promise<string[]> => resetLocalZure(service, this.environment);

  /** The Environment `setup` returned; seen from the harness's own account, not a worker's. */
  get environment(): Environment {
    if (this.#state !== 'running' || !this.#environment) {
      throw new NotSetUpError('The environment exists only while LocalZure runs: await setup() first, and read it before teardown().');
    }
    return this.#environment;
  }

  /** The running engine, for what the Environment does not cover: its manager (events, status) and clock. */
  get runtime(): LocalZureRuntime {
    if (this.#state !== 'running' || !this.#runtime) {
      throw new NotSetUpError('The runtime exists only while LocalZure runs: await setup() first, and read it before teardown().');
    }
    return this.#runtime;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#state !== 'idle') await this.teardown();
  }

  async #start(context: ProvideContext | undefined): Promise<Environment> {
    const { host = '127.0.0.1', ports = {}, controlPort, controlHost = '127.0.0.1' } = this.#options;
    for (const [service, port] of Object.entries(ports)) await assertPortFree(host, port, `withLocalZure option ports.${service}`);
    if (controlPort) await assertPortFree(controlHost, controlPort, 'withLocalZure option controlPort');

    const backend = this.#options.backend ?? 'in-process';
    const requested = servicesForBackend(this.#services, backend);
    // Checked before anything starts, so no dependency's container starts only to be thrown away.
    for (const name of requested) {
      const image = licensedImage(name);
      if (image) requireLicenseAccepted(image, this.#options.acceptEula);
    }
    const storage = containerStorageServices(this.#services, backend);
    const runtime = new LocalZureRuntime({
      host,
      ports,
      controlPort,
      account: this.#options.account,
      accounts: this.#options.accounts,
      seed: this.#seedSource(),
      cwd: this.#options.cwd,
      logger: this.#options.logger,
      journalCapacity: this.#options.journalCapacity,
      controlHost,
      controlToken: this.#options.controlToken,
      limits: this.#options.limits,
      storageAccount: { versioning: this.#options.versioning, containerSoftDeleteDays: this.#options.containerSoftDeleteDays },
      acceptEula: this.#options.acceptEula,
    });
    if (storage.length > 0) {
      for (const account of workerAccounts(runtime.account, containerWorkerCount(runnerMaxWorkers(context)))) runtime.namespaces.add(account);
    }
    await runtime.start(requested).catch((error: unknown) => {
      throw containerRuntimeErrorBehind(error) ?? error;
    });
    try {
      const endpoints = storage.length > 0 ? containerStorageEndpoints(runtime, storage) : runtime.endpoints(runtime.account);
      const environment = buildEnvironment(runtime, runtime.account, alternativeEndpoints(endpoints));
      const { reportOnFailure } = this.#options;
      const settings: WorkerSettings = {
        resetBetweenTests: this.#options.resetBetweenTests ?? true,
        ...(reportOnFailure === undefined ? {} : { reportOnFailure }),
        guard: this.#options.guard === false ? false : this.#options.guard === true || this.#options.guard === undefined ? {} : this.#options.guard,
      };
      this.#restoreProcessEnv = publishToProcessEnv({ environment, ...settings });
      context?.provide('localzure', environment);
      context?.provide('localzureSettings', settings);
      // A rerun in watch mode keeps the emulators and empties what the last run left behind.
      context?.onTestsRerun?.(() => resetEveryNamespace(runtime));
      this.#runtime = runtime;
      this.#environment = environment;
      return environment;
    } catch (error) {
      this.#restoreProcessEnv?.();
      await runtime.stop().catch(() => {});
      throw error;
    }
  }

  #seedSource(): SeedSource | undefined {
    const { seed, cwd = process.cwd() } = this.#options;
    if (seed === undefined) return undefined;
    const source = typeof seed === 'string' ? seedAtPath(resolve(cwd, seed)) : { data: seed };
    if (source === undefined) {
      throw new InvalidOptionError('seed', `${resolve(cwd, seed as string)} is neither a folder nor a file. Point it at a folder laid out as <seed>/blob/<container>/<blob>, <seed>/queue/<queue>.json, <seed>/table/<table>.json, <seed>/cosmosdb/<database>/<container>.json, or at a file written by \`localzure snapshot export\`.`);
    }
    if (source.snapshot && this.#options.backend === 'container') {
      throw new InvalidOptionError('seed', "backend 'container' cannot load a snapshot file: Microsoft's images have no loader for it. Use the in-process backend, or a seed folder.");
    }
    // The Azurite image has no seed loader; starting it empty would fail tests far from the cause.
    const unserved = this.#options.backend === 'container' ? storageSeeded(source) : [];
    if (unserved.length > 0) {
      throw new InvalidOptionError('seed', `backend 'container' cannot apply ${unserved.join(', ')} seed data: the Azurite container has no seed loader. Create that data in a beforeAll, or use the in-process backend.`);
    }
    return source;
  }
}

/**
 * Starts the named Azure service emulators (and what they depend on) for a
 * test run. Use it as a vitest globalSetup module, or call `setup`/`teardown`
 * yourself.
 *
 * @example
 * // vitest.global-setup.ts
 * import { withLocalZure } from 'localzure';
 * export const { setup, teardown } = withLocalZure(['blob', 'queue'], { seed: './fixtures/seed' });
 */
export function withLocalZure(services: string[], options?: LocalZureOptions): LocalZureHarness {
  return new LocalZureHarness(services, options);
}

const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;

function validate(services: unknown, options: LocalZureOptions): void {
  if (!Array.isArray(services) || !services.every((s) => typeof s === 'string' && s.length > 0)) {
    throw new InvalidOptionError('services', `expected an array of service names such as ['blob', 'queue'], got ${JSON.stringify(services)}.`);
  }
  const { account, ports = {}, controlPort, seed } = options;
  const { guard, journalCapacity, backend } = options;
  if (backend !== undefined && !STORAGE_BACKENDS.includes(backend)) {
    throw new InvalidOptionError('backend', `pass ${STORAGE_BACKENDS.map((b) => `'${b}'`).join(' or ')} (absent: 'in-process'), got ${JSON.stringify(backend)}.`);
  }
  if (guard !== undefined && typeof guard !== 'boolean' && (typeof guard !== 'object' || guard === null || Array.isArray(guard))) {
    throw new InvalidOptionError('guard', `pass true, false or { redirect: true }, got ${JSON.stringify(guard)}.`);
  }
  if (options.acceptEula !== undefined && typeof options.acceptEula !== 'boolean') {
    throw new InvalidOptionError('acceptEula', `pass true to accept the licences of Microsoft's images (absent: LOCALZURE_ACCEPT_EULA=Y decides), got ${JSON.stringify(options.acceptEula)}.`);
  }
  if (options.reportOnFailure !== undefined && typeof options.reportOnFailure !== 'boolean') {
    throw new InvalidOptionError('reportOnFailure', `pass true or false (absent: on when CI is set), got ${JSON.stringify(options.reportOnFailure)}.`);
  }
  if (options.versioning !== undefined && typeof options.versioning !== 'boolean') {
    throw new InvalidOptionError('versioning', `pass true to keep blob versions (absent: off), got ${JSON.stringify(options.versioning)}.`);
  }
  const days = options.containerSoftDeleteDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 365)) {
    throw new InvalidOptionError('containerSoftDeleteDays', `${JSON.stringify(days)} is not a retention Azure allows: a whole number of days from 1 to 365 (absent: containers are deleted for good).`);
  }
  if (journalCapacity !== undefined && (!Number.isInteger(journalCapacity) || journalCapacity < 1)) {
    throw new InvalidOptionError('journalCapacity', `${journalCapacity} is not a positive whole number of requests.`);
  }
  if (account && !ACCOUNT_NAME.test(account.name)) {
    throw new InvalidOptionError('account.name', `"${account.name}" is not a storage account name: use 3 to 24 lowercase letters and digits.`);
  }
  if (account && !isAccountKey(account.key)) {
    throw new InvalidOptionError('account.key', 'the key must be base64, like the keys Azure shows for a storage account.');
  }
  for (const [name, port] of Object.entries({ ...ports, ...(controlPort === undefined ? {} : { controlPort }) })) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new InvalidOptionError(name === 'controlPort' ? name : `ports.${name}`, `${port} is not a port number (0 to 65535; 0 or absent means a random free port).`);
    }
  }
  if (seed !== undefined && typeof seed !== 'string' && (typeof seed !== 'object' || seed === null || Array.isArray(seed))) {
    throw new InvalidOptionError('seed', 'pass a folder or snapshot file path, or an object keyed by service, e.g. { blob: { photos: { "a.txt": "hi" } } }.');
  }
}

/** Resets every account (the workers' and the per-test ones), each re-seeded as when it was made. */
async function resetEveryNamespace(runtime: LocalZureRuntime): Promise<void> {
  for (const namespace of runtime.namespaces.list()) await runtime.manager.resetAll(namespace.name);
}

/**
 * A missing container engine is the whole story of a failed start when every
 * other failure is a service that depended on the container: users see that
 * error, saying what was tried, instead of the bulk start report around it.
 */
function containerRuntimeErrorBehind(error: unknown): Error | undefined {
  if (!(error instanceof BulkOperationError)) return undefined;
  // Compared by code: discovery may load a container service, and so its error class, from the built package.
  const codeOf = (failure: ServiceFailure) => (failure.error as { code?: string }).code;
  const cause = error.failures.find((f) => codeOf(f) === 'LZ_CONTAINER_RUNTIME_UNAVAILABLE')?.error;
  return cause && error.failures.every((f) => codeOf(f) === 'LZ_CONTAINER_RUNTIME_UNAVAILABLE' || codeOf(f) === 'LZ_DEPENDENCY_FAILED') ? cause : undefined;
}

// Checked before anything starts, so a taken port fails fast and names who asked for it.
async function assertPortFree(host: string, port: number, requestedBy: string): Promise<void> {
  if (port === 0) return;
  const server = createServer();
  await new Promise<void>((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(error.code === 'EADDRINUSE' ? new PortInUseError(port, requestedBy) : error),
    );
    server.listen(port, host, () => server.close(() => done()));
  });
}
