import { describe, expect, it } from 'vitest';
import { errorOf, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

async function newContainer() {
  const container = blob.client.getContainerClient(uniqueName('ap'));
  await container.create();
  return container;
}

describe('append blobs', () => {
  it('appends blocks in order and reports offsets', async () => {
    const container = await newContainer();
    const client = container.getAppendBlobClient('log.txt');
    await client.create();
    const first = await client.appendBlock('line 1\n', 7);
    const second = await client.appendBlock('line 2\n', 7);
    expect([first.blobAppendOffset, second.blobAppendOffset]).toEqual(['0', '7']);
    expect(second.blobCommittedBlockCount).toBe(2);
    expect((await client.downloadToBuffer()).toString()).toBe('line 1\nline 2\n');
    const p = await client.getProperties();
    expect([p.blobType, p.blobCommittedBlockCount]).toEqual(['AppendBlob', 2]);
  });

  it('createIfNotExists leaves an existing append blob alone', async () => {
    const container = await newContainer();
    const client = container.getAppendBlobClient('once.txt');
    expect((await client.createIfNotExists()).succeeded).toBe(true);
    await client.appendBlock('kept', 4);
    expect((await client.createIfNotExists()).succeeded).toBe(false);
    expect((await client.downloadToBuffer()).toString()).toBe('kept');
  });

  it('refuses an append at the wrong position with 412 AppendPositionConditionNotMet', async () => {
    const container = await newContainer();
    const client = container.getAppendBlobClient('pos.txt');
    await client.create();
    await client.appendBlock('abc', 3);
    expect(await errorOf(client.appendBlock('d', 1, { conditions: { appendPosition: 1 } }))).toEqual({
      statusCode: 412,
      code: 'AppendPositionConditionNotMet',
    });
    await client.appendBlock('d', 1, { conditions: { appendPosition: 3 } });
  });

  it('refuses an append past the max size with 412 MaxBlobSizeConditionNotMet', async () => {
    const container = await newContainer();
    const client = container.getAppendBlobClient('max.txt');
    await client.create();
    expect(await errorOf(client.appendBlock('toolong', 7, { conditions: { maxSize: 5 } }))).toEqual({
      statusCode: 412,
      code: 'MaxBlobSizeConditionNotMet',
    });
  });

  it('refuses appending to a block blob with 409 InvalidBlobType', async () => {
    const container = await newContainer();
    await container.getBlockBlobClient('block.txt').upload('x', 1);
    expect(await errorOf(container.getAppendBlobClient('block.txt').appendBlock('y', 1))).toEqual({ statusCode: 409, code: 'InvalidBlobType' });
  });

  it('keeps a snapshot of an append blob unchanged by later appends', async () => {
    const container = await newContainer();
    const client = container.getAppendBlobClient('snap.txt');
    await client.create();
    await client.appendBlock('one', 3);
    const { snapshot } = await client.createSnapshot();
    await client.appendBlock('two', 3);
    expect((await client.withSnapshot(snapshot!).downloadToBuffer()).toString()).toBe('one');
    expect((await client.downloadToBuffer()).toString()).toBe('onetwo');
  });
});

describe('page blobs', () => {
  const page = (fill: number, pages = 1) => Buffer.alloc(512 * pages, fill);

  it('creates a zero-filled page blob of the given size', async () => {
    const container = await newContainer();
    const client = container.getPageBlobClient('disk.vhd');
    await client.create(2048);
    const p = await client.getProperties();
    expect([p.blobType, p.contentLength]).toEqual(['PageBlob', 2048]);
    expect((await client.downloadToBuffer()).equals(Buffer.alloc(2048))).toBe(true);
  });

  it('uploads pages and lists the written ranges', async () => {
    const container = await newContainer();
    const client = container.getPageBlobClient('pages.vhd');
    await client.create(4096);
    await client.uploadPages(page(1), 0, 512);
    await client.uploadPages(page(2, 2), 1024, 1024);
    const ranges = await client.getPageRanges();
    // The SDK reports each <PageRange> as { offset: Start, count: End - Start }.
    expect(ranges.pageRange).toEqual([
      { offset: 0, count: 511 },
      { offset: 1024, count: 1023 },
    ]);
    const content = await client.downloadToBuffer();
    expect(content.subarray(0, 512).equals(page(1))).toBe(true);
    expect(content.subarray(512, 1024).equals(Buffer.alloc(512))).toBe(true);
    expect(content.subarray(1024, 2048).equals(page(2, 2))).toBe(true);
  });

  it('lists adjacent writes as separate ranges and clears pages', async () => {
    const container = await newContainer();
    const client = container.getPageBlobClient('clear.vhd');
    await client.create(2048);
    await client.uploadPages(page(3), 0, 512);
    await client.uploadPages(page(4), 512, 512);
    expect((await client.getPageRanges()).pageRange).toEqual([
      { offset: 0, count: 511 },
      { offset: 512, count: 511 },
    ]);
    await client.clearPages(0, 512);
    expect((await client.getPageRanges()).pageRange).toEqual([{ offset: 512, count: 511 }]);
    expect((await client.downloadToBuffer(0, 512)).equals(Buffer.alloc(512))).toBe(true);
  });

  it('refuses a page range not aligned to 512 bytes with 416 InvalidPageRange', async () => {
    const container = await newContainer();
    const client = container.getPageBlobClient('align.vhd');
    await client.create(1024);
    expect(await errorOf(client.uploadPages(Buffer.alloc(100), 0, 100))).toEqual({ statusCode: 416, code: 'InvalidPageRange' });
  });

  it('refuses pages beyond the blob size with 416 InvalidPageRange', async () => {
    const container = await newContainer();
    const client = container.getPageBlobClient('small.vhd');
    await client.create(512);
    expect(await errorOf(client.uploadPages(page(1), 512, 512))).toEqual({ statusCode: 416, code: 'InvalidPageRange' });
  });

  it('refuses a size that is not a multiple of 512 with 400 InvalidHeaderValue', async () => {
    const container = await newContainer();
    expect(await errorOf(container.getPageBlobClient('odd.vhd').create(1000))).toEqual({ statusCode: 400, code: 'InvalidHeaderValue' });
  });

  it('resizes a page blob', async () => {
    const container = await newContainer();
    const client = container.getPageBlobClient('grow.vhd');
    await client.create(512);
    await client.uploadPages(page(5), 0, 512);
    await client.resize(1024);
    expect((await client.getProperties()).contentLength).toBe(1024);
    await client.resize(0);
    expect((await client.getPageRanges()).pageRange).toEqual([]);
  });

  it('updates the sequence number and checks it on writes', async () => {
    const container = await newContainer();
    const client = container.getPageBlobClient('seq.vhd');
    await client.create(1024, { blobSequenceNumber: 5 });
    await client.updateSequenceNumber('increment');
    expect((await client.getProperties()).blobSequenceNumber).toBe(6);
    expect(await errorOf(client.uploadPages(page(1), 0, 512, { conditions: { ifSequenceNumberEqualTo: 5 } }))).toEqual({
      statusCode: 412,
      code: 'SequenceNumberConditionNotMet',
    });
  });
});
