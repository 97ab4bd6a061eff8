import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { errorOf, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

async function newContainer() {
  const container = blob.client.getContainerClient(uniqueName('blk'));
  await container.create();
  return container;
}

const blockId = (n: number) => Buffer.from(`block-${String(n).padStart(4, '0')}`).toString('base64');

describe('block blobs', () => {
  it('uploads in one request and downloads the same bytes', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('hello.txt');
    await client.upload('hello, blob', 11);
    expect((await client.downloadToBuffer()).toString()).toBe('hello, blob');
  });

  it('stores the MD5 of a single upload and returns it', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('md5.bin');
    const data = Buffer.from('integrity matters');
    const uploaded = await client.upload(data, data.length);
    const expected = createHash('md5').update(data).digest();
    expect(Buffer.from(uploaded.contentMD5!)).toEqual(expected);
    expect(Buffer.from((await client.getProperties()).contentMD5!)).toEqual(expected);
  });

  it('refuses an upload whose blob Content-MD5 does not match the content with Md5Mismatch and stores nothing', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('wrong-blob-md5.bin');
    const wrong = createHash('md5').update('something else').digest();
    expect(await errorOf(client.upload('payload', 7, { blobHTTPHeaders: { blobContentMD5: wrong } }))).toEqual({ statusCode: 400, code: 'Md5Mismatch' });
    expect(await client.exists()).toBe(false);
  });

  it('refuses a block whose Content-MD5 does not match with Md5Mismatch and stages nothing', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('bad-md5.bin');
    const wrong = createHash('md5').update('something else').digest();
    expect(await errorOf(client.stageBlock(blockId(1), 'payload', 7, { transactionalContentMD5: wrong }))).toEqual({ statusCode: 400, code: 'Md5Mismatch' });
    expect((await errorOf(client.getBlockList('all'))).code).toBe('BlobNotFound');
  });

  it('accepts a block whose Content-MD5 matches', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('good-md5.bin');
    const md5 = createHash('md5').update('payload').digest();
    await client.stageBlock(blockId(1), 'payload', 7, { transactionalContentMD5: md5 });
    expect((await client.getBlockList('uncommitted')).uncommittedBlocks).toEqual([{ name: blockId(1), size: 7 }]);
  });

  it('uploads large data in parallel staged blocks and reads it back in parallel ranges', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('large.bin');
    const data = Buffer.alloc(9 * 1024 * 1024 + 123);
    for (let i = 0; i < data.length; i += 4096) data[i] = i % 251;
    await client.uploadData(data, { blockSize: 1024 * 1024, maxSingleShotSize: 1024 * 1024, concurrency: 4 });
    const blocks = await client.getBlockList('committed');
    expect(blocks.committedBlocks).toHaveLength(10);
    const back = await client.downloadToBuffer(0, undefined, { blockSize: 2 * 1024 * 1024, concurrency: 4 });
    expect(back.equals(data)).toBe(true);
  });

  it('commits staged blocks in the order of the block list', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('ordered.txt');
    await client.stageBlock(blockId(1), 'one-', 4);
    await client.stageBlock(blockId(2), 'two-', 4);
    await client.commitBlockList([blockId(2), blockId(1)]);
    expect((await client.downloadToBuffer()).toString()).toBe('two-one-');
  });

  it('lists staged blocks as uncommitted until they are committed', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('staged.txt');
    await client.stageBlock(blockId(1), 'abc', 3);
    const before = await client.getBlockList('all');
    expect(before.uncommittedBlocks).toEqual([{ name: blockId(1), size: 3 }]);
    expect(before.committedBlocks).toEqual([]);
    expect(await client.exists()).toBe(false);
    await client.commitBlockList([blockId(1)]);
    const after = await client.getBlockList('all');
    expect(after.committedBlocks).toEqual([{ name: blockId(1), size: 3 }]);
    expect(after.uncommittedBlocks).toEqual([]);
  });

  it('keeps committed blocks when a new list reuses them', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('reuse.txt');
    await client.stageBlock(blockId(1), 'head-', 5);
    await client.commitBlockList([blockId(1)]);
    await client.stageBlock(blockId(2), 'tail', 4);
    await client.commitBlockList([blockId(1), blockId(2)]);
    expect((await client.downloadToBuffer()).toString()).toBe('head-tail');
  });

  it('refuses a block list naming an unknown block with InvalidBlockList', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('unknown-block.txt');
    await client.stageBlock(blockId(1), 'x', 1);
    expect(await errorOf(client.commitBlockList([blockId(1), blockId(9)]))).toEqual({ statusCode: 400, code: 'InvalidBlockList' });
    expect(await client.exists()).toBe(false);
  });

  it('refuses a block id that is not Base64 with 400 InvalidQueryParameterValue', async () => {
    const container = await newContainer();
    expect(await errorOf(container.getBlockBlobClient('b').stageBlock('not base64!', 'x', 1))).toEqual({ statusCode: 400, code: 'InvalidQueryParameterValue' });
  });

  it('answers 404 ContainerNotFound when uploading into a missing container', async () => {
    const client = blob.client.getContainerClient(uniqueName('nocontainer')).getBlockBlobClient('x');
    expect(await errorOf(client.upload('x', 1))).toEqual({ statusCode: 404, code: 'ContainerNotFound' });
  });

  it('answers 404 BlobNotFound for a blob that does not exist', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('nothing-here');
    expect(await errorOf(client.download())).toEqual({ statusCode: 404, code: 'BlobNotFound' });
    expect(await errorOf(client.getProperties())).toEqual({ statusCode: 404, code: 'BlobNotFound' });
    expect(await errorOf(client.delete())).toEqual({ statusCode: 404, code: 'BlobNotFound' });
  });

  it('overwrites a blob and changes its ETag', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('rewrite.txt');
    const first = await client.upload('one', 3);
    const second = await client.upload('two!', 4);
    expect(second.etag).not.toBe(first.etag);
    expect((await client.downloadToBuffer()).toString()).toBe('two!');
  });

  it('refuses a blob name longer than 1024 characters', async () => {
    const container = await newContainer();
    expect(await errorOf(container.getBlockBlobClient('n'.repeat(1025)).upload('x', 1))).toEqual({ statusCode: 400, code: 'OutOfRangeInput' });
  });

  it('keeps slashes, spaces and unicode in blob names', async () => {
    const container = await newContainer();
    const name = 'dir one/sub dir/naïve café+plus%.txt';
    await container.getBlockBlobClient(name).upload('x', 1);
    const names = [];
    for await (const item of container.listBlobsFlat()) names.push(item.name);
    expect(names).toEqual([name]);
    expect((await container.getBlockBlobClient(name).downloadToBuffer()).toString()).toBe('x');
  });
});

