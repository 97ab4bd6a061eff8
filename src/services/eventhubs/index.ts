import type { EventHubsNamespaceSnapshot, ServiceSnapshot } from '../../core/inspection.js';
import type { Namespace } from '../../core/namespaces.js';
import {
  LocalZureService,
  type ServiceContext,
  type ServiceEndpoint,
  type ServiceHealth,
  type ServiceMetadata,
} from '../../core/service.js';
import { AmqpServer, type AmqpApplication } from '../amqp-common/amqp-server.js';
import { ehErrors } from './errors.js';
import { EventHubsNamespace } from './hub.js';
import { openReceiver, openSender, type LinkEnvironment } from './links.js';
import { handleManagement } from './management-ops.js';
import { MAX_MESSAGE_SIZE, type HubDefinition } from './model.js';
import { OperationRecorder } from '../amqp-common/operation-recorder.js';
import { EVENT_HUBS_OPERATIONS } from './operations.js';
import { loadEventHubsSeed } from './seed.js';
import { captureEventHubs, decodeEventHubsCapture, restoreEventHubs, type EventHubsCapture } from './snapshot.js';

/** The key name Azure gives a namespace's root rule; LocalZure maps it to the runtime's own namespace. */
const ROOT_KEY_NAME = 'RootManageSharedAccessKey';

/**
 * Azure Event Hubs, in process, over AMQP 1.0: the unmodified
 * `@azure/event-hubs` clients connect with
 * `Endpoint=sb://127.0.0.1:<port>;SharedAccessKeyName=<namespace>;SharedAccessKey=<key>;UseDevelopmentEmulator=true`.
 * Each LocalZure namespace is an Event Hubs namespace whose SAS rule is named
 * after it; hubs and consumer groups come from the seed (`seed.data.eventhubs`,
 * or Microsoft's emulator Config.json). It depends on `blob`, as Microsoft's
 * emulator depends on Azurite: `@azure/eventhubs-checkpointstore-blob` keeps
 * ownership and checkpoints there, so the manager starts blob first and
 * resets Event Hubs before it.
 *
 * @example
 * await using eh = new EventHubsService({ seed: { data: { eventhubs: { hubs: { telemetry: { partitionCount: 4 } } } } } });
 * await eh.start();
 * const producer = new EventHubProducerClient(eh.getEndpoint(DEFAULT_ACCOUNT)!.connectionString!, 'telemetry');
 */
export class EventHubsService extends LocalZureService implements AsyncDisposable {
  readonly #server: AmqpServer;
  readonly #namespaces = new Map<string, EventHubsNamespace>();
  #definitions: HubDefinition[] = [];

  constructor(context: Partial<ServiceContext> = {}) {
    super(context);
    this.#server = new AmqpServer(
      {
        host: this.context.host,
        port: this.context.port,
        clock: this.context.clock,
        maxMessageSize: MAX_MESSAGE_SIZE,
        resolveKey: (keyName) => this.#resolveKey(keyName),
        checkAudience: (namespace, path) => this.#checkAudience(namespace, path),
      },
      this.#application(),
    );
  }

  getMetadata(): ServiceMetadata {
    return {
      name: 'eventhubs',
      version: '1.0.0',
      description: 'Azure Event Hubs emulator (in process, AMQP 1.0; checkpoints in blob)',
      dependencies: ['blob'],
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
    };
  }

  /** Adds the seed's hubs a namespace lacks (all namespaces when none is named). */
  override async seed(namespace?: string): Promise<void> {
    const targets = namespace === undefined ? [...this.#namespaces.values()] : [this.#namespace(namespace)];
    for (const ns of targets) ns.addMissing(this.#definitions, this.context.clock.now());
  }

  /** Hubs, consumer groups and partition logs; undefined for a namespace never used. */
  override async captureNamespace(namespace: string): Promise<unknown> {
    const ns = this.#namespaces.get(namespace);
    return ns && captureEventHubs(ns);
  }

  override async restoreNamespace(namespace: string, captured: unknown): Promise<void> {
    // Nothing captured: the namespace was never used, so back to the seed's hubs, empty.
    const empty = { hubs: this.#definitions.map((definition) => ({ definition, createdAt: this.context.clock.now(), partitions: [] })) };
    restoreEventHubs(this.#namespace(namespace), (captured as EventHubsCapture | undefined) ?? empty);
  }

  override decodeSnapshot(encoded: unknown): unknown {
    return decodeEventHubsCapture(encoded);
  }

  override async inspect(namespace?: string): Promise<ServiceSnapshot | undefined> {
    const accounts: Record<string, EventHubsNamespaceSnapshot> = {};
    for (const ns of this.#namespaces.values()) {
      if (namespace !== undefined && ns.name !== namespace) continue;
      accounts[ns.name] = {
        hubs: ns.hubs.map((hub) => ({
          name: hub.name,
          consumerGroups: hub.consumerGroups.map((g) => g.name),
          partitions: hub.partitions.map((p) => ({ id: p.id, ...p.properties(this.context.clock.now()), events: p.storedCount })),
        })),
      };
    }
    return { kind: 'eventhubs', accounts };
  }

  /** Closes the client connections of `namespace` (all when absent), as Azure does when it moves one; for fault tests. */
  dropConnections(namespace?: string): number {
    return this.#server.dropConnections(namespace);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  protected override async onStart(): Promise<void> {
    // A bad seed fails the start, not the first test that touches a hub.
    this.#definitions = loadEventHubsSeed(this.context.seed);
    for (const ns of this.#namespaces.values()) ns.addMissing(this.#definitions, this.context.clock.now());
    await this.#server.start();
  }

  protected override async onStop(): Promise<void> {
    await this.#server.stop();
  }

  /** Empties every partition (numbering starts again at 0); hubs and consumer groups stay as the seed made them. */
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

  #namespace(name: string): EventHubsNamespace {
    let ns = this.#namespaces.get(name);
    if (!ns) {
      ns = new EventHubsNamespace(name);
      ns.addMissing(this.#definitions, this.context.clock.now());
      this.#namespaces.set(name, ns);
    }
    return ns;
  }

  #resolveKey(keyName: string): { namespace: string; key: string } | undefined {
    const registry = this.context.namespaces;
    const ns = keyName === ROOT_KEY_NAME ? registry.list()[0] : registry.get(keyName);
    return ns ? { namespace: ns.name, key: ns.key } : undefined;
  }

  // A token for a hub that does not exist is refused at once, so the SDK reports MessagingEntityNotFoundError.
  #checkAudience(namespace: string, path: string): void {
    const hub = path.split('/')[0] ?? '';
    if (hub === '' || hub === '$management') return;
    if (!this.#namespace(namespace).hub(hub)) throw ehErrors.entityNotFound(`${this.#endpoint()}${hub}`);
  }

  #environment(namespace: string): LinkEnvironment {
    return {
      namespace: this.#namespace(namespace),
      now: () => this.context.clock.now(),
      endpoint: this.#endpoint(),
      record: new OperationRecorder(EVENT_HUBS_OPERATIONS, namespace, this.context.clock, this.context.journal, this.context.faults),
    };
  }

  #application(): AmqpApplication {
    return {
      name: 'eventhubs',
      openOutgoing: (link) => openReceiver(link, this.#environment(link.namespace)),
      openIncoming: (link) => openSender(link, this.#environment(link.namespace)),
      management: (request) => handleManagement(request, { ...this.#environment(request.namespace), resolveKey: (name) => this.#resolveKey(name) }),
    };
  }
}

export default EventHubsService;
