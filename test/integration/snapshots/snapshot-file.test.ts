import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { ServiceBusClient } from '@azure/service-bus';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { TableClient } from '@azure/data-tables';
import { afterAll, describe, expect, it } from 'vitest';
import { ControlClient, withLocalZure, workerEnvironment, type Environment } from '../../../src/index.js';
import { receive } from '../eventhubs/support.js';

const SERVICES = ['blob', 'queue', 'table', 'cosmosdb', 'servicebus', 'eventhubs'];
const ENTITIES = { servicebus: { queues: ['jobs'] }, eventhubs: { hubs: { telemetry: { partitionCount: 1 } } } };
const dir = mkdtempSync(join(tmpdir(), 'lz-snapshot-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BYTES = Buffer.from([0, 1, 2, 254, 255]);

/** A baseline in every service, through each one's SDK. */
async function baseline(env: Environment): Promise<void> {
  const container = BlobServiceClient.fromConnectionString(env.connectionString).getContainerClient('photos');
  await container.create();
  await container.getBlockBlobClient('raw.bin').uploadData(BYTES, { metadata: { owner: 'ann' } });
  const queue = QueueServiceClient.fromConnectionString(env.connectionString).getQueueClient('jobs');
  await queue.create();
  await queue.sendMessage('job-1');
  const table = TableClient.fromConnectionString(env.connectionString, 'people', { allowInsecureConnection: true });
  await table.createTable();
  await table.createEntity({ partitionKey: 'p', rowKey: 'ann', age: 40, photo: new Uint8Array(BYTES) });
  const { database } = await cosmos(env).databases.createIfNotExists({ id: 'shop' });
  const { container: orders } = await database.containers.createIfNotExists({ id: 'orders', partitionKey: '/pk' });
  await orders.items.create({ id: 'o1', pk: 'p', total: 12.5 });
  const sb = new ServiceBusClient(env.connectionStrings.servicebus!);
  await sb.createSender('jobs').sendMessages({ body: { job: 1 }, applicationProperties: { priority: 'high' } });
  await sb.close();
  const producer = new EventHubProducerClient(env.connectionStrings.eventhubs!, 'telemetry');
  await producer.sendBatch([{ body: 'reading-1' }]);
  await producer.close();
}

function cosmos(env: Environment): CosmosClient {
  return new CosmosClient({ endpoint: env.endpoints.cosmosdb!, key: env.account.key, connectionPolicy: { enableEndpointDiscovery: false } });
}

async function contents(env: Environment) {
  const container = BlobServiceClient.fromConnectionString(env.connectionString).getContainerClient('photos');
  const blob = container.getBlockBlobClient('raw.bin');
  const queue = QueueServiceClient.fromConnectionString(env.connectionString).getQueueClient('jobs');
  const table = TableClient.fromConnectionString(env.connectionString, 'people', { allowInsecureConnection: true });
  const person = await table.getEntity<{ age: number; photo: Uint8Array }>('p', 'ann');
  const item = (await cosmos(env).database('shop').container('orders').item('o1', 'p').read<{ total: number; _etag: string }>()).resource!;
  const sb = new ServiceBusClient(env.connectionStrings.servicebus!);
  const [message] = await sb.createReceiver('jobs').peekMessages(1);
  await sb.close();
  const consumer = new EventHubConsumerClient('$Default', env.connectionStrings.eventhubs!, 'telemetry');
  const events = await receive((handlers) => consumer.subscribe('0', handlers, { startPosition: earliestEventPosition }), 1);
  await consumer.close();
  return {
    blob: `${(await blob.downloadToBuffer()).toString('hex')} ${JSON.stringify((await blob.getProperties()).metadata)}`,
    queue: (await queue.peekMessages()).peekedMessageItems.map((m) => m.messageText),
    table: `${person.age} ${Buffer.from(person.photo).toString('hex')}`,
    cosmos: `${item.total} ${item._etag}`,
    servicebus: `${JSON.stringify(message?.body)} ${JSON.stringify(message?.applicationProperties)} ${String(message?.sequenceNumber)}`,
    eventhubs: events.map((e) => `${e.sequenceNumber} ${String(e.body)}`),
  };
}

async function harness(seed?: string) {
  const lz = withLocalZure(SERVICES, { seed: seed ?? ENTITIES, guard: false, logger: { info() {}, warn() {}, error() {} } });
  return { lz, env: await lz.setup() };
}

describe('snapshot files', () => {
  it('carry a baseline of every service from one LocalZure into another as its seed, for every account and after every reset', async () => {
    const source = await harness();
    let saved;
    const file = join(dir, 'baseline.localzure.json');
    try {
      await baseline(source.env);
      saved = await contents(source.env);
      const document = await new ControlClient(source.env.controlUrl).exportSnapshot(undefined);
      expect(Object.keys(document.services).sort()).toEqual([...SERVICES].sort());
      writeFileSync(file, JSON.stringify(document));
    } finally {
      await source.lz.teardown();
    }
    const target = await harness(file);
    try {
      expect(await contents(target.env)).toEqual(saved);
      const worker = workerEnvironment(target.env, '7');
      await new ControlClient(worker.controlUrl).registerNamespace(worker.account);
      expect(await contents(worker)).toEqual(saved);
      await target.lz.reset();
      expect(await contents(target.env)).toEqual(saved);
    } finally {
      await target.lz.teardown();
    }
  });

  it('carry blob versions into a LocalZure that keeps versions', async () => {
    const options = { versioning: true, guard: false, logger: { info() {}, warn() {}, error() {} } };
    const source = withLocalZure(['blob'], options);
    const file = join(dir, 'versions.localzure.json');
    let first: string;
    try {
      const env = await source.setup();
      const container = BlobServiceClient.fromConnectionString(env.connectionString).getContainerClient('docs');
      await container.create();
      const blob = container.getBlockBlobClient('a.txt');
      first = (await blob.upload('one', 3)).versionId!;
      await blob.upload('two', 3);
      writeFileSync(file, JSON.stringify(await new ControlClient(env.controlUrl).exportSnapshot(undefined)));
    } finally {
      await source.teardown();
    }
    const target = withLocalZure(['blob'], { ...options, seed: file });
    try {
      const blob = BlobServiceClient.fromConnectionString((await target.setup()).connectionString).getContainerClient('docs').getBlockBlobClient('a.txt');
      expect((await blob.downloadToBuffer()).toString()).toBe('two');
      expect((await blob.withVersion(first).downloadToBuffer()).toString()).toBe('one');
    } finally {
      await target.teardown();
    }
  });

  it('export a saved snapshot by name, and only the services asked for', async () => {
    const { lz, env } = await harness();
    try {
      const control = new ControlClient(env.controlUrl);
      await baseline(env);
      await control.snapshot(env.account.name, 'saved');
      const document = await control.exportSnapshot(env.account.name, { name: 'saved', services: ['blob', 'servicebus'] });
      expect(document).toMatchObject({ format: 'localzure-snapshot', version: 1, namespace: env.account.name, snapshot: 'saved' });
      expect(Object.keys(document.services)).toEqual(['blob', 'servicebus']);
      await expect(control.exportSnapshot(env.account.name, { name: 'never-saved' })).rejects.toMatchObject({ status: 404, remoteCode: 'SnapshotNotFound' });
      await expect(control.exportSnapshot(env.account.name, { services: ['nosuch'] })).rejects.toMatchObject({ status: 400, remoteCode: 'InvalidInput' });
    } finally {
      await lz.teardown();
    }
  });
});

describe('a bad snapshot file as the seed', () => {
  const VALID = { format: 'localzure-snapshot', version: 1, namespace: 'devstoreaccount1', exportedAt: '2026-01-01T00:00:00.000Z', services: {} };

  async function setupWith(content: string, services = ['blob']): Promise<unknown> {
    const file = join(dir, `bad-${Math.random().toString(36).slice(2)}.localzure.json`);
    writeFileSync(file, content);
    const lz = withLocalZure(services, { seed: file, guard: false, logger: { info() {}, warn() {}, error() {} } });
    return lz.setup().then(
      async () => {
        await lz.teardown();
        throw new Error('setup() accepted the file');
      },
      (error: unknown) => error,
    );
  }

  it('refuses a truncated file with LZ_SNAPSHOT_FILE_INVALID, saying to export it again', async () => {
    const error = await setupWith(JSON.stringify({ ...VALID, services: { blob: { $map: [] } } }).slice(0, 60));
    expect(error).toMatchObject({ code: 'LZ_SNAPSHOT_FILE_INVALID', message: expect.stringContaining('localzure snapshot export') });
  });

  it('refuses JSON that is not a snapshot with LZ_SNAPSHOT_FILE_INVALID', async () => {
    expect(await setupWith('{"blob": {}}')).toMatchObject({ code: 'LZ_SNAPSHOT_FILE_INVALID' });
  });

  it('refuses another format version with LZ_SNAPSHOT_VERSION_UNSUPPORTED, naming the version it reads', async () => {
    const error = await setupWith(JSON.stringify({ ...VALID, version: 99 }));
    expect(error).toMatchObject({ code: 'LZ_SNAPSHOT_VERSION_UNSUPPORTED', message: expect.stringContaining('reads version 1') });
  });

  it('refuses data for a service LocalZure does not know with LZ_SNAPSHOT_UNKNOWN_SERVICE', async () => {
    const error = await setupWith(JSON.stringify({ ...VALID, services: { blobb: {} } }));
    expect(error).toMatchObject({ code: 'LZ_SNAPSHOT_UNKNOWN_SERVICE', message: expect.stringContaining('"blobb"') });
  });

  it('refuses data for a service that is not started with LZ_SNAPSHOT_SERVICE_NOT_STARTED', async () => {
    const error = await setupWith(JSON.stringify({ ...VALID, services: { cosmosdb: { databases: [] } } }));
    expect(error).toMatchObject({ code: 'LZ_SNAPSHOT_SERVICE_NOT_STARTED', message: expect.stringContaining('Add "cosmosdb"') });
  });

  it.each([
    ['blob', { $type: 'NoSuchStructure', value: 1 }],
    ['cosmosdb', { databases: 'not a list' }],
    ['servicebus', { queues: [{ name: 'q' }], topics: [] }],
    ['eventhubs', { hubs: [{ definition: { name: 'h' } }] }],
  ])('refuses a %s section it cannot read with LZ_SNAPSHOT_FILE_INVALID naming the service', async (service, section) => {
    const error = await setupWith(JSON.stringify({ ...VALID, services: { [service]: section } }), [service]);
    expect(error).toMatchObject({ code: 'LZ_SNAPSHOT_FILE_INVALID', message: expect.stringContaining(`"${service}" section`) });
  });
});
