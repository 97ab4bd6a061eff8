import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { AzureNamedKeyCredential, TableClient, TableServiceClient } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src/core/namespaces.js';
import { BlobService } from '../../src/services/blob/index.js';
import { QueueService } from '../../src/services/queue/index.js';
import type { StorageService } from '../../src/services/storage-common/storage-service.js';
import { TableService } from '../../src/services/table/index.js';
import { startService, type Running } from './support/services.js';

// Every listing must end: a marker that does not move on makes the SDK's paging loop forever.
const credential = new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
const tableCredential = new AzureNamedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
const running: Array<Running<StorageService>> = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.service.stop();
});

async function started<S extends StorageService>(create: () => Promise<Running<S>>): Promise<Running<S>> {
  const service = await create();
  running.push(service);
  return service;
}

/** The pages of an SDK paging iterator, failing (instead of hanging) past `limit` pages. */
async function pages<P>(iterator: AsyncIterable<P>, limit: number): Promise<P[]> {
  const out: P[] = [];
  for await (const page of iterator) {
    out.push(page);
    if (out.length > limit) throw new Error(`paging did not end within ${limit} pages`);
  }
  return out;
}

async function blobContainer(name: string) {
  const { url } = await started(() => startService((c) => new BlobService(c)));
  const container = new BlobServiceClient(url, credential).getContainerClient(name);
  await container.create();
  return container;
}

