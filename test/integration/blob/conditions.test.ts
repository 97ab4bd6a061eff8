import { describe, expect, it } from 'vitest';
import { errorOf, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

async function uploaded(content = 'v1') {
  const container = blob.client.getContainerClient(uniqueName('cond'));
  await container.create();
  const client = container.getBlockBlobClient('target.txt');
  const { etag, lastModified } = await client.upload(content, content.length);
  return { client, container, etag: etag!, lastModified: lastModified! };
}

const hourBefore = (d: Date) => new Date(d.getTime() - 3_600_000);
const hourAfter = (d: Date) => new Date(d.getTime() + 3_600_000);

describe('conditional requests', () => {
  it('downloads when If-Match names the current ETag', async () => {
    const { client, etag } = await uploaded();
    expect((await client.downloadToBuffer(0, undefined, { conditions: { ifMatch: etag } })).toString()).toBe('v1');
  });

  it('answers 412 ConditionNotMet when If-Match names another ETag', async () => {
    const { client } = await uploaded();
    expect(await errorOf(client.download(0, undefined, { conditions: { ifMatch: '"0x1"' } }))).toEqual({ statusCode: 412, code: 'ConditionNotMet' });
  });

  it('answers 304 when If-None-Match names the current ETag on a read', async () => {
    const { client, etag } = await uploaded();
    expect((await errorOf(client.download(0, undefined, { conditions: { ifNoneMatch: etag } }))).statusCode).toBe(304);
  });

  it('answers 304 when If-Modified-Since is not older than the blob', async () => {
    const { client, lastModified } = await uploaded();
    expect((await errorOf(client.getProperties({ conditions: { ifModifiedSince: hourAfter(lastModified) } }))).statusCode).toBe(304);
    await expect(client.getProperties({ conditions: { ifModifiedSince: hourBefore(lastModified) } })).resolves.toBeDefined();
  });

  it('answers 412 when If-Unmodified-Since is older than the blob', async () => {
    const { client, lastModified } = await uploaded();
    expect(await errorOf(client.setMetadata({ a: 'b' }, { conditions: { ifUnmodifiedSince: hourBefore(lastModified) } }))).toEqual({
      statusCode: 412,
      code: 'ConditionNotMet',
    });
  });

  it('refuses a write whose If-Match is stale and leaves the blob as it was', async () => {
    const { client, etag } = await uploaded('first');
    await client.upload('second', 6);
    expect(await errorOf(client.upload('third', 5, { conditions: { ifMatch: etag } }))).toEqual({ statusCode: 412, code: 'ConditionNotMet' });
    expect((await client.downloadToBuffer()).toString()).toBe('second');
  });

  it('creates only when absent with If-None-Match: *, else 409 BlobAlreadyExists', async () => {
    const { container } = await uploaded();
    const fresh = container.getBlockBlobClient('fresh.txt');
    await fresh.upload('a', 1, { conditions: { ifNoneMatch: '*' } });
    expect(await errorOf(fresh.upload('b', 1, { conditions: { ifNoneMatch: '*' } }))).toEqual({ statusCode: 409, code: 'BlobAlreadyExists' });
    expect((await fresh.downloadToBuffer()).toString()).toBe('a');
  });

  it('writes with If-Match: * only when the blob exists', async () => {
    const { client, container } = await uploaded();
    await expect(client.upload('x', 1, { conditions: { ifMatch: '*' } })).resolves.toBeDefined();
    const absent = container.getBlockBlobClient('absent.txt');
    expect((await errorOf(absent.upload('x', 1, { conditions: { ifMatch: '*' } }))).statusCode).toBe(412);
  });

  it('deletes only with the current ETag', async () => {
    const { client, etag } = await uploaded();
    expect((await errorOf(client.delete({ conditions: { ifMatch: '"0x2"' } }))).statusCode).toBe(412);
    await client.delete({ conditions: { ifMatch: etag } });
    expect(await client.exists()).toBe(false);
  });

  it('gives every write a new ETag and a Last-Modified from the service clock', async () => {
    const { client, etag, lastModified } = await uploaded();
    blob.clock.advance(10_000);
    const updated = await client.setMetadata({ k: 'v' });
    expect(updated.etag).not.toBe(etag);
    expect(updated.lastModified!.getTime()).toBeGreaterThanOrEqual(lastModified.getTime() + 9_000);
  });

  it('writes when x-ms-if-tags holds for the blob tags', async () => {
    const { client } = await uploaded();
    await client.setTags({ state: 'draft' });
    await client.setMetadata({ a: 'b' }, { conditions: { tagConditions: `state = 'draft'` } });
    expect((await client.getProperties()).metadata).toEqual({ a: 'b' });
  });

  it('refuses a write whose x-ms-if-tags does not hold with 412 ConditionNotMet and leaves the blob as it was', async () => {
    const { client } = await uploaded();
    await client.setTags({ state: 'draft' });
    expect(await errorOf(client.setMetadata({ a: 'b' }, { conditions: { tagConditions: `state = 'final'` } }))).toEqual({ statusCode: 412, code: 'ConditionNotMet' });
    expect((await client.getProperties()).metadata).toEqual({});
  });

  it('answers a read whose x-ms-if-tags does not hold with 412', async () => {
    const { client } = await uploaded();
    expect((await errorOf(client.getProperties({ conditions: { tagConditions: `state = 'final'` } }))).statusCode).toBe(412);
    expect(await errorOf(client.download(0, undefined, { conditions: { tagConditions: `state = 'final'` } }))).toEqual({ statusCode: 412, code: 'ConditionNotMet' });
  });

  it('refuses a malformed x-ms-if-tags with 400 InvalidHeaderValue', async () => {
    const { client } = await uploaded();
    expect(await errorOf(client.setMetadata({ a: 'b' }, { conditions: { tagConditions: 'state = unquoted' } }))).toEqual({ statusCode: 400, code: 'InvalidHeaderValue' });
  });

  it('applies container conditions on delete', async () => {
    const container = blob.client.getContainerClient(uniqueName('condc'));
    const { lastModified } = await container.create();
    expect((await errorOf(container.delete({ conditions: { ifUnmodifiedSince: hourBefore(lastModified!) } }))).statusCode).toBe(412);
    await container.delete({ conditions: { ifModifiedSince: hourBefore(lastModified!) } });
  });
});

describe('unsatisfiable and out-of-range reads', () => {
  it('refuses If-None-Match: * on a read with 400 UnsatisfiableCondition', async () => {
    const container = blob.client.getContainerClient(uniqueName('inm'));
    await container.create();
    const client = container.getBlockBlobClient('b');
    await client.upload('x', 1);
    expect(await errorOf(client.download(0, undefined, { conditions: { ifNoneMatch: '*' } }))).toEqual({ statusCode: 400, code: 'UnsatisfiableCondition' });
  });

  it('answers Get Page Ranges that starts past the end with 416', async () => {
    const container = blob.client.getContainerClient(uniqueName('pr'));
    await container.create();
    const page = container.getPageBlobClient('p');
    await page.create(1024);
    await page.getPageRanges(1023, 1);
    expect((await errorOf(page.getPageRanges(1024, 512))).statusCode).toBe(416);
  });
});
