import { AnonymousCredential, BlobBatch, ContainerSASPermissions, BlobServiceClient, newPipeline, StorageSharedKeyCredential, type RequestPolicy } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { noRetry, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

async function containerWithBlobs(count: number) {
  const container = blob.client.getContainerClient(uniqueName('batch'));
  await container.create();
  const blobs = [];
  for (let i = 0; i < count; i++) {
    const client = container.getBlockBlobClient(`blob-${i}`);
    await client.upload('x', 1);
    blobs.push(client);
  }
  return { container, blobs };
}

async function names(container: Awaited<ReturnType<typeof containerWithBlobs>>['container']) {
  const listed: string[] = [];
  for await (const item of container.listBlobsFlat()) listed.push(item.name);
  return listed;
}

describe('blob batch', () => {
  it('deletes blobs and answers each subrequest with its own status', async () => {
    const { container, blobs } = await containerWithBlobs(3);
    const response = await blob.client.getBlobBatchClient().deleteBlobs(blobs.map((b) => b.url), blob.credential);
    expect(response._response.status).toBe(202);
    expect(response.subResponses.map((s) => [s.status, s.headers.get('x-ms-delete-type-permanent')])).toEqual([
      [202, 'true'],
      [202, 'true'],
      [202, 'true'],
    ]);
    expect(await names(container)).toEqual([]);
  });

  it('sets the tier of blobs in a container-scoped batch', async () => {
    const { container, blobs } = await containerWithBlobs(2);
    const response = await container.getBlobBatchClient().setBlobsAccessTier(blobs, 'Cool');
    expect(response.subResponses.map((s) => s.status)).toEqual([200, 200]);
    for (const b of blobs) expect((await b.getProperties()).accessTier).toBe('Cool');
  });

  it('reports a failing subrequest without failing the others', async () => {
    const { container, blobs } = await containerWithBlobs(2);
    const missing = container.getBlobClient('missing');
    const response = await blob.client.getBlobBatchClient().deleteBlobs([blobs[0]!.url, missing.url, blobs[1]!.url], blob.credential);
    expect(response.subResponses.map((s) => [s.status, s.errorCode])).toEqual([
      [202, undefined],
      [404, 'BlobNotFound'],
      [202, undefined],
    ]);
    expect([response.subResponsesSucceededCount, response.subResponsesFailedCount]).toEqual([2, 1]);
  });

  it('authorizes each subrequest on its own credential', async () => {
    const { container, blobs } = await containerWithBlobs(2);
    const wrongKey = new StorageSharedKeyCredential(blob.credential.accountName, Buffer.from('not the key').toString('base64'));
    const batch = new BlobBatch();
    await batch.deleteBlob(blobs[0]!.url, blob.credential);
    await batch.deleteBlob(blobs[1]!.url, wrongKey);
    const response = await blob.client.getBlobBatchClient().submitBatch(batch);
    expect(response.subResponses.map((s) => [s.status, s.errorCode])).toEqual([
      [202, undefined],
      [403, 'AuthenticationFailed'],
    ]);
    expect(await names(container)).toEqual(['blob-1']);
  });

  it('authorizes SAS subrequests by their own SAS permissions', async () => {
    const { container, blobs } = await containerWithBlobs(1);
    const readOnly = await container.generateSasUrl({ permissions: ContainerSASPermissions.parse('r'), expiresOn: new Date(Date.now() + 3_600_000) });
    const sasUrl = `${blobs[0]!.url}?${readOnly.split('?')[1]}`;
    const response = await blob.client.getBlobBatchClient().deleteBlobs([sasUrl], new AnonymousCredential());
    expect(response.subResponses.map((s) => [s.status, s.errorCode])).toEqual([[403, 'AuthorizationPermissionMismatch']]);
  });

  it('refuses a container-scoped batch holding a blob of another container, as a whole', async () => {
    const { container } = await containerWithBlobs(1);
    const other = await containerWithBlobs(1);
    const response = await container.getBlobBatchClient().deleteBlobs([other.blobs[0]!.url], blob.credential);
    expect([response.subResponsesSucceededCount, response.subResponsesFailedCount]).toEqual([0, 1]);
    expect(await names(other.container)).toEqual(['blob-0']);
  });

  it('refuses more than 256 subrequests, as a whole', async () => {
    const { container, blobs } = await containerWithBlobs(1);
    // The SDK stops at 256 itself; this policy writes the 257th subrequest into the body as another client could.
    const pipeline = newPipeline(blob.credential, noRetry);
    pipeline.factories.unshift({
      create: (next: RequestPolicy) => ({
        sendRequest: (request) => {
          const body = request.body as string;
          const boundary = /boundary=([^;]+)/.exec(request.headers.get('content-type') ?? '')![1]!;
          const [first] = body.split(`--${boundary}--`);
          const part = first!.slice(first!.indexOf(`--${boundary}`));
          request.body = `${part.repeat(257)}--${boundary}--\r\n`;
          return next.sendRequest(request);
        },
      }),
    });
    const response = await new BlobServiceClient(blob.url, pipeline).getBlobBatchClient().deleteBlobs([blobs[0]!.url], blob.credential);
    expect([response.subResponsesSucceededCount, response.subResponsesFailedCount]).toEqual([0, 1]);
    expect(await names(container)).toEqual(['blob-0']);
  });
});
