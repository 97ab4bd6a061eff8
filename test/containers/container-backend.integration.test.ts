import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { TableServiceClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLocalZure, workerEnvironment, type Environment } from '../../src/index.js';
import { quietLogger } from '../harness/support.js';
import { announceSkip, engine, engineMissing } from './engine.js';

announceSkip("withLocalZure({ backend: 'container' }) integration tests");

const title = (suite: string) => (engine ? suite : `${suite} — SKIPPED, no container engine: ${engineMissing}`);

describe.skipIf(!engine)(title("withLocalZure(['blob', 'queue', 'table'], { backend: 'container' })"), () => {
  const lz = withLocalZure(['blob', 'queue', 'table'], { backend: 'container', logger: quietLogger });
  let env: Environment;
  beforeAll(async () => {
    env = await lz.setup();
  }, 600_000);
  afterAll(() => lz.teardown(), 120_000);

  it('runs the storage services as the one azurite container', () => {
    expect(env.services).toEqual(['azurite']);
    expect(Object.keys(env.endpoints).sort()).toEqual(['blob', 'queue', 'table']);
  });

  it('serves blobs through the Environment connection string', async () => {
    const container = BlobServiceClient.fromConnectionString(env.connectionString).getContainerClient('backend-blob-1');
    await container.create();
    await container.getBlockBlobClient('a.txt').upload('hi', 2);
    expect((await container.getBlockBlobClient('a.txt').downloadToBuffer()).toString()).toBe('hi');
  });

  it('serves queues through the Environment connection string', async () => {
    const queue = QueueServiceClient.fromConnectionString(env.connectionString).getQueueClient('backend-queue-1');
    await queue.create();
    await queue.sendMessage('m');
    expect((await queue.receiveMessages()).receivedMessageItems.map((m) => m.messageText)).toEqual(['m']);
  });

  it('serves tables through the Environment connection string', async () => {
    const tables = TableServiceClient.fromConnectionString(env.connectionString, { allowInsecureConnection: true });
    await tables.createTable('backendtable1');
    const names: string[] = [];
    for await (const table of tables.listTables()) names.push(table.name!);
    expect(names).toContain('backendtable1');
  });

  it('accepts a worker account registered before the container started, and keeps its data apart', async () => {
    const worker = workerEnvironment(env, '1');
    const blobs = BlobServiceClient.fromConnectionString(worker.connectionString);
    await blobs.getContainerClient('backend-worker-1').create();
    const base: string[] = [];
    for await (const item of BlobServiceClient.fromConnectionString(env.connectionString).listContainers()) base.push(item.name);
    expect(base).not.toContain('backend-worker-1');
  });
});
