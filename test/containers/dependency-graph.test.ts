import { describe, expect, it } from 'vitest';
import { AzuriteContainerService } from '../../src/containers/azurite.js';
import { CosmosDbContainerService } from '../../src/containers/cosmosdb.js';
import { EventHubsContainerService } from '../../src/containers/eventhubs.js';
import { MssqlContainerService } from '../../src/containers/mssql.js';
import { ServiceBusContainerService } from '../../src/containers/servicebus.js';
import { CONTAINER_IMAGES } from '../../src/containers/images.js';
import { MissingDependencyError, NamespaceRegistry, ServiceManager } from '../../src/index.js';
import { recordingLogger } from '../support/test-service.js';

function managerWith(...services: Array<new (context: object) => import('../../src/index.js').LocalZureService>) {
  const context = { namespaces: new NamespaceRegistry(), logger: recordingLogger() };
  const manager = new ServiceManager(context);
  manager.registerServices(services.map((Service) => new Service(context)));
  return manager;
}

describe('container services in the ServiceManager', () => {
  it('start each emulator after what it depends on', () => {
    const manager = managerWith(
      ServiceBusContainerService,
      EventHubsContainerService,
      CosmosDbContainerService,
      MssqlContainerService,
      AzuriteContainerService,
    );
    const order = manager.initialize();
    expect(order.indexOf('mssql')).toBeLessThan(order.indexOf('servicebus-container'));
    expect(order.indexOf('azurite')).toBeLessThan(order.indexOf('eventhubs-container'));
    expect(order).toEqual(['azurite', 'cosmosdb-container', 'eventhubs-container', 'mssql', 'servicebus-container']);
  });

  it('declare servicebus → mssql and eventhubs → azurite', () => {
    const status = managerWith(MssqlContainerService, ServiceBusContainerService, AzuriteContainerService, EventHubsContainerService).getAllStatus();
    expect(status['servicebus-container']!.dependencies).toEqual(['mssql']);
    expect(status['eventhubs-container']!.dependencies).toEqual(['azurite']);
    expect(status.mssql!.dependencies).toEqual([]);
  });

  it('refuse servicebus without mssql, naming both', () => {
    expect(() => managerWith(ServiceBusContainerService).initialize()).toThrow(MissingDependencyError);
    expect(() => managerWith(ServiceBusContainerService).initialize()).toThrow(/"servicebus-container" depends on "mssql"/);
  });

  it('report their pinned image tag as version', () => {
    const status = managerWith(CosmosDbContainerService).getServiceStatus('cosmosdb-container');
    expect(CONTAINER_IMAGES.cosmosdb.endsWith(`:${status.version}`)).toBe(true);
  });

  it('have no endpoint before they run', () => {
    const service = new ServiceBusContainerService();
    expect(service.getEndpoint()).toBeUndefined();
  });
});