describe('listing markers always move on', () => {
  it('lists a blob with more snapshots than a page holds once each, with include=snapshots', async () => {
    const container = await blobContainer('snapshots');
    const blob = container.getBlockBlobClient('many');
    await blob.upload('x', 1);
    const snapshots: string[] = [];
    for (let i = 0; i < 5; i++) snapshots.push((await blob.createSnapshot()).snapshot!);
    await container.getBlockBlobClient('next').upload('y', 1);

    const listed = await pages(container.listBlobsFlat({ includeSnapshots: true }).byPage({ maxPageSize: 2 }), 10);

    const items = listed.flatMap((page) => page.segment.blobItems.map((b) => `${b.name}@${b.snapshot ?? ''}`));
    expect(items).toEqual([...snapshots.map((s) => `many@${s}`), 'many@', 'next@']);
    expect(listed.map((page) => page.segment.blobItems.length)).toEqual([2, 2, 2, 1]);
  });

  it('resumes inside a blob\'s snapshots from a continuation token handed to a new listing', async () => {
    const container = await blobContainer('resume');
    const blob = container.getBlockBlobClient('b');
    await blob.upload('x', 1);
    for (let i = 0; i < 3; i++) await blob.createSnapshot();

    const first = (await container.listBlobsFlat({ includeSnapshots: true }).byPage({ maxPageSize: 3 }).next()).value;
    const rest = await pages(container.listBlobsFlat({ includeSnapshots: true }).byPage({ continuationToken: first.continuationToken, maxPageSize: 3 }), 3);

    expect(first.segment.blobItems.every((b: { snapshot?: string }) => b.snapshot)).toBe(true);
    expect(rest.flatMap((page) => page.segment.blobItems.map((b) => b.snapshot ?? 'base'))).toEqual(['base']);
  });

  it('pages a hierarchy listing one item at a time through large prefixes', async () => {
    const container = await blobContainer('hierarchy');
    for (const name of ['a/1', 'a/2', 'a/3', 'b', 'c/1', 'c/2', 'd']) await container.getBlockBlobClient(name).upload('x', 1);

    const listed = await pages(container.listBlobsByHierarchy('/').byPage({ maxPageSize: 1 }), 8);

    expect(listed.flatMap((page) => [...page.segment.blobPrefixes!.map((p) => p.name), ...page.segment.blobItems.map((b) => b.name)])).toEqual(['a/', 'b', 'c/', 'd']);
  });

  it('pages a hierarchy listing with snapshots through a blob with more snapshots than a page holds', async () => {
    const container = await blobContainer('hierarchy-snapshots');
    const blob = container.getBlockBlobClient('top');
    await blob.upload('x', 1);
    for (let i = 0; i < 3; i++) await blob.createSnapshot();
    await container.getBlockBlobClient('dir/inner').upload('y', 1);

    const listed = await pages(container.listBlobsByHierarchy('/', { includeSnapshots: true }).byPage({ maxPageSize: 2 }), 6);

    const items = listed.flatMap((page) => [...page.segment.blobPrefixes!.map((p) => p.name), ...page.segment.blobItems.map((b) => `${b.name}@${b.snapshot ? 'snapshot' : 'base'}`)]);
    expect(items).toEqual(['dir/', 'top@snapshot', 'top@snapshot', 'top@snapshot', 'top@base']);
  });

  it('pages Find Blobs by Tags across containers to the end', async () => {
    const { url } = await started(() => startService((c) => new BlobService(c)));
    const client = new BlobServiceClient(url, credential);
    for (const name of ['tags-a', 'tags-b']) {
      const container = client.getContainerClient(name);
      await container.create();
      for (const blob of ['1', '2', '3']) await container.getBlockBlobClient(blob).upload('x', 1, { tags: { run: 'paging' } });
    }

    const listed = await pages(client.findBlobsByTags("run = 'paging'").byPage({ maxPageSize: 2 }), 4);

    expect(listed.flatMap((page) => page.blobs.map((b) => `${b.containerName}/${b.name}`))).toEqual(['tags-a/1', 'tags-a/2', 'tags-a/3', 'tags-b/1', 'tags-b/2', 'tags-b/3']);
  });

  it('pages containers to the end', async () => {
    const { url } = await started(() => startService((c) => new BlobService(c)));
    const client = new BlobServiceClient(url, credential);
    for (const name of ['c-1', 'c-2', 'c-3', 'c-4', 'c-5']) await client.createContainer(name);

    const listed = await pages(client.listContainers({ prefix: 'c-' }).byPage({ maxPageSize: 2 }), 4);

    expect(listed.flatMap((page) => page.containerItems.map((c) => c.name))).toEqual(['c-1', 'c-2', 'c-3', 'c-4', 'c-5']);
  });

  it('pages queues to the end', async () => {
    const { url } = await started(() => startService((c) => new QueueService(c)));
    const client = new QueueServiceClient(url, credential);
    for (const name of ['q-1', 'q-2', 'q-3', 'q-4', 'q-5']) await client.createQueue(name);

    const listed = await pages(client.listQueues({ prefix: 'q-' }).byPage({ maxPageSize: 2 }), 4);

    expect(listed.flatMap((page) => (page.queueItems ?? []).map((q) => q.name))).toEqual(['q-1', 'q-2', 'q-3', 'q-4', 'q-5']);
  });

  it('pages tables and entities to the end with continuation tokens', async () => {
    const { url } = await started(() => startService((c) => new TableService(c)));
    const service = new TableServiceClient(url, tableCredential, { allowInsecureConnection: true });
    for (const name of ['pageone', 'pagetwo', 'pagethree']) await service.createTable(name);
    const table = new TableClient(url, 'pageone', tableCredential, { allowInsecureConnection: true });
    for (let i = 0; i < 5; i++) await table.createEntity({ partitionKey: i < 3 ? 'p' : 'q', rowKey: String(i) });

    const tables = await pages(service.listTables({ queryOptions: { filter: "TableName ge 'page'" } }).byPage({ maxPageSize: 1 }), 4);
    const entities = await pages(table.listEntities().byPage({ maxPageSize: 2 }), 4);

    expect(tables.flat().map((t) => t.name)).toEqual(['pageone', 'pagethree', 'pagetwo']);
    expect(entities.flat().map((e) => `${e.partitionKey}/${e.rowKey}`)).toEqual(['p/0', 'p/1', 'p/2', 'q/3', 'q/4']);
  });
});
