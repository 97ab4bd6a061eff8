import { createHash } from 'node:crypto';
import { ContainerClient, newPipeline, type RequestPolicy } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { crc64Base64 } from '../../../src/services/storage-common/crc64.js';
import { errorOf, noRetry, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

const crc = (text: string) => Buffer.from(crc64Base64([Buffer.from(text)]), 'base64');
const base64 = (bytes: Uint8Array | undefined) => bytes && Buffer.from(bytes).toString('base64');
const blockId = Buffer.from('block-1').toString('base64');

async function newContainer(pipelineHeaders: Record<string, string> = {}) {
  const name = uniqueName('crc');
  await blob.client.getContainerClient(name).create();
  const pipeline = newPipeline(blob.credential, noRetry);
  pipeline.factories.unshift({
    create: (next: RequestPolicy) => ({
      sendRequest: (request) => {
        for (const [header, value] of Object.entries(pipelineHeaders)) request.headers.set(header, value);
        return next.sendRequest(request);
      },
    }),
  });
  return new ContainerClient(`${blob.url}/${name}`, pipeline);
}

describe('CRC-64 transactional checksums', () => {
  it('accepts a block whose x-ms-content-crc64 matches and echoes it', async () => {
    const container = await newContainer();
    const response = await container.getBlockBlobClient('b').stageBlock(blockId, 'hello', 5, { transactionalContentCrc64: crc('hello') });
    expect(base64(response.xMsContentCrc64)).toBe(base64(crc('hello')));
  });

  it('refuses a block whose x-ms-content-crc64 does not match with 400 Crc64Mismatch, staging nothing', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('b');
    expect(await errorOf(client.stageBlock(blockId, 'hello', 5, { transactionalContentCrc64: crc('other') }))).toEqual({ statusCode: 400, code: 'Crc64Mismatch' });
    expect((await client.getBlockList('uncommitted').catch(() => ({ uncommittedBlocks: [] }))).uncommittedBlocks ?? []).toEqual([]);
  });

  it('refuses an x-ms-content-crc64 that is not 8 bytes with 400 InvalidHeaderValue', async () => {
    const container = await newContainer();
    expect(await errorOf(container.getBlockBlobClient('b').stageBlock(blockId, 'x', 1, { transactionalContentCrc64: Buffer.from('1') }))).toEqual({ statusCode: 400, code: 'InvalidHeaderValue' });
  });

  it('refuses Content-MD5 and x-ms-content-crc64 together with 400 BothCrc64AndMd5HeaderPresent', async () => {
    const container = await newContainer({ 'Content-MD5': createHash('md5').update('hello').digest('base64') });
    const failure = await errorOf(container.getBlockBlobClient('b').stageBlock(blockId, 'hello', 5, { transactionalContentCrc64: crc('hello') }));
    expect(failure).toEqual({ statusCode: 400, code: 'BothCrc64AndMd5HeaderPresent' });
  });

  it('answers the CRC-64 of every appended block and written page, asked or not', async () => {
    const container = await newContainer();
    const append = container.getAppendBlobClient('a');
    await append.create();
    expect(base64((await append.appendBlock('line', 4)).xMsContentCrc64)).toBe(base64(crc('line')));
    const page = container.getPageBlobClient('p');
    await page.create(512);
    const bytes = 'p'.repeat(512);
    expect(base64((await page.uploadPages(bytes, 0, 512)).xMsContentCrc64)).toBe(base64(crc(bytes)));
    expect(await errorOf(page.uploadPages(bytes, 0, 512, { transactionalContentCrc64: crc('nope') }))).toEqual({ statusCode: 400, code: 'Crc64Mismatch' });
  });

  it('checks x-ms-content-crc64 on Put Blob and answers it', async () => {
    const container = await newContainer({ 'x-ms-content-crc64': crc('whole').toString('base64') });
    const response = await container.getBlockBlobClient('ok').upload('whole', 5);
    expect(response._response.headers.get('x-ms-content-crc64')).toBe(crc('whole').toString('base64'));
    expect(await errorOf(container.getBlockBlobClient('bad').upload('wrong', 5))).toEqual({ statusCode: 400, code: 'Crc64Mismatch' });
  });

  it('answers the CRC-64 of a range read with rangeGetContentCrc64, and refuses it together with the MD5 one', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('b');
    await client.upload('0123456789', 10);
    expect(base64((await client.download(2, 5, { rangeGetContentCrc64: true })).contentCrc64)).toBe(base64(crc('23456')));
    const both = await newContainer({ 'x-ms-range-get-content-md5': 'true' });
    const again = both.getBlockBlobClient('b');
    await again.upload('0123456789', 10);
    expect(await errorOf(again.download(2, 5, { rangeGetContentCrc64: true }))).toEqual({ statusCode: 400, code: 'BothCrc64AndMd5RangeHeaderPresent' });
  });
});
