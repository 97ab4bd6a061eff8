import { describe, expect, it } from 'vitest';
import { errorOf, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

async function newBlob(text = 'tiered') {
  const container = blob.client.getContainerClient(uniqueName('tier'));
  await container.create();
  const client = container.getBlockBlobClient('b');
  await client.upload(text, text.length);
  return { container, client };
}

async function listedProperties(container: Awaited<ReturnType<typeof newBlob>>['container']) {
  for await (const item of container.listBlobsFlat()) return item.properties;
  throw new Error('nothing listed');
}

describe('access tiers', () => {
  it('infers Hot for a new block blob, in properties and listings', async () => {
    const { container, client } = await newBlob();
    const properties = await client.getProperties();
    expect([properties.accessTier, properties.accessTierInferred, properties.accessTierChangedOn]).toEqual(['Hot', true, undefined]);
    const listed = await listedProperties(container);
    expect([listed.accessTier, listed.accessTierInferred]).toEqual(['Hot', true]);
  });

  it('sets Cool, Cold and Hot at once, keeping the ETag, and records the change time', async () => {
    const { container, client } = await newBlob();
    const { etag } = await client.getProperties();
    for (const tier of ['Cool', 'Cold', 'Hot'] as const) {
      const result = await client.setAccessTier(tier);
      expect(result._response.status).toBe(200);
      const properties = await client.getProperties();
      expect([properties.accessTier, properties.accessTierInferred, properties.etag]).toEqual([tier, false, etag]);
      expect(properties.accessTierChangedOn?.getTime()).toBe(Math.floor(blob.clock.now() / 1000) * 1000);
    }
    const listed = await listedProperties(container);
    expect([listed.accessTier, listed.accessTierInferred, listed.accessTierChangedOn instanceof Date]).toEqual(['Hot', undefined, true]);
  });

  it('takes the tier of an upload and of a block list commit', async () => {
    const container = blob.client.getContainerClient(uniqueName('tier'));
    await container.create();
    const uploaded = container.getBlockBlobClient('uploaded');
    await uploaded.upload('x', 1, { tier: 'Cool' });
    const committed = container.getBlockBlobClient('committed');
    await committed.stageBlock(Buffer.from('1').toString('base64'), 'y', 1);
    await committed.commitBlockList([Buffer.from('1').toString('base64')], { tier: 'Cold' });
    expect([(await uploaded.getProperties()).accessTier, (await committed.getProperties()).accessTier]).toEqual(['Cool', 'Cold']);
  });

  it('refuses reads and changes of an archived blob with 409 BlobArchived, but not its properties', async () => {
    const { client } = await newBlob();
    await client.setAccessTier('Archive');
    expect(await errorOf(client.download())).toEqual({ statusCode: 409, code: 'BlobArchived' });
    expect(await errorOf(client.setMetadata({ a: 'b' }))).toEqual({ statusCode: 409, code: 'BlobArchived' });
    expect(await errorOf(client.setHTTPHeaders({ blobContentType: 'text/plain' }))).toEqual({ statusCode: 409, code: 'BlobArchived' });
    expect(await errorOf(client.createSnapshot())).toEqual({ statusCode: 409, code: 'BlobArchived' });
    expect((await client.getProperties()).accessTier).toBe('Archive');
    await client.setTags({ still: 'allowed' });
  });

  it('rehydrates an archived blob on the emulators clock: pending, then readable', async () => {
    const { container, client } = await newBlob('cold storage');
    await client.setAccessTier('Archive');
    const started = await client.setAccessTier('Hot');
    expect(started._response.status).toBe(202);
    const pending = await client.getProperties();
    expect([pending.accessTier, pending.archiveStatus, pending.rehydratePriority]).toEqual(['Archive', 'rehydrate-pending-to-hot', 'Standard']);
    expect((await listedProperties(container)).archiveStatus).toBe('rehydrate-pending-to-hot');
    expect(await errorOf(client.download())).toEqual({ statusCode: 409, code: 'BlobArchived' });
    blob.clock.advance(15 * 3_600_000);
    const done = await client.getProperties();
    expect([done.accessTier, done.archiveStatus]).toEqual(['Hot', undefined]);
    expect((await client.downloadToBuffer()).toString()).toBe('cold storage');
  });

  it('rehydrates within the hour with High priority', async () => {
    const { client } = await newBlob();
    await client.setAccessTier('Archive');
    await client.setAccessTier('Cool', { rehydratePriority: 'High' });
    blob.clock.advance(3_600_000);
    expect((await client.getProperties()).accessTier).toBe('Cool');
  });

  it('refuses another tier while a rehydration is under way with 409 BlobBeingRehydrated', async () => {
    const { client } = await newBlob();
    await client.setAccessTier('Archive');
    await client.setAccessTier('Hot');
    expect(await errorOf(client.setAccessTier('Cool'))).toEqual({ statusCode: 409, code: 'BlobBeingRehydrated' });
  });

  it('refuses premium page blob tiers on this standard account, and tiers on page and append blobs', async () => {
    const container = blob.client.getContainerClient(uniqueName('tier'));
    await container.create();
    const page = container.getPageBlobClient('page');
    await page.create(512);
    expect(await errorOf(page.setAccessTier('P10'))).toEqual({ statusCode: 400, code: 'AccessTierNotSupportedForBlobType' });
    expect(await errorOf(page.setAccessTier('Hot'))).toEqual({ statusCode: 400, code: 'AccessTierNotSupportedForBlobType' });
    const append = container.getAppendBlobClient('append');
    await append.create();
    expect(await errorOf(append.setAccessTier('Cool'))).toEqual({ statusCode: 400, code: 'AccessTierNotSupportedForBlobType' });
  });

  it('needs the lease id to change the tier of a leased blob', async () => {
    const { client } = await newBlob();
    const lease = client.getBlobLeaseClient();
    await lease.acquireLease(-1);
    expect(await errorOf(client.setAccessTier('Cool'))).toEqual({ statusCode: 412, code: 'LeaseIdMissing' });
    await client.setAccessTier('Cool', { conditions: { leaseId: lease.leaseId } });
    expect((await client.getProperties()).accessTier).toBe('Cool');
  });

  it('copies an archived blob only asynchronously and to an online tier', async () => {
    const { container, client } = await newBlob('archived source');
    await client.setAccessTier('Archive');
    const target = container.getBlockBlobClient('copy');
    expect(await errorOf(target.beginCopyFromURL(client.url))).toEqual({ statusCode: 409, code: 'BlobArchived' });
    await (await target.beginCopyFromURL(client.url, { tier: 'Hot', intervalInMs: 10 })).pollUntilDone();
    expect((await target.getProperties()).accessTier).toBe('Hot');
    expect((await target.downloadToBuffer()).toString()).toBe('archived source');
  });

  it('sets the tier of a snapshot apart from its base blob', async () => {
    const { client } = await newBlob();
    const { snapshot } = await client.createSnapshot();
    await client.withSnapshot(snapshot!).setAccessTier('Cool');
    expect([(await client.withSnapshot(snapshot!).getProperties()).accessTier, (await client.getProperties()).accessTier]).toEqual(['Cool', 'Hot']);
  });
});
