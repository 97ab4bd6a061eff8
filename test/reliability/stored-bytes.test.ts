import { BlobServiceClient, RestError, StorageSharedKeyCredential } from '@azure/storage-blob';
import { AzureNamedKeyCredential, TableClient } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterEach, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../src/core/clock.js';
import { DEFAULT_ACCOUNT } from '../../src/core/namespaces.js';
import { BlobService } from '../../src/services/blob/index.js';
import { QueueService } from '../../src/services/queue/index.js';
import type { StorageService } from '../../src/services/storage-common/storage-service.js';
import { TableService } from '../../src/services/table/index.js';
import { startService, type Running } from './support/services.js';

// limits.maxStoredBytes reads a count the stores keep as data changes; these
// walk every kind of change and check that the room left is exact after each.
const credential = new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
const noRetry = { retryOptions: { maxTries: 1 } };
const running: Array<Running<StorageService>> = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.service.stop();
});

async function capped<S extends StorageService>(create: (c: object) => S, maxStoredBytes: number): Promise<Running<S>> {
  const started = await startService(create, { limits: { maxStoredBytes } });
  running.push(started);
  return started;
}

async function status(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 201;
  } catch (error) {
    if (error instanceof RestError || (error as { statusCode?: number }).statusCode) return (error as { statusCode: number }).statusCode;
    throw error;
  }
}

