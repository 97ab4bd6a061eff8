import type { ServiceSnapshot } from '../../core/inspection.js';
import type { Namespace } from '../../core/namespaces.js';
import {
  LocalZureService,
  type ServiceContext,
  type ServiceEndpoint,
  type ServiceHealth,
  type ServiceMetadata,
} from '../../core/service.js';
import { AmqpServer, type AmqpApplication } from '../amqp-common/amqp-server.js';
import { audiencePath } from '../amqp-common/cbs.js';
import { DEVELOPMENT_CERTIFICATE, DEVELOPMENT_KEY, developmentCertificateFile } from '../amqp-common/development-certificate.js';
import type { ManagementRequest } from '../amqp-common/management.js';
import { atomApi } from './atom-api.js';
import { sbErrors } from './errors.js';
import { inspectServiceBus } from './inspect.js';
import { openReceiver, openSender, type LinkEnvironment } from './links.js';
import { OPERATIONS } from './management-ops.js';
import type { MessageConsumer, MessageEntity } from './message-entity.js';
import { DEFAULT_PROPERTIES, type NamespaceDefinition } from './model.js';
import { ServiceBusNamespace } from './namespace-store.js';
import { OperationRecorder } from '../amqp-common/operation-recorder.js';
import { SERVICE_BUS_OPERATIONS } from './operations.js';
import { loadServiceBusSeed } from './seed.js';
import { captureServiceBus, decodeServiceBusCapture, encodeServiceBusCapture, restoreServiceBus, type ServiceBusCapture } from './snapshot.js';

/** The key name Azure gives a namespace's root rule; LocalZure maps it to the runtime's own namespace. */
const ROOT_KEY_NAME = 'RootManageSharedAccessKey';
/** How often receivers waiting on clock-driven changes (lock expiry, schedules) look again. */
const CLOCK_POLL_MS = 25;

/**
 * Azure Service Bus, in process, over AMQP 1.0: the unmodified
 * `@azure/service-bus` client connects with
 * `Endpoint=sb://127.0.0.1:<port>;SharedAccessKeyName=<namespace>;SharedAccessKey=<key>;UseDevelopmentEmulator=true`.
 * Each LocalZure namespace is a Service Bus namespace whose SAS rule is named
 * after it; queues, topics and subscriptions come from the seed
 * (`seed.data.servicebus`, or Microsoft's emulator Config.json).
 *
 * @example
 * await using sb = new ServiceBusService({ seed: { data: { servicebus: { queues: ['orders'] } } } });
 * await sb.start();
 * const client = new ServiceBusClient(sb.getEndpoint(DEFAULT_ACCOUNT)!.connectionString!);
 */
export class ServiceBusService extends LocalZureService implements AsyncDisposable {
  readonly #server: AmqpServer;
  readonly #namespaces = new Map<string, ServiceBusNamespace>();
  readonly #watched = new Set<MessageEntity>();
  #definition: NamespaceDefinition = { queues: [], topics: [] };
  #timer: NodeJS.Timeout | undefined;

