import type { GenericContainer } from 'testcontainers';
import type { ServiceEndpoint } from '../core/service.js';
import { ContainerService, type ContainerSpec } from './container-service.js';
import { AMQP_PORT, EMULATOR_HTTP_PORT, emulatorConnectionString } from './emulator-connection.js';
import type { Testcontainers } from './runtime-availability.js';
import { readSeedConfig } from './seed-config.js';
import { SERVICEBUS_CONFIG_PATH, serviceBusConfig } from './servicebus-config.js';

/**
 * The Service Bus emulator image, storing its state in the `mssql` service.
 * Its queues, topics and subscriptions come from the seed
 * (`seed.data.servicebus`, see ServiceBusEntities), written into the
 * emulator's Config.json; the emulator creates nothing at run time.
 * `getEndpoint()` carries the connection string `@azure/service-bus` takes.
 *
 * Reset: a full reset recreates the emulator container, which rebuilds
 * every entity from the config, empty.
 */
export class ServiceBusContainerService extends ContainerService {
  protected readonly spec: ContainerSpec = {
    // `servicebus` is the in-process emulator; `backend: 'container'` asks for this one instead.
    name: 'servicebus-container',
    image: 'servicebus',
    description: 'Azure Service Bus emulator container (stores its state in mssql)',
    dependencies: ['mssql'],
    ports: [AMQP_PORT, EMULATOR_HTTP_PORT],
  };

  #config: string | undefined;

  /** The emulator's Config.json for this service's seed. */
  configFile(): string {
    return JSON.stringify(serviceBusConfig(readSeedConfig(this.context.seed, 'servicebus')), null, 2);
  }

  protected override prepare(): void {
    this.#config = this.configFile();
  }

  protected configure(container: GenericContainer, tc: Testcontainers): GenericContainer {
    const sql = this.dependency('mssql');
    return container
      .withEnvironment({
        SQL_SERVER: sql.alias,
        MSSQL_SA_PASSWORD: sql.settings.password ?? '',
        // mssql is RUNNING before this starts, so the emulator need not wait for it.
        SQL_WAIT_INTERVAL: '0',
      })
      .withCopyContentToContainer([{ content: this.#config!, target: SERVICEBUS_CONFIG_PATH }])
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

export default ServiceBusContainerService;