describe('the stored-bytes count behind limits.maxStoredBytes', () => {
  it('follows blob uploads, snapshots, staged and appended blocks, commits and deletes exactly', async () => {
    const { url } = await capped((c) => new BlobService(c), 1000);
    const client = new BlobServiceClient(url, credential, noRetry);
    const container = client.getContainerClient('counted');
    await container.create();
    const a = container.getBlockBlobClient('a');
    await a.upload(Buffer.alloc(300), 300);
    await a.createSnapshot();
    const b = container.getBlockBlobClient('b');
    await b.stageBlock('YmxvY2s=', Buffer.alloc(100), 100);
    const c = container.getAppendBlobClient('c');
    await c.create();
    await c.appendBlock(Buffer.alloc(100), 100);
    // 300 + 300 (snapshot) + 100 (staged) + 100 (appended): 200 left.
    const d = container.getBlockBlobClient('d');
    expect(await status(d.upload(Buffer.alloc(201), 201))).toBe(507);
    expect(await status(d.upload(Buffer.alloc(200), 200))).toBe(201);

    await d.delete();
    await a.delete({ deleteSnapshots: 'only' });
    await b.commitBlockList(['YmxvY2s=']);
    // 300 + 100 (committed, no longer staged) + 100: 500 left.
    expect(await status(d.upload(Buffer.alloc(501), 501))).toBe(507);
    expect(await status(d.upload(Buffer.alloc(500), 500))).toBe(201);

    await container.delete();
    const next = client.getContainerClient('next');
    await next.create();
    expect(await status(next.getBlockBlobClient('full').upload(Buffer.alloc(1000), 1000))).toBe(201);
    expect(await status(next.getBlockBlobClient('more').upload(Buffer.alloc(1), 1))).toBe(507);
  });

  it('counts kept versions and soft-deleted items until their retention ends', async () => {
    const clock = new AdjustableClock();
    const { url } = await capped((c) => new BlobService({ ...c, clock, storageAccount: { versioning: true } }), 1000);
    const client = new BlobServiceClient(url, credential, noRetry);
    await client.setProperties({ deleteRetentionPolicy: { enabled: true, days: 1 } });
    const container = client.getContainerClient('kept');
    await container.create();
    const a = container.getBlockBlobClient('a');
    const { versionId } = await a.upload(Buffer.alloc(300), 300);
    await a.upload(Buffer.alloc(300), 300);
    await a.withVersion(versionId!).delete();
    // 300 (current) + 300 (the first version, soft-deleted): 400 left.
    const b = container.getBlockBlobClient('b');
    expect(await status(b.upload(Buffer.alloc(401), 401))).toBe(507);
    clock.advance(86_400_000);
    // The first look after the retention ends removes the version for good.
    for await (const _ of container.listBlobsFlat({ includeVersions: true, includeDeleted: true }));
    expect(await status(b.upload(Buffer.alloc(700), 700))).toBe(201);
    expect(await status(container.getBlockBlobClient('c').upload(Buffer.alloc(1), 1))).toBe(507);
  });

  // A message body carries its text in XML, so each step is checked against what is left with room to spare for the markup.
  it('follows queue messages sent, updated, deleted and cleared', async () => {
    const { url } = await capped((c) => new QueueService(c), 10_000);
    const queue = new QueueServiceClient(url, credential, noRetry).getQueueClient('counted');
    await queue.create();
    const first = await queue.sendMessage('a'.repeat(4000));
    await queue.sendMessage('b'.repeat(4000));
    await queue.updateMessage(first.messageId, first.popReceipt, 'c'.repeat(1000));
    // 1000 + 4000 held: 5000 left.
    expect(await status(queue.sendMessage('d'.repeat(5100)))).toBe(507);
    expect(await status(queue.sendMessage('d'.repeat(4800)))).toBe(201);

    const [received] = (await queue.receiveMessages()).receivedMessageItems;
    await queue.deleteMessage(received!.messageId, received!.popReceipt);
    // 4000 + 4800 held: 1200 left.
    expect(await status(queue.sendMessage('e'.repeat(1300)))).toBe(507);
    expect(await status(queue.sendMessage('e'.repeat(1000)))).toBe(201);

    await queue.clearMessages();
    expect(await status(queue.sendMessage('f'.repeat(9800)))).toBe(201);
    await queue.delete();
    const other = new QueueServiceClient(url, credential, noRetry).getQueueClient('other');
    await other.create();
    expect(await status(other.sendMessage('g'.repeat(9800)))).toBe(201);
  });

  it('gives back exactly what a failed table batch had written, and what a deleted table held', async () => {
    const { url } = await capped((c) => new TableService(c), 100_000);
    const tableCredential = new AzureNamedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
    const table = new TableClient(url, 'counted', tableCredential, { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
    await table.createTable();
    // Text counts 2 bytes a character: about 60 KB held, 40 KB left.
    await table.createEntity({ partitionKey: 'p', rowKey: 'kept', s: 'x'.repeat(30_000) });
    const batch = ['b1', 'b2', 'b3'].map((rowKey) => ['create', { partitionKey: 'p', rowKey, s: 'x'.repeat(10_000) }] as ['create', { partitionKey: string; rowKey: string; s: string }]);
    expect(await status(table.submitTransaction(batch))).toBe(507);
    // Had the two writes the batch made before failing stayed counted, 30 KB would not fit.
    expect(await status(table.createEntity({ partitionKey: 'p', rowKey: 'after', s: 'x'.repeat(15_000) }))).toBe(201);

    await table.deleteTable();
    const other = new TableClient(url, 'other', tableCredential, { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
    await other.createTable();
    expect(await status(other.createEntity({ partitionKey: 'p', rowKey: 'big', s: 'x'.repeat(22_000), t: 'y'.repeat(22_000) }))).toBe(201);
  });

  it('counts what a restored snapshot holds, not what the account held before it', async () => {
    const { service, url } = await capped((c) => new BlobService(c), 1000);
    const container = new BlobServiceClient(url, credential, noRetry).getContainerClient('restored');
    await container.create();
    await container.getBlockBlobClient('kept').upload(Buffer.alloc(400), 400);
    const saved = await service.captureNamespace(DEFAULT_ACCOUNT.name);
    await container.getBlockBlobClient('dropped').upload(Buffer.alloc(300), 300);
    await service.restoreNamespace(DEFAULT_ACCOUNT.name, saved);
    await service.restoreNamespace(DEFAULT_ACCOUNT.name, saved);
    // Only the 400 bytes of the snapshot remain, however often it is restored: 600 left.
    const next = container.getBlockBlobClient('next');
    expect(await status(next.upload(Buffer.alloc(601), 601))).toBe(507);
    expect(await status(next.upload(Buffer.alloc(600), 600))).toBe(201);
  });

  it('counts the queue messages of a restored snapshot once', async () => {
    const { service, url } = await capped((c) => new QueueService(c), 10_000);
    const queue = new QueueServiceClient(url, credential, noRetry).getQueueClient('restored');
    await queue.create();
    await queue.sendMessage('a'.repeat(4000));
    const saved = await service.captureNamespace(DEFAULT_ACCOUNT.name);
    await queue.sendMessage('b'.repeat(4000));
    await service.restoreNamespace(DEFAULT_ACCOUNT.name, saved);
    await service.restoreNamespace(DEFAULT_ACCOUNT.name, saved);
    // 4,000 bytes held after the restores: 6,000 left (less the request's envelope).
    expect(await status(queue.sendMessage('c'.repeat(6100)))).toBe(507);
    expect(await status(queue.sendMessage('c'.repeat(5800)))).toBe(201);
  });
});
