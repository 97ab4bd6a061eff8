import { BlobSASPermissions } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { errorOf, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

async function newContainer(prefix = 'stc') {
  const container = blob.client.getContainerClient(uniqueName(prefix));
  await container.create();
  return container;
}

describe('snapshots', () => {
  it('keeps the content of a blob at the time of the snapshot', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    await client.upload('version one', 11, { metadata: { v: '1' } });
    const { snapshot } = await client.createSnapshot();
    await client.upload('version two', 11);
    const frozen = client.withSnapshot(snapshot!);
    expect((await frozen.downloadToBuffer()).toString()).toBe('version one');
    expect((await frozen.getProperties()).metadata).toEqual({ v: '1' });
    expect((await client.downloadToBuffer()).toString()).toBe('version two');
  });

  it('refuses to delete a blob with snapshots unless told what to do with them', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('with-snaps.txt');
    await client.upload('x', 1);
    await client.createSnapshot();
    expect(await errorOf(client.delete())).toEqual({ statusCode: 409, code: 'SnapshotsPresent' });
    await client.delete({ deleteSnapshots: 'include' });
    expect(await client.exists()).toBe(false);
  });

  it('deletes only the snapshots when asked', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('only-snaps.txt');
    await client.upload('x', 1);
    const { snapshot } = await client.createSnapshot();
    await client.delete({ deleteSnapshots: 'only' });
    expect(await client.exists()).toBe(true);
    expect(await client.withSnapshot(snapshot!).exists()).toBe(false);
  });

  it('deletes one snapshot', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('one-snap.txt');
    await client.upload('x', 1);
    const { snapshot } = await client.createSnapshot();
    await client.withSnapshot(snapshot!).delete();
    expect(await client.withSnapshot(snapshot!).exists()).toBe(false);
    expect(await client.exists()).toBe(true);
  });

  it('answers BlobNotFound for a snapshot that does not exist', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('s.txt');
    await client.upload('x', 1);
    expect(await errorOf(client.withSnapshot('2020-01-01T00:00:00.0000000Z').download())).toEqual({ statusCode: 404, code: 'BlobNotFound' });
  });
});

describe('tags', () => {
  it('sets and gets tags without changing the ETag', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('tagged.txt');
    const { etag } = await client.upload('x', 1);
    await client.setTags({ project: 'apollo', stage: 'draft' });
    expect((await client.getTags()).tags).toEqual({ project: 'apollo', stage: 'draft' });
    expect((await client.getProperties()).etag).toBe(etag);
    expect((await client.getProperties()).tagCount).toBe(2);
  });

  it('refuses more than ten tags', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('many.txt');
    await client.upload('x', 1);
    const tags = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    expect((await errorOf(client.setTags(tags))).statusCode).toBe(400);
  });

  it('refuses a tag key longer than 128 characters with TagsTooLarge', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('longkey.txt');
    await client.upload('x', 1);
    expect(await errorOf(client.setTags({ ['k'.repeat(129)]: 'v' }))).toEqual({ statusCode: 400, code: 'TagsTooLarge' });
    expect((await client.getTags()).tags).toEqual({});
  });

  it('refuses a tag value longer than 256 characters with TagsTooLarge', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('longvalue.txt');
    await client.upload('x', 1);
    expect(await errorOf(client.setTags({ k: 'v'.repeat(257) }))).toEqual({ statusCode: 400, code: 'TagsTooLarge' });
  });

  it('refuses tag characters Azure does not allow with InvalidTag', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('badtag.txt');
    await client.upload('x', 1);
    expect(await errorOf(client.setTags({ 'bad*key': 'v' }))).toEqual({ statusCode: 400, code: 'InvalidTag' });
  });

  it('finds blobs by tags across containers', async () => {
    const marker = uniqueName('find').replace(/-/g, '');
    const first = await newContainer('finda');
    const second = await newContainer('findb');
    await first.getBlockBlobClient('one').upload('1', 1, { tags: { batch: marker, n: '1' } });
    await second.getBlockBlobClient('two').upload('2', 1, { tags: { batch: marker, n: '2' } });
    await second.getBlockBlobClient('other').upload('3', 1, { tags: { batch: 'elsewhere' } });
    const found = [];
    for await (const item of blob.client.findBlobsByTags(`batch = '${marker}'`)) found.push([item.containerName, item.name, item.tags]);
    expect(found).toEqual([
      [first.containerName, 'one', { batch: marker }],
      [second.containerName, 'two', { batch: marker }],
    ]);
  });

  it('combines tag conditions with AND and ranges', async () => {
    const marker = uniqueName('range').replace(/-/g, '');
    const container = await newContainer();
    for (const n of ['1', '2', '3']) await container.getBlockBlobClient(`b${n}`).upload(n, 1, { tags: { batch: marker, n } });
    const found = [];
    for await (const item of container.findBlobsByTags(`batch = '${marker}' AND n >= '2'`)) found.push(item.name);
    expect(found).toEqual(['b2', 'b3']);
  });

  it('refuses a malformed tag filter with 400', async () => {
    expect((await errorOf(blob.client.findBlobsByTags('batch = unquoted').next())).statusCode).toBe(400);
  });
});

