import { AnonymousCredential, BlobClient, BlobServiceClient, BlobSASPermissions, generateBlobSASQueryParameters, type ContainerClient } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { withLocalZure } from '../../../src/index.js';
import { errorOf, noRetry, uniqueName, useBlobService } from './support.js';

// Blob versioning, https://learn.microsoft.com/azure/storage/blobs/versioning-overview:
// every write keeps the blob's previous state as a version with its own id.
const blob = useBlobService({ storageAccount: { versioning: true } });
const plain = useBlobService();

async function newContainer(client = blob.client): Promise<ContainerClient> {
  const container = client.getContainerClient(uniqueName('ver'));
  await container.create();
  return container;
}

async function versionsOf(container: ContainerClient): Promise<Array<{ name: string; versionId?: string; current?: boolean; text?: string }>> {
  const listed = [];
  for await (const item of container.listBlobsFlat({ includeVersions: true })) {
    listed.push({ name: item.name, versionId: item.versionId, current: item.isCurrentVersion });
  }
  return listed;
}

describe('versions on write', () => {
  it('answers a new x-ms-version-id on every upload, and keeps the old content readable by its id', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    const first = await client.upload('one', 3);
    const second = await client.upload('two!', 4);
    expect(first.versionId).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    expect(second.versionId! > first.versionId!).toBe(true);
    expect((await client.withVersion(first.versionId!).downloadToBuffer()).toString()).toBe('one');
    expect((await client.downloadToBuffer()).toString()).toBe('two!');
  });

  it('says which version a read returned and whether it is the current one', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    const first = await client.upload('one', 3);
    const second = await client.upload('two', 3);
    const current = await client.getProperties();
    expect({ versionId: current.versionId, current: current.isCurrentVersion }).toEqual({ versionId: second.versionId, current: true });
    const old = await client.withVersion(first.versionId!).getProperties();
    expect({ versionId: old.versionId, current: old.isCurrentVersion, length: old.contentLength }).toEqual({ versionId: first.versionId, current: undefined, length: 3 });
  });

  it('makes a version on Set Blob Metadata, Put Block List and copies, not on Set Blob Properties', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    const upload = await client.upload('one', 3);
    const metadata = await client.setMetadata({ v: '2' });
    expect(metadata.versionId! > upload.versionId!).toBe(true);
    await client.setHTTPHeaders({ blobContentType: 'text/plain' });
    expect((await client.getProperties()).versionId).toBe(metadata.versionId);
    await client.stageBlock('YQ==', 'abc', 3);
    const committed = await client.commitBlockList(['YQ==']);
    expect(committed.versionId! > metadata.versionId!).toBe(true);
    const copy = await container.getBlobClient('copy.txt').syncCopyFromURL(client.url);
    expect(copy.versionId).toBeDefined();
    expect((await client.withVersion(upload.versionId!).getProperties()).metadata).toEqual({});
    expect((await client.withVersion(metadata.versionId!).getProperties()).metadata).toEqual({ v: '2' });
  });

  it('changes the current version in place on Append Block and Set Blob Tier', async () => {
    const container = await newContainer();
    const log = container.getAppendBlobClient('log.txt');
    const { versionId } = await log.create();
    await log.appendBlock('line', 4);
    expect((await log.getProperties()).versionId).toBe(versionId);
    const doc = container.getBlockBlobClient('doc.txt');
    const upload = await doc.upload('one', 3);
    await doc.setAccessTier('Cool');
    expect((await doc.getProperties()).versionId).toBe(upload.versionId);
    expect((await versionsOf(container)).length).toBe(2);
  });

  it('lists every version with include=versions, oldest first, the current one marked', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    const first = await client.upload('one', 3);
    const second = await client.upload('two', 3);
    expect(await versionsOf(container)).toEqual([
      { name: 'doc.txt', versionId: first.versionId, current: undefined },
      { name: 'doc.txt', versionId: second.versionId, current: true },
    ]);
    const flat = [];
    for await (const item of container.listBlobsFlat()) flat.push({ versionId: item.versionId, current: item.isCurrentVersion });
    expect(flat).toEqual([{ versionId: second.versionId, current: true }]);
  });

  it('pages through versions with a marker inside one name', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    const ids = [];
    for (const text of ['a', 'b', 'c']) ids.push((await client.upload(text, 1)).versionId);
    const seen = [];
    for await (const page of container.listBlobsFlat({ includeVersions: true }).byPage({ maxPageSize: 2 })) {
      for (const item of page.segment.blobItems) seen.push(item.versionId);
    }
    expect(seen).toEqual(ids);
  });
});

