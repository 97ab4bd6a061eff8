import { randomBytes } from 'node:crypto';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { QueueServiceClient, StorageSharedKeyCredential as QueueCredential } from '@azure/storage-queue';
import { describe, expect, it } from 'vitest';
import { requests } from '../../src/index.js';
import { guardedEmulators } from './guarded-emulators.js';

const lz = guardedEmulators({ redirect: true });

/** The client code with a hard-coded production endpoint would build. */
function productionBlobs(key = lz.env.account.key): BlobServiceClient {
  return new BlobServiceClient(`https://${lz.env.account.name}.blob.core.windows.net`, new StorageSharedKeyCredential(lz.env.account.name, key), {
    retryOptions: { maxTries: 1 },
  });
}

describe('redirect: production URLs served by the emulator', () => {
  it('carries a 16 MiB upload and download through, bytes, headers and ranges intact', async () => {
    const container = productionBlobs().getContainerClient('redirect-big');
    await container.create();
    const data = randomBytes(16 * 1024 * 1024);
    const blob = container.getBlockBlobClient('big.bin');
    await blob.uploadData(data, { blobHTTPHeaders: { blobContentType: 'application/x-big' } });

    const downloaded = await blob.downloadToBuffer();
    expect(downloaded.equals(data)).toBe(true);
    const properties = await blob.getProperties();
    expect(properties.contentType).toBe('application/x-big');
    expect(properties.contentLength).toBe(data.length);
    const range = await blob.download(1000, 5000);
    expect(range.contentLength).toBe(5000);
    const chunks: Buffer[] = [];
    for await (const chunk of range.readableStreamBody!) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(data.subarray(1000, 6000))).toBe(true);
  });

  it('lands in the emulator account the URL names, where its journal shows it', async () => {
    const container = productionBlobs().getContainerClient('redirect-seen');
    await container.create();
    await container.getBlockBlobClient('a.txt').upload('hello', 5);

    expect(await BlobServiceClient.fromConnectionString(lz.env.connectionString).getContainerClient('redirect-seen').exists()).toBe(true);
    const [put] = await requests({ operation: 'PutBlob' }, lz.env).then((all) => all.filter((r) => r.path === '/redirect-seen/a.txt'));
    expect(put).toMatchObject({ namespace: lz.env.account.name, status: 201, requestSize: 5 });
  });

  it('still verifies the Shared Key signature of the original request', async () => {
    const wrongKey = randomBytes(64).toString('base64');
    await expect(productionBlobs(wrongKey).getContainerClient('redirect-forged').create()).rejects.toMatchObject({
      statusCode: 403,
      details: { errorCode: 'AuthenticationFailed' },
    });
  });

  it('serves queue URLs too', async () => {
    const queues = new QueueServiceClient(
      `https://${lz.env.account.name}.queue.core.windows.net`,
      new QueueCredential(lz.env.account.name, lz.env.account.key),
      { retryOptions: { maxTries: 1 } },
    );
    const queue = queues.getQueueClient('redirect-jobs');
    await queue.create();
    await queue.sendMessage('job-1');
    const received = await queue.receiveMessages();
    expect(received.receivedMessageItems.map((m) => m.messageText)).toEqual(['job-1']);
  });

  it('still blocks Azure hosts it cannot serve', async () => {
    const error = await fetch('https://login.microsoftonline.com/common/oauth2/v2.0/token', { method: 'POST' }).then(() => undefined, (e: Error) => e);
    expect(error?.cause ?? error).toMatchObject({ code: 'LZ_REAL_AZURE_BLOCKED' });
  });
});
