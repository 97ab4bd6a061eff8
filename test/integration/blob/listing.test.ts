import type { ContainerClient } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

async function containerWith(names: string[]): Promise<ContainerClient> {
  const container = blob.client.getContainerClient(uniqueName('list'));
  await container.create();
  for (const name of names) await container.getBlockBlobClient(name).upload(name, name.length, { metadata: { source: 'test' } });
  return container;
}

async function flatNames(container: ContainerClient, options: Parameters<ContainerClient['listBlobsFlat']>[0] = {}): Promise<string[]> {
  const names: string[] = [];
  for await (const item of container.listBlobsFlat(options)) names.push(item.name);
  return names;
}

describe('listing blobs', () => {
  it('lists every blob in ordinal name order', async () => {
    const container = await containerWith(['b', 'a/2', 'A', 'a/1', '_x', 'a-b']);
    expect(await flatNames(container)).toEqual(['A', '_x', 'a-b', 'a/1', 'a/2', 'b']);
  });

  it('filters by prefix', async () => {
    const container = await containerWith(['logs/1', 'logs/2', 'data/1']);
    expect(await flatNames(container, { prefix: 'logs/' })).toEqual(['logs/1', 'logs/2']);
  });

  it('includes metadata when asked', async () => {
    const container = await containerWith(['m']);
    const items = [];
    for await (const item of container.listBlobsFlat({ includeMetadata: true })) items.push(item);
    expect(items[0]!.metadata).toEqual({ source: 'test' });
    expect(items[0]!.properties.contentLength).toBe(1);
    expect(items[0]!.properties.blobType).toBe('BlockBlob');
  });

  it('pages with maxPageSize and continuation markers', async () => {
    const container = await containerWith(['e', 'a', 'd', 'b', 'c']);
    const pages: string[][] = [];
    for await (const page of container.listBlobsFlat().byPage({ maxPageSize: 2 })) pages.push(page.segment.blobItems.map((b) => b.name));
    expect(pages).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('groups names into prefixes by delimiter', async () => {
    const container = await containerWith(['root.txt', 'photos/2024/a.jpg', 'photos/2024/b.jpg', 'photos/cover.jpg', 'videos/x.mp4']);
    const prefixes: string[] = [];
    const blobs: string[] = [];
    for await (const item of container.listBlobsByHierarchy('/')) (item.kind === 'prefix' ? prefixes : blobs).push(item.name);
    expect(prefixes).toEqual(['photos/', 'videos/']);
    expect(blobs).toEqual(['root.txt']);
  });

  it('lists one level below a prefix', async () => {
    const container = await containerWith(['photos/2024/a.jpg', 'photos/2024/b.jpg', 'photos/cover.jpg']);
    const items: string[] = [];
    for await (const item of container.listBlobsByHierarchy('/', { prefix: 'photos/' })) items.push(`${item.kind}:${item.name}`);
    expect(items.sort()).toEqual(['blob:photos/cover.jpg', 'prefix:photos/2024/']);
  });

  it('pages through a hierarchy without repeating a prefix', async () => {
    const container = await containerWith(['a/1', 'a/2', 'b', 'c/1', 'd']);
    const seen: string[] = [];
    for await (const page of container.listBlobsByHierarchy('/').byPage({ maxPageSize: 2 })) {
      seen.push(...page.segment.blobPrefixes!.map((p) => p.name), ...page.segment.blobItems.map((b) => b.name));
    }
    expect(seen.sort()).toEqual(['a/', 'b', 'c/', 'd']);
  });

  it('includes staged-only blobs when asked for uncommitted blobs', async () => {
    const container = await containerWith(['done']);
    await container.getBlockBlobClient('pending').stageBlock(Buffer.from('b1').toString('base64'), 'x', 1);
    expect(await flatNames(container)).toEqual(['done']);
    expect(await flatNames(container, { includeUncommitedBlobs: true })).toEqual(['done', 'pending']);
  });

  it('lists a staged-only blob with length 0 and without content properties or access tier', async () => {
    const container = await containerWith([]);
    await container.getBlockBlobClient('pending').stageBlock(Buffer.from('b1').toString('base64'), 'staged', 6);
    const items = [];
    for await (const item of container.listBlobsFlat({ includeUncommitedBlobs: true })) items.push(item.properties);
    expect(items.map((p) => [p.contentLength, p.contentType, p.contentMD5, p.accessTier])).toEqual([[0, undefined, undefined, undefined]]);
  });

  it('includes snapshots before their base blob when asked', async () => {
    const container = await containerWith(['snap']);
    const { snapshot } = await container.getBlockBlobClient('snap').createSnapshot();
    const items = [];
    for await (const item of container.listBlobsFlat({ includeSnapshots: true })) items.push([item.name, item.snapshot]);
    expect(items).toEqual([
      ['snap', snapshot],
      ['snap', undefined],
    ]);
  });

  it('includes tags when asked', async () => {
    const container = await containerWith([]);
    await container.getBlockBlobClient('tagged').upload('x', 1, { tags: { colour: 'blue' } });
    const items = [];
    for await (const item of container.listBlobsFlat({ includeTags: true })) items.push(item.tags);
    expect(items).toEqual([{ colour: 'blue' }]);
  });
});

describe('listing from a name', () => {
  it('starts a listing at startFrom, inclusive, flat and by hierarchy', async () => {
    const container = await containerWith(['a', 'b/1', 'b/2', 'c', 'd']);
    expect(await flatNames(container, { startFrom: 'b/2' })).toEqual(['b/2', 'c', 'd']);
    const tree: string[] = [];
    for await (const item of container.listBlobsByHierarchy('/', { startFrom: 'c' })) tree.push(item.name);
    expect(tree).toEqual(['c', 'd']);
  });
});

describe('elements the SDK models', () => {
  it('answers ImmutableStorageWithVersioningEnabled on containers, Content-CRC64 and OrMetadata on blobs', async () => {
    const container = await containerWith(['m']);
    expect((await container.getProperties()).isImmutableStorageWithVersioningEnabled).toBe(false);
    for await (const item of blob.client.listContainers({ prefix: container.containerName })) expect(item.properties.isImmutableStorageWithVersioningEnabled).toBe(false);
    const page = (await container.listBlobsFlat({ includeMetadata: true }).byPage().next()).value;
    const xml = (page as { _response: { bodyAsText: string } })._response.bodyAsText;
    expect([xml.includes('<Content-CRC64></Content-CRC64>'), xml.includes('<OrMetadata></OrMetadata>')]).toEqual([true, true]);
    const snapshot = await container.getBlockBlobClient('m').createSnapshot();
    expect(snapshot.isServerEncrypted).toBe(false);
  });
});