describe('deleting under versioning', () => {
  it('turns the current version into a previous one: the blob is gone, its versions stay', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    const { versionId } = await client.upload('one', 3);
    const deleted = await client.delete();
    expect(deleted._response.headers.get('x-ms-delete-type-permanent')).toBe('false');
    expect(await client.exists()).toBe(false);
    expect(await versionsOf(container)).toEqual([{ name: 'doc.txt', versionId, current: undefined }]);
    expect((await client.withVersion(versionId!).downloadToBuffer()).toString()).toBe('one');
    const flat = [];
    for await (const item of container.listBlobsFlat()) flat.push(item.name);
    expect(flat).toEqual([]);
  });

  it('lists a deleted blob that still has versions with include=deletedwithversions, marked HasVersionsOnly', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    await client.upload('one', 3);
    await client.delete();
    await container.getBlockBlobClient('live.txt').upload('x', 1);
    const listed = [];
    for await (const item of container.listBlobsFlat({ includeDeletedWithVersions: true })) listed.push({ name: item.name, hasVersionsOnly: item.hasVersionsOnly });
    expect(listed).toEqual([
      { name: 'doc.txt', hasVersionsOnly: true },
      { name: 'live.txt', hasVersionsOnly: undefined },
    ]);
  });

  it('deletes a previous version by its id, for good', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    const first = await client.upload('one', 3);
    const second = await client.upload('two', 3);
    const deleted = await client.withVersion(first.versionId!).delete();
    expect(deleted._response.headers.get('x-ms-delete-type-permanent')).toBe('true');
    expect(await versionsOf(container)).toEqual([{ name: 'doc.txt', versionId: second.versionId, current: true }]);
    expect(await errorOf(client.withVersion(first.versionId!).getProperties())).toEqual({ statusCode: 404, code: 'BlobNotFound' });
  });

  it('restores a previous version by copying it over the base blob, as a new current version', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    const first = await client.upload('one', 3);
    await client.delete();
    const copy = await client.beginCopyFromURL(client.withVersion(first.versionId!).url);
    const { versionId } = await copy.pollUntilDone();
    expect((await client.downloadToBuffer()).toString()).toBe('one');
    expect(versionId! > first.versionId!).toBe(true);
    expect((await versionsOf(container)).map((v) => v.current)).toEqual([undefined, true]);
  });

  it('stages a block from a previous version (Put Block From URL with versionid)', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    const first = await client.upload('one', 3);
    await client.upload('two', 3);
    const target = container.getBlockBlobClient('from-version.txt');
    await target.stageBlockFromURL('YQ==', client.withVersion(first.versionId!).url);
    await target.commitBlockList(['YQ==']);
    expect((await target.downloadToBuffer()).toString()).toBe('one');
  });

  it('needs the x permission to delete a version with a SAS; d deletes only the blob', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    const { versionId } = await client.upload('one', 3);
    await client.upload('two', 3);
    const sas = (permissions: string) =>
      generateBlobSASQueryParameters(
        { containerName: container.containerName, blobName: 'doc.txt', versionId, permissions: BlobSASPermissions.parse(permissions), expiresOn: new Date(Date.now() + 3_600_000) },
        blob.credential,
      ).toString();
    const withSas = (permissions: string) => new BlobClient(`${client.withVersion(versionId!).url}&${sas(permissions)}`, new AnonymousCredential(), noRetry);
    expect(await errorOf(withSas('d').delete())).toEqual({ statusCode: 403, code: 'AuthorizationPermissionMismatch' });
    await withSas('x').delete();
    expect((await versionsOf(container)).length).toBe(1);
  });

  it('reads one version with a SAS for it (sr=bv) and nothing else with that SAS', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    const { versionId } = await client.upload('one', 3);
    await client.upload('two', 3);
    const sas = generateBlobSASQueryParameters(
      { containerName: container.containerName, blobName: 'doc.txt', versionId, permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(Date.now() + 3_600_000) },
      blob.credential,
    ).toString();
    expect(sas).toContain('sr=bv');
    const version = new BlobClient(`${client.withVersion(versionId!).url}&${sas}`, new AnonymousCredential(), noRetry);
    expect((await version.downloadToBuffer()).toString()).toBe('one');
    const base = new BlobClient(`${client.url}?${sas}`, new AnonymousCredential(), noRetry);
    expect(await errorOf(base.downloadToBuffer())).toEqual({ statusCode: 403, code: 'AuthenticationFailed' });
  });

  it('keeps tags per version: Set Blob Tags with a version id changes that version only', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    const { versionId } = await client.upload('one', 3, { tags: { v: '1' } });
    await client.upload('two', 3);
    await client.withVersion(versionId!).setTags({ v: 'old' });
    expect((await client.withVersion(versionId!).getTags()).tags).toEqual({ v: 'old' });
    expect((await client.getTags()).tags).toEqual({});
  });
});