describe('copy', () => {
  it('copies a blob with beginCopyFromURL and reports success to the poller', async () => {
    const source = await newContainer();
    const target = await newContainer();
    const from = source.getBlockBlobClient('original.txt');
    await from.upload('copy me', 7, { metadata: { origin: 'source' }, blobHTTPHeaders: { blobContentType: 'text/plain' } });
    const to = target.getBlockBlobClient('copied.txt');
    const poller = await to.beginCopyFromURL(from.url);
    const result = await poller.pollUntilDone();
    expect(result.copyStatus).toBe('success');
    expect((await to.downloadToBuffer()).toString()).toBe('copy me');
    const p = await to.getProperties();
    expect([p.contentType, p.metadata, p.copyStatus, p.copySource]).toEqual(['text/plain', { origin: 'source' }, 'success', from.url]);
  });

  it('copies synchronously with syncCopyFromURL within a container', async () => {
    const container = await newContainer();
    const from = container.getBlockBlobClient('a.txt');
    await from.upload('same container', 14);
    const to = container.getBlockBlobClient('b.txt');
    const result = await to.syncCopyFromURL(from.url);
    expect(result.copyStatus).toBe('success');
    expect((await to.downloadToBuffer()).toString()).toBe('same container');
  });

  it('keeps the copy independent of later writes to the source', async () => {
    const container = await newContainer();
    const from = container.getBlockBlobClient('src.txt');
    await from.upload('before', 6);
    const to = container.getBlockBlobClient('dst.txt');
    await to.syncCopyFromURL(from.url);
    await from.upload('after!', 6);
    expect((await to.downloadToBuffer()).toString()).toBe('before');
  });

  it('answers 404 CannotVerifyCopySource for a missing source', async () => {
    const container = await newContainer();
    const to = container.getBlockBlobClient('dst.txt');
    expect(await errorOf(to.syncCopyFromURL(container.getBlockBlobClient('absent.txt').url))).toEqual({ statusCode: 404, code: 'CannotVerifyCopySource' });
  });

  it('copies from another account only with a SAS on the source', async () => {
    const container = await newContainer();
    const from = container.getBlockBlobClient('shared.txt');
    await from.upload('across accounts', 15);
    const { randomBytes } = await import('node:crypto');
    const other = { name: `copy${randomBytes(4).toString('hex')}`, key: randomBytes(64).toString('base64') };
    blob.namespaces.add(other);
    const { BlobServiceClient, StorageSharedKeyCredential } = await import('@azure/storage-blob');
    const otherClient = new BlobServiceClient(blob.url.replace(/[^/]+$/, other.name), new StorageSharedKeyCredential(other.name, other.key), {
      retryOptions: { maxTries: 1 },
    });
    const dest = otherClient.getContainerClient(uniqueName('dest'));
    await dest.create();
    const to = dest.getBlockBlobClient('copy.txt');
    expect((await errorOf(to.syncCopyFromURL(from.url))).code).toBe('CannotVerifyCopySource');
    const sasUrl = await from.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(blob.clock.now() + 3_600_000) });
    await to.syncCopyFromURL(sasUrl);
    expect((await to.downloadToBuffer()).toString()).toBe('across accounts');
  });
});
