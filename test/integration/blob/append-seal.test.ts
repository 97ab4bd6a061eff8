import { BlobSASPermissions } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { errorOf, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

async function newAppendBlob() {
  const container = blob.client.getContainerClient(uniqueName('seal'));
  await container.create();
  const client = container.getAppendBlobClient('log');
  await client.create();
  await client.appendBlock('first', 5);
  return { container, client };
}

describe('append blob seal', () => {
  it('seals an append blob: isSealed in properties and listings, unsealed before', async () => {
    const { container, client } = await newAppendBlob();
    expect((await client.getProperties()).isSealed).toBe(false);
    const sealed = await client.seal();
    expect(sealed._response.headers.get('x-ms-blob-sealed')).toBe('true');
    expect((await client.getProperties()).isSealed).toBe(true);
    for await (const item of container.listBlobsFlat()) expect(item.properties.isSealed).toBe(true);
  });

  it('refuses appends to a sealed blob with 409 BlobIsSealed, keeping its content', async () => {
    const { client } = await newAppendBlob();
    await client.seal();
    expect(await errorOf(client.appendBlock('more', 4))).toEqual({ statusCode: 409, code: 'BlobIsSealed' });
    expect((await client.downloadToBuffer()).toString()).toBe('first');
  });

  it('still lets a sealed blob change its properties and metadata, and be re-created', async () => {
    const { client } = await newAppendBlob();
    await client.seal();
    await client.setMetadata({ state: 'closed' });
    await client.setHTTPHeaders({ blobContentType: 'text/plain' });
    await client.create();
    expect((await client.getProperties()).isSealed).toBe(false);
  });

  it('keeps the seal in snapshots, and a copy is sealed only when asked', async () => {
    const { container, client } = await newAppendBlob();
    await client.seal();
    const { snapshot } = await client.createSnapshot();
    expect((await client.withSnapshot(snapshot!).getProperties()).isSealed).toBe(true);
    const source = await client.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(Date.now() + 3_600_000) });
    const open = container.getAppendBlobClient('open');
    await (await open.beginCopyFromURL(source, { intervalInMs: 10 })).pollUntilDone();
    const closed = container.getAppendBlobClient('closed');
    await (await closed.beginCopyFromURL(source, { sealBlob: true, intervalInMs: 10 })).pollUntilDone();
    expect([(await open.getProperties()).isSealed, (await closed.getProperties()).isSealed]).toEqual([false, true]);
  });

  it('seals only append blobs (409 InvalidBlobType) that exist (404)', async () => {
    const { container } = await newAppendBlob();
    await container.getBlockBlobClient('block').upload('b', 1);
    expect(await errorOf(container.getAppendBlobClient('block').seal())).toEqual({ statusCode: 409, code: 'InvalidBlobType' });
    expect(await errorOf(container.getAppendBlobClient('missing').seal())).toEqual({ statusCode: 404, code: 'BlobNotFound' });
  });

  it('checks the append position condition and the lease before sealing', async () => {
    const { client } = await newAppendBlob();
    expect(await errorOf(client.seal({ conditions: { appendPosition: 2 } }))).toEqual({ statusCode: 412, code: 'AppendPositionConditionNotMet' });
    await client.getBlobLeaseClient().acquireLease(-1);
    expect(await errorOf(client.seal())).toEqual({ statusCode: 412, code: 'LeaseIdMissing' });
    expect((await client.getProperties()).isSealed).toBe(false);
  });

  it('refuses an append of no bytes with 400 InvalidHeaderValue', async () => {
    const { client } = await newAppendBlob();
    expect(await errorOf(client.appendBlock('', 0))).toEqual({ statusCode: 400, code: 'InvalidHeaderValue' });
  });
});
