import getPort from 'get-port';
import type { GenericContainer, StartedTestContainer } from 'testcontainers';
import { DependencyNotRunningError } from '../core/errors.js';
import { LocalZureService, type ServiceContext, type ServiceHealth, type ServiceMetadata } from '../core/service.js';
import { CONTAINER_IMAGES, imageTag, type ContainerImageName } from './images.js';
import { IMAGE_LICENSES, requireLicenseAccepted } from './license.js';
import { containerGroupFor, type ContainerGroup, type ContainerLink, type GroupMember } from './network.js';
import { requireContainerRuntime, type ContainerRuntimeOptions, type Testcontainers } from './runtime-availability.js';

export interface ContainerServiceOptions {
  runtime?: ContainerRuntimeOptions;
}

export interface ContainerSpec {
  name: string;
  /** The pinned image it runs; its name when absent (a service named apart from its in-process namesake sets it). */
  image?: ContainerImageName;
  description: string;
  dependencies: string[];
  /** Container ports published on the host; `context.port` fixes the first one's host port. */
  ports: number[];
}

/**
 * A LocalZureService whose emulator is one of Microsoft's container images,
 * run through testcontainers on the runtime's shared network under its own
 * name as alias. Host ports are chosen once, before the first start, so a
 * reset that recreates the container keeps every endpoint handed out.
 *
 * A reset for one namespace leaves the container alone: these emulators keep
 * no per-account data, and clearing them would wipe every other worker's.
 * A full reset calls `clear()`, which each emulator implements as its image
 * allows (recreate the container, or delete what it holds).
 */
export abstract class ContainerService extends LocalZureService {
  protected abstract readonly spec: ContainerSpec;
  readonly #options: ContainerServiceOptions;
  readonly #hostPorts = new Map<number, number>();
  readonly #member: GroupMember;
  #tc: Testcontainers | undefined;
  #container: StartedTestContainer | undefined;
  #host: string | undefined;

  constructor(context: Partial<ServiceContext> = {}, options: ContainerServiceOptions = {}) {
    super(context);
    this.#options = options;
    const self = this;
    this.#member = {
      get name() {
        return self.spec.name;
      },
      get dependencies() {
        return self.spec.dependencies;
      },
      recreate: () => this.recreate(),
    };
  }

  getMetadata(): ServiceMetadata {
    const { name, description, dependencies } = this.spec;
    const port = this.#hostPorts.get(this.spec.ports[0]!);
    return { name, version: imageTag(this.#imageName), description, dependencies: [...dependencies], enabled: true, ...(port ? { port } : {}) };
  }

  /** The pinned image reference this service runs. */
  get image(): string {
    return CONTAINER_IMAGES[this.#imageName];
  }

  get #imageName(): ContainerImageName {
    return this.spec.image ?? (this.spec.name as ContainerImageName);
  }

  /** Environment, files and wait strategy of the container about to start. */
  protected abstract configure(container: GenericContainer, tc: Testcontainers): GenericContainer | Promise<GenericContainer>;

  /** Empties the emulator for a full reset. */
  protected abstract clear(): Promise<void>;

  /** Checks the configuration before any engine is asked for, so a bad seed fails even where none runs. */
  protected prepare(): void {}

  /** Settings dependents read from this service's link, e.g. a password. */
  protected linkSettings(): Record<string, string> {
    return {};
  }

  /** Runs once the container is ready, before dependents may use it. */
  protected async afterStart(_container: StartedTestContainer): Promise<void> {}

  /** Runs before the container is removed for good. */
  protected async beforeRelease(): Promise<void> {}

  protected get group(): ContainerGroup {
    return containerGroupFor(this.context.namespaces);
  }

  /** The link a running dependency published; refuses when it is not running in this runtime. */
  protected dependency(name: string): ContainerLink {
    const link = this.group.link(name);
    if (!link) throw new DependencyNotRunningError(this.spec.name, name, 'not running as a container in this runtime');
    return link;
  }

  /** The running container; only valid while the service runs. */
  protected get container(): StartedTestContainer {
    if (!this.#container) throw new Error(`"${this.spec.name}" has no running container.`);
    return this.#container;
  }

  /** `host:port` where the host reaches `containerPort`. */
  protected hostAddress(containerPort: number): string {
    // Kept from the first start, so endpoints read while a reset recreates the container stay valid.
    if (!this.#host) throw new Error(`"${this.spec.name}" has not started.`);
    return `${this.#host}:${this.#hostPorts.get(containerPort)}`;
  }

  protected override async onStart(): Promise<void> {
    requireLicenseAccepted(this.#imageName, this.context.acceptEula);
    this.prepare();
    const tc = await requireContainerRuntime(this.spec.name, this.#options.runtime);
    this.#tc = tc;
    try {
      await this.#assignHostPorts();
      await this.#run();
    } catch (error) {
      await this.#release();
      throw error;
    }
  }

  protected override async onStop(): Promise<void> {
    await this.#release();
  }

  protected override async onReset(namespace?: string): Promise<void> {
    if (namespace !== undefined) {
      this.context.logger.info(`"${this.spec.name}" keeps no per-account data; a reset of "${namespace}" leaves it as is.`);
      return;
    }
    await this.clear();
  }

  protected override async onHealth(): Promise<ServiceHealth> {
    const container = this.container;
    const client = await this.#tc!.getContainerRuntimeClient();
    const { State } = await client.container.inspect(client.container.getById(container.getId()));
    const healthCheck = State.Health?.Status;
    return {
      status: State.Running && healthCheck !== 'unhealthy' ? 'healthy' : 'unhealthy',
      details: {
        containerId: container.getId().slice(0, 12),
        image: this.image,
        state: State.Status,
        startedAt: State.StartedAt,
        ...(healthCheck ? { healthCheck } : {}),
      },
    };
  }

  /**
   * Replaces the container with a fresh one from the same image and
   * configuration on the same host ports, then recreates the containers that
   * depend on this one, whose state lived in it.
   */
  async recreate(): Promise<void> {
    const old = this.#container;
    this.#container = undefined;
    await old?.stop({ remove: true });
    await this.#run();
    await this.group.recreateDependentsOf(this.spec.name);
  }

  async #run(): Promise<void> {
    const tc = this.#tc!;
    const network = await this.group.join(this.#member, tc);
    const base = new tc.GenericContainer(this.image)
      .withNetwork(network)
      .withNetworkAliases(this.spec.name)
      .withExposedPorts(...this.spec.ports.map((port) => ({ container: port, host: this.#hostPorts.get(port)! })));
    // Reached only once onStart found the user's acceptance.
    if (IMAGE_LICENSES[this.#imageName]) base.withEnvironment({ ACCEPT_EULA: 'Y' });
    this.#container = await (await this.configure(base, tc)).start();
    this.#host = this.#container.getHost();
    await this.afterStart(this.#container);
    this.group.publish(this.spec.name, { alias: this.spec.name, settings: this.linkSettings() });
  }

  async #assignHostPorts(): Promise<void> {
    for (const [index, port] of this.spec.ports.entries()) {
      if (this.#hostPorts.has(port)) continue;
      const fixed = index === 0 ? this.context.port : undefined;
      this.#hostPorts.set(port, fixed || (await getPort()));
    }
  }

  // Runs after a failed start too, so nothing a half-started service holds outlives it.
  async #release(): Promise<void> {
    const container = this.#container;
    this.#container = undefined;
    try {
      await this.beforeRelease();
      await container?.stop({ remove: true });
    } finally {
      await this.group.leave(this.spec.name);
    }
  }
}