describe('downloads', () => {
  it('downloads a range with 206 and Content-Range', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('range.txt');
    await client.upload('0123456789', 10);
    const part = await client.download(2, 5);
    expect(part._response.status).toBe(206);
    expect(part.contentRange).toBe('bytes 2-6/10');
    expect(part.contentLength).toBe(5);
    expect((await client.downloadToBuffer(2, 5)).toString()).toBe('23456');
  });

  it('downloads from an offset to the end', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('tail.txt');
    await client.upload('0123456789', 10);
    expect((await client.downloadToBuffer(7)).toString()).toBe('789');
  });

  it('clips a range running past the end', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('clip.txt');
    await client.upload('0123456789', 10);
    const part = await client.download(8, 100);
    expect(part.contentRange).toBe('bytes 8-9/10');
  });

  it('answers 416 InvalidRange for a range starting past the end', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('short.txt');
    await client.upload('0123456789', 10);
    expect(await errorOf(client.download(10, 5))).toEqual({ statusCode: 416, code: 'InvalidRange' });
  });

  it('returns the MD5 of a range when asked', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('range-md5.txt');
    await client.upload('0123456789', 10);
    const part = await client.download(0, 4, { rangeGetContentMD5: true });
    expect(Buffer.from(part.contentMD5!)).toEqual(createHash('md5').update('0123').digest());
  });

  it('downloads an empty blob', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('empty');
    await client.upload('', 0);
    expect((await client.downloadToBuffer()).length).toBe(0);
    expect((await client.getProperties()).contentLength).toBe(0);
  });
});

describe('properties and metadata', () => {
  it('stores and returns HTTP headers given on upload', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('headers.html');
    await client.upload('<p>hi</p>', 9, {
      blobHTTPHeaders: {
        blobContentType: 'text/html',
        blobContentEncoding: 'identity',
        blobContentLanguage: 'en-GB',
        blobContentDisposition: 'inline',
        blobCacheControl: 'max-age=60',
      },
    });
    const p = await client.getProperties();
    expect([p.contentType, p.contentEncoding, p.contentLanguage, p.contentDisposition, p.cacheControl]).toEqual([
      'text/html',
      'identity',
      'en-GB',
      'inline',
      'max-age=60',
    ]);
    expect(p.blobType).toBe('BlockBlob');
    expect(p.contentLength).toBe(9);
  });

  it('setHTTPHeaders replaces every content header and changes the ETag', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('set-headers.txt');
    const uploaded = await client.upload('x', 1, { blobHTTPHeaders: { blobContentType: 'text/plain', blobCacheControl: 'no-cache' } });
    const md5 = createHash('md5').update('claimed').digest();
    const set = await client.setHTTPHeaders({ blobContentType: 'application/json', blobContentMD5: md5 });
    expect(set.etag).not.toBe(uploaded.etag);
    const p = await client.getProperties();
    expect(p.contentType).toBe('application/json');
    expect(p.cacheControl).toBeUndefined();
    expect(Buffer.from(p.contentMD5!)).toEqual(md5);
  });

  it('replaces metadata', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('meta.txt');
    await client.upload('x', 1, { metadata: { first: '1' } });
    await client.setMetadata({ second: '2' });
    expect((await client.getProperties()).metadata).toEqual({ second: '2' });
  });

  it('deletes a blob; deleteIfExists and exists report it', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('delete-me.txt');
    await client.upload('x', 1);
    expect(await client.exists()).toBe(true);
    expect((await client.deleteIfExists()).succeeded).toBe(true);
    expect(await client.exists()).toBe(false);
    expect((await client.deleteIfExists()).succeeded).toBe(false);
  });
});