describe('bad version requests', () => {
  it('answers 404 BlobNotFound for a version id the blob never had', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    await client.upload('one', 3);
    const missing = client.withVersion('2001-01-01T00:00:00.0000000Z');
    expect(await errorOf(missing.downloadToBuffer())).toEqual({ statusCode: 404, code: 'BlobNotFound' });
    expect(await errorOf(missing.delete())).toEqual({ statusCode: 404, code: 'BlobNotFound' });
  });

  it('answers 400 InvalidQueryParameterValue for a version id that is no DateTime', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    await client.upload('one', 3);
    expect(await errorOf(client.withVersion('not-a-time').getProperties())).toEqual({ statusCode: 400, code: 'InvalidQueryParameterValue' });
    expect(await errorOf(client.withVersion('not-a-time').downloadToBuffer())).toEqual({ statusCode: 400, code: 'InvalidQueryParameterValue' });
  });

  it('refuses writes to a version: versions are read-only', async () => {
    const container = await newContainer();
    const client = container.getBlockBlobClient('doc.txt');
    const { versionId } = await client.upload('one', 3);
    expect(await errorOf(client.withVersion(versionId!).setMetadata({ a: 'b' }))).toEqual({ statusCode: 400, code: 'InvalidOperation' });
  });

  it('without versioning answers no version ids, and a versionid read is 404 BlobNotFound', async () => {
    const container = await newContainer(plain.client);
    const client = container.getBlockBlobClient('doc.txt');
    const upload = await client.upload('one', 3);
    expect(upload.versionId).toBeUndefined();
    expect((await client.getProperties()).versionId).toBeUndefined();
    expect(await errorOf(client.withVersion('2001-01-01T00:00:00.0000000Z').downloadToBuffer())).toEqual({ statusCode: 404, code: 'BlobNotFound' });
  });
});

describe('switching versioning on', () => {
  it('keeps versions with the withLocalZure option versioning: true', async () => {
    await using harness = withLocalZure(['blob'], { versioning: true, guard: false });
    const env = await harness.setup();
    const container = BlobServiceClient.fromConnectionString(env.connectionString, noRetry).getContainerClient('docs');
    await container.create();
    const first = await container.getBlockBlobClient('a.txt').upload('one', 3);
    expect(first.versionId).toBeDefined();
  });
});
