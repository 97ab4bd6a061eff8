import { createHash } from 'node:crypto';
import { BlobSASPermissions, type BlobClient } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { errorOf, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

const readable = (source: BlobClient) => source.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(Date.now() + 3_600_000) });

async function newContainer() {
  const container = blob.client.getContainerClient(uniqueName('copy'));
  await container.create();
  return container;
}

describe('what a copy keeps', () => {
  it('keeps the committed block count of an append blob snapshot', async () => {
    const container = await newContainer();
    const source = container.getAppendBlobClient('log');
    await source.create();
    for (const line of ['a', 'b', 'c']) await source.appendBlock(line, 1);
    const { snapshot } = await source.createSnapshot();
    await source.appendBlock('d', 1);
    const target = container.getAppendBlobClient('copy');
    await (await target.beginCopyFromURL(source.withSnapshot(snapshot!).url, { intervalInMs: 10 })).pollUntilDone();
    expect((await target.getProperties()).blobCommittedBlockCount).toBe(3);
    await target.appendBlock('e', 1);
    expect((await target.getProperties()).blobCommittedBlockCount).toBe(4);
  });

  it('copies the source tags with copySourceTags COPY, and replaces them by default', async () => {
    const container = await newContainer();
    const source = container.getBlockBlobClient('src');
    await source.upload('x', 1, { tags: { team: 'storage' } });
    const target = container.getBlockBlobClient('dst');
    await target.syncCopyFromURL(await readable(source), { copySourceTags: 'COPY' });
    expect((await target.getTags()).tags).toEqual({ team: 'storage' });
    await target.syncCopyFromURL(await readable(source), { tags: { own: 'one' } });
    expect((await target.getTags()).tags).toEqual({ own: 'one' });
  });

  it('refuses copySourceTags COPY together with tags of its own', async () => {
    const container = await newContainer();
    const source = container.getBlockBlobClient('src');
    await source.upload('x', 1);
    const failure = await errorOf(container.getBlockBlobClient('dst').syncCopyFromURL(await readable(source), { copySourceTags: 'COPY', tags: { own: 'one' } }));
    expect(failure).toEqual({ statusCode: 400, code: 'BothUserTagsAndSourceTagsCopyPresentException' });
  });

  it('echoes the source MD5 of a synchronous copy as Content-MD5', async () => {
    const container = await newContainer();
    const source = container.getBlockBlobClient('src');
    await source.upload('hash me', 7);
    const md5 = createHash('md5').update('hash me').digest();
    const result = await container.getBlockBlobClient('dst').syncCopyFromURL(await readable(source), { sourceContentMD5: md5 });
    expect(Buffer.from(result.contentMD5!).equals(md5)).toBe(true);
  });

  it('refuses a synchronous copy whose source MD5 does not match with Md5Mismatch', async () => {
    const container = await newContainer();
    const source = container.getBlockBlobClient('src');
    await source.upload('hash me', 7);
    const wrong = createHash('md5').update('other').digest();
    const target = container.getBlockBlobClient('dst');
    expect(await errorOf(target.syncCopyFromURL(await readable(source), { sourceContentMD5: wrong }))).toEqual({ statusCode: 400, code: 'Md5Mismatch' });
    expect(await target.exists()).toBe(false);
  });
});

describe('blob paths', () => {
  it('stores a backslash in a blob path as a slash', async () => {
    const container = await newContainer();
    await container.getBlockBlobClient('dir\\file.txt').upload('b', 1);
    const names: string[] = [];
    for await (const item of container.listBlobsFlat()) names.push(item.name);
    expect(names).toEqual(['dir/file.txt']);
    expect((await container.getBlockBlobClient('dir/file.txt').downloadToBuffer()).toString()).toBe('b');
  });
});

describe('blobs with only staged blocks', () => {
  it('are in no listing, flat or hierarchical, unless uncommitted blobs are asked for', async () => {
    const container = await newContainer();
    await container.getBlockBlobClient('staged/only').stageBlock(Buffer.from('1').toString('base64'), 'x', 1);
    await container.getBlockBlobClient('top').stageBlock(Buffer.from('1').toString('base64'), 'x', 1);
    const flat: string[] = [];
    for await (const item of container.listBlobsFlat()) flat.push(item.name);
    const tree: string[] = [];
    for await (const item of container.listBlobsByHierarchy('/')) tree.push(item.name);
    const withUncommitted: string[] = [];
    for await (const item of container.listBlobsByHierarchy('/', { includeUncommitedBlobs: true })) withUncommitted.push(item.name);
    expect({ flat, tree, withUncommitted }).toEqual({ flat: [], tree: [], withUncommitted: ['staged/', 'top'] });
  });
});
