import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzuriteContainerService } from '../../src/containers/azurite.js';
import { CosmosDbContainerService } from '../../src/containers/cosmosdb.js';
import { CosmosRestClient } from '../../src/containers/cosmos-rest.js';
import { EventHubsContainerService } from '../../src/containers/eventhubs.js';
import { MssqlContainerService } from '../../src/containers/mssql.js';
import { ServiceBusContainerService } from '../../src/containers/servicebus.js';
import { DEFAULT_ACCOUNT, NamespaceRegistry, ServiceManager, type ServiceContext } from '../../src/index.js';
import { recordingLogger } from '../support/test-service.js';
import { announceSkip, engine, engineMissing } from './engine.js';

announceSkip('container service integration tests');

const title = (suite: string) => (engine ? suite : `${suite} — SKIPPED, no container engine: ${engineMissing}`);
// Running Microsoft's licensed images is the choice of whoever runs the tests, never the suite's.
const eulaAccepted = process.env.LOCALZURE_ACCEPT_EULA?.trim().toUpperCase() === 'Y';
const licensedTitle = (suite: string) => (eulaAccepted ? title(suite) : `${suite} — SKIPPED, set LOCALZURE_ACCEPT_EULA=Y to accept the images' licences`);
const SLOW = { timeout: 600_000 };

describe.skipIf(!engine)(title('azurite container'), () => {
  const context: Partial<ServiceContext> = { namespaces: new NamespaceRegistry(), logger: recordingLogger() };
  const azurite = new AzuriteContainerService(context);
  beforeAll(() => azurite.start(), 300_000);
  afterAll(() => azurite.stop(), 120_000);

  it('serves blobs to @azure/storage-blob through its connection string', async () => {
    const client = BlobServiceClient.fromConnectionString(azurite.getEndpoint(DEFAULT_ACCOUNT)!.connectionString!);
    const container = client.getContainerClient('azurite-upload-1');
    await container.create();
    await container.getBlockBlobClient('hello.txt').upload('hi', 2);
    expect((await container.getBlockBlobClient('hello.txt').downloadToBuffer()).toString()).toBe('hi');
  });

  it('reports the running container in health()', async () => {
    expect(await azurite.health()).toMatchObject({ status: 'healthy', details: { state: 'running', image: azurite.image } });
  });

  it('empties everything on a full reset and keeps its endpoints', SLOW, async () => {
    const before = azurite.getEndpoint(DEFAULT_ACCOUNT)!;
    const client = BlobServiceClient.fromConnectionString(before.connectionString!);
    await client.getContainerClient('azurite-reset-1').create();
    await azurite.reset();
    expect(azurite.getEndpoint(DEFAULT_ACCOUNT)).toEqual(before);
    const names: string[] = [];
    for await (const item of client.listContainers()) names.push(item.name);
    expect(names).not.toContain('azurite-reset-1');
  });
});

describe.skipIf(!engine || !eulaAccepted)(licensedTitle('servicebus on mssql'), () => {
  const context: Partial<ServiceContext> = {
    namespaces: new NamespaceRegistry(),
    logger: recordingLogger(),
    seed: { data: { servicebus: { queues: ['sb-orders-1'] } } },
  };
  const manager = new ServiceManager(context);
  manager.registerServices([new MssqlContainerService(context), new ServiceBusContainerService(context)]);
  beforeAll(async () => {
    await manager.startAll();
    await manager.resetAll();
  }, 600_000);
  afterAll(() => manager.stopAll(), 120_000);

  it('starts mssql first and reports both containers healthy', async () => {
    expect(manager.runningServices).toEqual(['mssql', 'servicebus-container']);
    expect(await manager.getAllHealth()).toMatchObject({ mssql: { status: 'healthy' }, servicebus: { status: 'healthy' } });
  });

  it('hands out an emulator connection string on the published AMQP port', () => {
    const endpoint = manager.getService('servicebus-container').getEndpoint(DEFAULT_ACCOUNT)!;
    expect(endpoint.connectionString).toMatch(/^Endpoint=sb:\/\/[^;]+:\d+;.*UseDevelopmentEmulator=true;$/);
  });

  it('keeps the emulator working after a reset of everything', SLOW, async () => {
    await manager.resetAll();
    expect(await manager.getServiceHealth('servicebus-container')).toMatchObject({ status: 'healthy' });
  });
});

describe.skipIf(!engine || !eulaAccepted)(licensedTitle('eventhubs on azurite'), () => {
  const context: Partial<ServiceContext> = {
    namespaces: new NamespaceRegistry(),
    logger: recordingLogger(),
    seed: { data: { eventhubs: { hubs: { 'eh-telemetry-1': { partitionCount: 2 } } } } },
  };
  const manager = new ServiceManager(context);
  manager.registerServices([new AzuriteContainerService(context), new EventHubsContainerService(context)]);
  beforeAll(() => manager.startAll(), 600_000);
  afterAll(() => manager.stopAll(), 120_000);

  it('reports both containers healthy, azurite started first', async () => {
    expect(manager.startOrder).toEqual(['azurite', 'eventhubs-container']);
    expect(await manager.getAllHealth()).toMatchObject({ azurite: { status: 'healthy' }, 'eventhubs-container': { status: 'healthy' } });
  });

  it('recreates eventhubs when azurite is recreated, so it never points at emptied storage', SLOW, async () => {
    const before = (await manager.getServiceHealth('eventhubs-container')).details?.containerId;
    await manager.resetService('azurite');
    const after = await manager.getServiceHealth('eventhubs-container');
    expect(after.status).toBe('healthy');
    expect(after.details?.containerId).not.toBe(before);
  });
});

describe.skipIf(!engine)(title('cosmosdb over HTTPS'), () => {
  const context: Partial<ServiceContext> = {
    namespaces: new NamespaceRegistry(),
    logger: recordingLogger(),
    seed: { data: { cosmosdb: { databases: { 'cosmos-shop-1': { orders: { partitionKey: '/customerId' } } } } } },
  };
  const cosmos = new CosmosDbContainerService(context);
  beforeAll(async () => {
    await cosmos.start();
    await cosmos.seed();
  }, 600_000);
  afterAll(() => cosmos.stop(), 120_000);

  it('answers over TLS with the certificate it published', async () => {
    const endpoint = cosmos.getEndpoint()!;
    const { readFileSync } = await import('node:fs');
    const client = new CosmosRestClient(endpoint.url, readFileSync(endpoint.env!.LOCALZURE_COSMOSDB_CERT_PATH!, 'utf8'));
    expect(await client.listDatabases()).toContain('cosmos-shop-1');
  });

  it('deletes what tests created on a full reset and re-creates the seeded databases', SLOW, async () => {
    const endpoint = cosmos.getEndpoint()!;
    const { readFileSync } = await import('node:fs');
    const client = new CosmosRestClient(endpoint.url, readFileSync(endpoint.env!.LOCALZURE_COSMOSDB_CERT_PATH!, 'utf8'));
    await client.createDatabase('cosmos-scratch-1');
    await cosmos.reset();
    await cosmos.seed();
    expect(await client.listDatabases()).toEqual(['cosmos-shop-1']);
  });
});
