import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnvironment, ControlClient, restore, snapshot, workerAccount, type Environment } from '../../../src/index.js';
import { LocalZureRuntime } from '../../../src/runtime/runtime.js';
import { BlobService } from '../../../src/services/blob/index.js';
import { QueueService } from '../../../src/services/queue/index.js';
import { TableService } from '../../../src/services/table/index.js';
import { quiet } from './support.js';

const runtime = new LocalZureRuntime({ logger: quiet });
for (const Service of [BlobService, QueueService, TableService]) runtime.manager.registerService(new Service(runtime.manager.context));
let control: ControlClient;
beforeAll(async () => {
  await runtime.start(['blob', 'queue', 'table']);
  control = new ControlClient(runtime.controlUrl);
});
afterAll(() => runtime.stop());

async function worker(id: string): Promise<Environment> {
  const env = buildEnvironment(runtime, workerAccount(runtime.account, id));
  await control.registerNamespace(env.account);
  return env;
}

/** The three services of one account, through their SDKs. */
function clients(env: Environment) {
  return {
    container: BlobServiceClient.fromConnectionString(env.connectionString).getContainerClient('photos'),
    queue: QueueServiceClient.fromConnectionString(env.connectionString).getQueueClient('jobs'),
    table: TableClient.fromConnectionString(env.connectionString, 'people', { allowInsecureConnection: true }),
  };
}

async function baseline(env: Environment) {
  const { container, queue, table } = clients(env);
  await container.create();
  await container.getBlockBlobClient('a.txt').upload('first', 5, { metadata: { owner: 'ann' } });
  await queue.create();
  await queue.sendMessage('job-1');
  await table.createTable();
  await table.createEntity({ partitionKey: 'p', rowKey: 'ann', age: 40 });
}

async function contents(env: Environment) {
  const { container, queue, table } = clients(env);
  const blobs: Record<string, string> = {};
  for await (const blob of container.listBlobsFlat({ includeMetadata: true })) {
    blobs[blob.name] = `${(await container.getBlockBlobClient(blob.name).downloadToBuffer()).toString()} ${JSON.stringify(blob.metadata)}`;
  }
  const messages = (await queue.peekMessages({ numberOfMessages: 32 })).peekedMessageItems.map((m) => m.messageText);
  const people: string[] = [];
  for await (const entity of table.listEntities<{ age: number }>()) people.push(`${entity.rowKey}:${entity.age}`);
  return { blobs, messages, people };
}

async function changeEverything(env: Environment) {
  const { container, queue, table } = clients(env);
  // In place first, on the very records the snapshot was taken from.
  await container.getBlockBlobClient('a.txt').setMetadata({ owner: 'bob' });
  await queue.receiveMessages();
  await container.getBlockBlobClient('a.txt').upload('overwritten', 11);
  await container.getBlockBlobClient('b.txt').upload('new', 3);
  await container.getAppendBlobClient('log.txt').create();
  await queue.clearMessages();
  await queue.sendMessage('job-2');
  await table.updateEntity({ partitionKey: 'p', rowKey: 'ann', age: 41 }, 'Merge');
  await table.createEntity({ partitionKey: 'p', rowKey: 'bob', age: 7 });
}

const BASELINE = { blobs: { 'a.txt': 'first {"owner":"ann"}' }, messages: ['job-1'], people: ['ann:40'] };

describe('snapshot and restore', () => {
  it('puts back blobs, queue messages and table entities as saved, as often as asked', async () => {
    const env = await worker('s1');
    await baseline(env);
    expect(await snapshot('baseline', env)).toEqual({ name: 'baseline', namespace: env.account.name, services: ['blob', 'queue', 'table'] });
    for (let round = 0; round < 2; round++) {
      await changeEverything(env);
      await restore('baseline', env);
      expect(await contents(env)).toEqual(BASELINE);
    }
  });

  it('stays as saved when what a restore put back is then changed in place', async () => {
    const env = await worker('s7');
    await baseline(env);
    await snapshot('before', env);
    await restore('before', env);
    const { container, queue, table } = clients(env);
    const blob = container.getBlockBlobClient('a.txt');
    // Each changes a restored record where it stands: lease, tier, tags, staged block, blob snapshot, a received message.
    await blob.setAccessTier('Cool');
    await blob.setTags({ stage: 'changed' });
    await blob.stageBlock(Buffer.from('block-2').toString('base64'), Buffer.from('second'), 6);
    await blob.createSnapshot();
    await blob.getBlobLeaseClient().acquireLease(-1);
    const [received] = (await queue.receiveMessages()).receivedMessageItems;
    await queue.updateMessage(received!.messageId, received!.popReceipt, 'job-1 changed', 60);
    await table.updateEntity({ partitionKey: 'p', rowKey: 'ann', age: 41 }, 'Merge');
    await restore('before', env);
    expect(await contents(env)).toEqual(BASELINE);
    const properties = await blob.getProperties();
    expect([properties.leaseState, properties.accessTier, (await blob.getTags()).tags]).toEqual(['available', 'Hot', {}]);
    expect((await blob.getBlockList('uncommitted')).uncommittedBlocks).toEqual([]);
    let snapshots = 0;
    for await (const item of container.listBlobsFlat({ includeSnapshots: true })) if (item.snapshot) snapshots++;
    expect(snapshots).toBe(0);
    expect((await queue.peekMessages()).peekedMessageItems.map((m) => [m.messageText, m.dequeueCount])).toEqual([['job-1', 0]]);
  });

  it("keeps to the worker's account: another worker can neither restore it nor lose its data to it", async () => {
    const [a, b] = [await worker('s2'), await worker('s3')];
    await baseline(a);
    await snapshot('mine', a);
    await clients(b).queue.create();
    await clients(b).queue.sendMessage('b-only');
    await expect(restore('mine', b)).rejects.toMatchObject({ status: 404, remoteCode: 'SnapshotNotFound' });
    await restore('mine', a);
    expect((await clients(b).queue.peekMessages()).peekedMessageItems.map((m) => m.messageText)).toEqual(['b-only']);
  });

  it('forgets the requests and faults recorded since, as a reset does', async () => {
    const env = await worker('s4');
    await baseline(env);
    await snapshot('clean', env);
    await control.injectFault({ namespace: env.account.name, service: 'blob', status: 503, times: 5 });
    await restore('clean', env);
    expect((await control.requests({ namespace: env.account.name })).requests).toEqual([]);
    expect(await control.faults(env.account.name)).toEqual([]);
  });

  it('leaves a restored account to be emptied by the next reset', async () => {
    const env = await worker('s5');
    await baseline(env);
    await snapshot('full', env);
    await control.reset(env.account.name);
    await restore('full', env);
    await control.reset(env.account.name);
    expect(await clients(env).container.exists()).toBe(false);
  });

  it('refuses a snapshot without a usable name', async () => {
    const env = await worker('s6');
    await expect(snapshot('no spaces/here', env)).rejects.toMatchObject({ status: 400, remoteCode: 'InvalidInput' });
  });
});
