import type { GenericContainer } from 'testcontainers';
import type { ServiceEndpoint } from '../core/service.js';
import { ContainerService, type ContainerSpec } from './container-service.js';
import { AMQP_PORT, EMULATOR_HTTP_PORT, emulatorConnectionString } from './emulator-connection.js';
import { EVENTHUBS_CONFIG_PATH, eventHubsConfig } from './eventhubs-config.js';
import type { Testcontainers } from './runtime-availability.js';
import { readSeedConfig } from './seed-config.js';

/**
 * The Event Hubs emulator image, keeping its metadata and checkpoints in the
 * `azurite` container service. Its hubs and consumer groups come from the
 * seed (`seed.data.eventhubs`, see EventHubsEntities), written into the
 * emulator's Config.json. `getEndpoint()` carries the connection string
 * `@azure/event-hubs` takes.
 *
 * Reset: a full reset recreates the emulator container: every hub empty,
 * rebuilt from the config. Recreating `azurite` recreates it too.
 */
export class EventHubsContainerService extends ContainerService {
  protected readonly spec: ContainerSpec = {
    // `eventhubs` is the in-process emulator; `backend: 'container'` asks for this one instead.
    name: 'eventhubs-container',
    image: 'eventhubs',
    description: 'Azure Event Hubs emulator container (keeps its metadata in azurite)',
    dependencies: ['azurite'],
    ports: [AMQP_PORT, EMULATOR_HTTP_PORT],
  };

  #config: string | undefined;

  /** The emulator's Config.json for this service's seed. */
  configFile(): string {
    return JSON.stringify(eventHubsConfig(readSeedConfig(this.context.seed, 'eventhubs')), null, 2);
  }

  protected override prepare(): void {
    this.#config = this.configFile();
  }

  protected configure(container: GenericContainer, tc: Testcontainers): GenericContainer {
    const storage = this.dependency('azurite');
    return container
      .withEnvironment({ BLOB_SERVER: storage.alias, METADATA_SERVER: storage.alias })
      .withCopyContentToContainer([{ content: this.#config!, target: EVENTHUBS_CONFIG_PATH }])
      .withWaitStrategy(tc.Wait.forHttp('/health', EMULATOR_HTTP_PORT).forStatusCode(200))
      .withStartupTimeout(120_000);
  }

  protected clear(): Promise<void> {
    return this.recreate();
  }

  override getEndpoint(): ServiceEndpoint | undefined {
    if (this.state !== 'RUNNING') return undefined;
    const address = this.hostAddress(AMQP_PORT);
    return { url: `sb://${address}`, connectionString: emulatorConnectionString(address) };
  }
}

export default EventHubsContainerService;