  constructor(context: Partial<ServiceContext> = {}) {
    super(context);
    this.#server = new AmqpServer(
      {
        host: this.context.host,
        port: this.context.port,
        clock: this.context.clock,
        maxMessageSize: DEFAULT_PROPERTIES.maxMessageSizeBytes,
        tls: { key: DEVELOPMENT_KEY, cert: DEVELOPMENT_CERTIFICATE },
        resolveKey: (keyName) => this.#resolveKey(keyName),
        checkAudience: (namespace, path) => this.#checkAudience(namespace, path),
        http: atomApi({
          clock: this.context.clock,
          namespace: (name) => this.#namespace(name),
          resolveKey: (keyName) => this.#resolveKey(keyName),
          authority: () => this.#server.authority,
          record: (namespace, operation, path, status, errorCode) =>
            new OperationRecorder(SERVICE_BUS_OPERATIONS, namespace, this.context.clock, this.context.journal, undefined).note(operation, path, status, errorCode),
        }),
      },
      this.#application(),
    );
  }

  getMetadata(): ServiceMetadata {
    return {
      name: 'servicebus',
      version: '1.0.0',
      description: 'Azure Service Bus emulator (in process, AMQP 1.0)',
      dependencies: [],
      port: this.#server.port ?? this.context.port,
      enabled: true,
    };
  }

  override getEndpoint(namespace: Namespace): ServiceEndpoint | undefined {
    const connectionString = this.#server.connectionString(namespace);
    if (connectionString === undefined) return undefined;
    return {
      url: `sb://${this.#server.authority}`,
      connectionString,
      // Clients without UseDevelopmentEmulator (a host and a credential) speak TLS to the same port.
      env: { NODE_EXTRA_CA_CERTS: developmentCertificateFile() },
    };
  }

  /** Adds the seed's entities that a namespace lacks (all namespaces when none is named); existing entities stay as they are. */
  override async seed(namespace?: string): Promise<void> {
    const targets = namespace === undefined ? [...this.#namespaces.values()] : [this.#namespace(namespace)];
    for (const ns of targets) ns.addMissing(this.#definition);
  }

  /** Entities, messages (scheduled, deferred, dead-lettered), sessions and their state, numbering and duplicate history; not locks (see snapshot.ts). */
  override async captureNamespace(namespace: string): Promise<unknown> {
    const ns = this.#namespaces.get(namespace);
    return ns && captureServiceBus(ns);
  }

  override async restoreNamespace(namespace: string, captured: unknown): Promise<void> {
    // Nothing captured: the namespace was never used, so back to the seed's entities, empty.
    const empty = () => {
      const fresh = new ServiceBusNamespace(namespace);
      fresh.define(this.#definition);
      return captureServiceBus(fresh);
    };
    restoreServiceBus(this.#namespace(namespace), (captured as ServiceBusCapture | undefined) ?? empty());
  }

  override encodeSnapshot(captured: unknown): unknown {
    return encodeServiceBusCapture(captured as ServiceBusCapture);
  }

  override decodeSnapshot(encoded: unknown): unknown {
    return decodeServiceBusCapture(encoded);
  }

  override async inspect(namespace?: string): Promise<ServiceSnapshot | undefined> {
    const names = namespace === undefined ? [...this.#namespaces.keys()] : [namespace];
    return inspectServiceBus(names.map((n) => this.#namespaces.get(n)).filter((n): n is ServiceBusNamespace => n !== undefined), this.context.clock.now());
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  protected override async onStart(): Promise<void> {
    // A bad seed fails the start, not the first test that touches an entity.
    this.#definition = loadServiceBusSeed(this.context.seed);
    for (const ns of this.#namespaces.values()) ns.define(this.#definition);
    await this.#server.start();
    this.#timer = setInterval(() => this.#tick(), CLOCK_POLL_MS);
    this.#timer.unref();
  }

  protected override async onStop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#server.stop();
    this.#watched.clear();
  }

  /** Empties messages, locks, sessions, schedules and duplicate history; entities stay. */
  protected override async onReset(namespace?: string): Promise<void> {
    const targets = namespace === undefined ? [...this.#namespaces.values()] : [this.#namespaces.get(namespace)].filter((n) => n !== undefined);
    for (const ns of targets) ns.clear();
  }

  protected override async onHealth(): Promise<ServiceHealth> {
    return { status: 'healthy', details: { port: this.#server.port, connections: this.#server.connectionCount } };
  }

  #endpoint(): string {
    return `sb://${this.#server.authority}/`;
  }

  #namespace(name: string): ServiceBusNamespace {
    let ns = this.#namespaces.get(name);
    if (!ns) {
      ns = new ServiceBusNamespace(name);
      ns.define(this.#definition);
      this.#namespaces.set(name, ns);
    }
    return ns;
  }

  #resolveKey(keyName: string): { namespace: string; key: string } | undefined {
    const registry = this.context.namespaces;
    const ns = keyName === ROOT_KEY_NAME ? registry.list()[0] : registry.get(keyName);
    return ns ? { namespace: ns.name, key: ns.key } : undefined;
  }

  #checkAudience(namespace: string, path: string): void {
    const entityPath = path.replace(/(^|\/)\$management$/i, '');
    if (entityPath === '') return;
    this.#namespace(namespace).require(entityPath, this.#endpoint());
  }

  #environment(namespace: string): LinkEnvironment {
    return {
      namespace: this.#namespace(namespace),
      now: () => this.context.clock.now(),
      endpoint: this.#endpoint(),
      record: new OperationRecorder(SERVICE_BUS_OPERATIONS, namespace, this.context.clock, this.context.journal, this.context.faults),
      watch: (entity, consumer, on) => this.#watch(entity, consumer, on),
    };
  }

  #watch(entity: MessageEntity, consumer: MessageConsumer, on: boolean): void {
    if (on) {
      entity.consumers.add(consumer);
      this.#watched.add(entity);
      entity.notify();
    } else {
      entity.consumers.delete(consumer);
      if (entity.consumers.size === 0) this.#watched.delete(entity);
    }
  }

  // Locks, schedules and TTLs run out on the emulators' clock, which tests can move at any moment.
  #tick(): void {
    const now = this.context.clock.now();
    for (const entity of this.#watched) if (entity.hasDeadline) entity.refresh(now);
  }

  #application(): AmqpApplication {
    return {
      name: 'servicebus',
      openOutgoing: (link) => openReceiver(link, this.#environment(link.namespace)),
      openIncoming: (link) => openSender(link, this.#environment(link.namespace)),
      management: (request) => this.#management(request),
    };
  }

  async #management(request: ManagementRequest) {
    const env = this.#environment(request.namespace);
    const operation = OPERATIONS[request.operation];
    if (!operation) throw sbErrors.notSupported(`the $management operation '${request.operation}'`);
    return env.record.run(operation.journal, request.entityPath, request.connection, () => {
      const target = env.namespace.require(audiencePath(request.entityPath), env.endpoint);
      return operation.run(request, target, env, (request.body ?? {}) as Record<string, unknown>);
    });
  }
}

export default ServiceBusService;
