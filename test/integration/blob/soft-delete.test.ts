import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorOf, uniqueName, useBlobService, type BlobFixture } from './support.js';

// Soft delete, https://learn.microsoft.com/azure/storage/blobs/soft-delete-blob-overview and
// https://learn.microsoft.com/azure/storage/blobs/soft-delete-container-overview.
const DAY = 86_400_000;
const soft = useBlobService({ storageAccount: { containerSoftDeleteDays: 3 } });
const versioned = useBlobService({ storageAccount: { versioning: true } });
const plain = useBlobService();

beforeAll(async () => {
  for (const fixture of [soft, versioned]) await fixture.client.setProperties({ deleteRetentionPolicy: { enabled: true, days: 7 } });
});

async function newContainer(fixture: BlobFixture): Promise<ContainerClient> {
  const container = fixture.client.getContainerClient(uniqueName('soft'));
  await container.create();
  return container;
}

async function listed(container: ContainerClient, options: { includeVersions?: boolean; includeSnapshots?: boolean } = {}) {
  const items = [];
  for await (const item of container.listBlobsFlat({ includeDeleted: true, ...options })) {
    items.push({ name: item.name, deleted: item.deleted === true, snapshot: item.snapshot !== undefined && item.snapshot !== '', days: item.properties.remainingRetentionDays, version: item.versionId !== undefined });
  }
  return items;
}

describe('blob soft delete', () => {
  it('keeps a deleted blob for the retention period: hidden, listed with include=deleted, not permanent', async () => {
    const container = await newContainer(soft);
    const client = container.getBlockBlobClient('doc.txt');
    await client.upload('one', 3);
    const deleted = await client.delete();
    expect(deleted._response.headers.get('x-ms-delete-type-permanent')).toBe('false');
    expect(await client.exists()).toBe(false);
    expect(await listed(container)).toEqual([{ name: 'doc.txt', deleted: true, snapshot: false, days: 7, version: false }]);
    const item = (await container.listBlobsFlat({ includeDeleted: true }).next()).value!;
    expect(item.properties.deletedOn?.getTime()).toBe(Math.floor(soft.clock.now() / 1000) * 1000);
    const live = [];
    for await (const b of container.listBlobsFlat()) live.push(b.name);
    expect(live).toEqual([]);
  });

  it('undeletes a soft-deleted blob with its snapshots', async () => {
    const container = await newContainer(soft);
    const client = container.getBlockBlobClient('doc.txt');
    await client.upload('one', 3);
    await client.createSnapshot();
    await client.delete({ deleteSnapshots: 'include' });
    expect((await listed(container, { includeSnapshots: true })).map((i) => [i.snapshot, i.deleted])).toEqual([
      [true, true],
      [false, true],
    ]);
    await client.undelete();
    expect((await client.downloadToBuffer()).toString()).toBe('one');
    expect((await listed(container, { includeSnapshots: true })).map((i) => [i.snapshot, i.deleted])).toEqual([
      [true, false],
      [false, false],
    ]);
  });

  it('keeps a soft-deleted snapshot of what an upload overwrote', async () => {
    const container = await newContainer(soft);
    const client = container.getBlockBlobClient('doc.txt');
    await client.upload('one', 3);
    await client.upload('two', 3);
    const items = await listed(container, { includeSnapshots: true });
    expect(items.map((i) => [i.snapshot, i.deleted])).toEqual([
      [true, true],
      [false, false],
    ]);
    await client.undelete();
    const snapshot = (await container.listBlobsFlat({ includeSnapshots: true }).next()).value!.snapshot;
    expect((await client.withSnapshot(snapshot).downloadToBuffer()).toString()).toBe('one');
  });

  it('removes a soft-deleted blob for good once the retention ends on the emulators clock', async () => {
    const container = await newContainer(soft);
    const client = container.getBlockBlobClient('doc.txt');
    await client.upload('one', 3);
    await client.delete();
    soft.clock.advance(2 * DAY);
    expect((await listed(container))[0]?.days).toBe(5);
    soft.clock.advance(5 * DAY);
    expect(await listed(container)).toEqual([]);
    expect(await errorOf(client.undelete())).toEqual({ statusCode: 404, code: 'BlobNotFound' });
  });

  it('soft-deletes a single snapshot, and undelete brings it back', async () => {
    const container = await newContainer(soft);
    const client = container.getBlockBlobClient('doc.txt');
    await client.upload('one', 3);
    const { snapshot } = await client.createSnapshot();
    const deleted = await client.withSnapshot(snapshot!).delete();
    expect(deleted._response.headers.get('x-ms-delete-type-permanent')).toBe('false');
    expect(await client.withSnapshot(snapshot!).exists()).toBe(false);
    await client.undelete();
    expect((await client.withSnapshot(snapshot!).downloadToBuffer()).toString()).toBe('one');
  });

  it('undelete of a live blob succeeds and changes nothing; of a blob never written it is 404', async () => {
    const container = await newContainer(soft);
    const client = container.getBlockBlobClient('doc.txt');
    await client.upload('one', 3);
    const etag = (await client.getProperties()).etag;
    await client.undelete();
    expect((await client.getProperties()).etag).toBe(etag);
    expect(await errorOf(container.getBlockBlobClient('never.txt').undelete())).toEqual({ statusCode: 404, code: 'BlobNotFound' });
  });

  it('applies a changed retention only to what is deleted after the change', async () => {
    const fixture = soft;
    const container = await newContainer(fixture);
    await container.getBlockBlobClient('early.txt').upload('x', 1);
    await container.getBlockBlobClient('early.txt').delete();
    await fixture.client.setProperties({ deleteRetentionPolicy: { enabled: true, days: 1 } });
    try {
      await container.getBlockBlobClient('late.txt').upload('x', 1);
      await container.getBlockBlobClient('late.txt').delete();
      expect((await listed(container)).map((i) => [i.name, i.days])).toEqual([
        ['early.txt', 7],
        ['late.txt', 1],
      ]);
    } finally {
      await fixture.client.setProperties({ deleteRetentionPolicy: { enabled: true, days: 7 } });
    }
  });

  it('refuses a retention policy Azure refuses: on without days, or more than 365 days', async () => {
    expect(await errorOf(plain.client.setProperties({ deleteRetentionPolicy: { enabled: true } }))).toEqual({ statusCode: 400, code: 'InvalidXmlNodeValue' });
    expect(await errorOf(plain.client.setProperties({ deleteRetentionPolicy: { enabled: true, days: 366 } }))).toEqual({ statusCode: 400, code: 'InvalidXmlNodeValue' });
    expect((await plain.client.getProperties()).deleteRetentionPolicy?.enabled).toBe(false);
  });

  it('without soft delete a delete is permanent and says so', async () => {
    const container = await newContainer(plain);
    const client = container.getBlockBlobClient('doc.txt');
    await client.upload('one', 3);
    expect((await client.delete())._response.headers.get('x-ms-delete-type-permanent')).toBe('true');
    expect(await listed(container)).toEqual([]);
  });
});

describe('soft delete with versioning', () => {
  it('soft-deletes a previous version deleted by id; undelete restores it, not the current blob', async () => {
    const container = await newContainer(versioned);
    const client = container.getBlockBlobClient('doc.txt');
    const first = await client.upload('one', 3);
    await client.upload('two', 3);
    await client.delete();
    const deleted = await client.withVersion(first.versionId!).delete();
    expect(deleted._response.headers.get('x-ms-delete-type-permanent')).toBe('false');
    expect(await errorOf(client.withVersion(first.versionId!).downloadToBuffer())).toEqual({ statusCode: 404, code: 'BlobNotFound' });
    expect((await listed(container, { includeVersions: true })).map((i) => i.deleted)).toEqual([true, false]);
    await client.undelete();
    expect((await client.withVersion(first.versionId!).downloadToBuffer()).toString()).toBe('one');
    // Undelete does not bring back the current version: copying a version over the blob does.
    expect(await client.exists()).toBe(false);
  });

  it('makes overwrites previous versions, not soft-deleted snapshots', async () => {
    const container = await newContainer(versioned);
    const client = container.getBlockBlobClient('doc.txt');
    await client.upload('one', 3);
    await client.upload('two', 3);
    expect((await listed(container, { includeSnapshots: true, includeVersions: true })).map((i) => [i.snapshot, i.version, i.deleted])).toEqual([
      [false, true, false],
      [false, true, false],
    ]);
  });
});

describe('container soft delete', () => {
  async function deletedContainers(client: BlobServiceClient, prefix: string) {
    const found = [];
    for await (const item of client.listContainers({ includeDeleted: true, prefix })) found.push({ name: item.name, deleted: item.deleted === true, version: item.version, days: item.properties.remainingRetentionDays });
    return found;
  }

  it('lists a deleted container with include=deleted, and restores it with its blobs', async () => {
    const container = await newContainer(soft);
    await container.getBlockBlobClient('doc.txt').upload('one', 3);
    await container.delete();
    expect(await container.exists()).toBe(false);
    const [found] = await deletedContainers(soft.client, container.containerName);
    expect(found).toMatchObject({ name: container.containerName, deleted: true, days: 3 });
    expect(found!.version).toMatch(/^[0-9A-F]{16}$/);
    const { containerClient } = await soft.client.undeleteContainer(container.containerName, found!.version!);
    expect((await containerClient.getBlockBlobClient('doc.txt').downloadToBuffer()).toString()).toBe('one');
    expect(await deletedContainers(soft.client, container.containerName)).toEqual([{ name: container.containerName, deleted: false, version: undefined, days: undefined }]);
  });

  it('refuses a restore over a live container of the name (409) and of a version never deleted (404)', async () => {
    const container = await newContainer(soft);
    await container.delete();
    const [found] = await deletedContainers(soft.client, container.containerName);
    expect(await errorOf(soft.client.undeleteContainer(container.containerName, '0000000000000000'))).toEqual({ statusCode: 404, code: 'ContainerNotFound' });
    await container.create();
    expect(await errorOf(soft.client.undeleteContainer(container.containerName, found!.version!))).toEqual({ statusCode: 409, code: 'ContainerAlreadyExists' });
  });

  it('pages through live and deleted containers of one name together', async () => {
    const prefix = uniqueName('page');
    for (const suffix of ['a', 'b', 'c']) {
      const container = soft.client.getContainerClient(`${prefix}-${suffix}`);
      await container.create();
      if (suffix !== 'c') await container.delete();
      if (suffix === 'b') await container.create();
    }
    const pages = [];
    for await (const page of soft.client.listContainers({ includeDeleted: true, prefix }).byPage({ maxPageSize: 2 })) {
      pages.push((page.containerItems ?? []).map((c) => `${c.name.slice(prefix.length + 1)}${c.deleted ? ' deleted' : ''}`));
    }
    expect(pages).toEqual([['a deleted'], ['b', 'b deleted'], ['c']]);
  });

  it('removes a deleted container for good when its retention ends', async () => {
    const container = await newContainer(soft);
    await container.delete();
    soft.clock.advance(3 * DAY);
    expect(await deletedContainers(soft.client, container.containerName)).toEqual([]);
  });

  it('without the option a deleted container cannot be restored', async () => {
    const container = await newContainer(plain);
    await container.delete();
    expect(await deletedContainers(plain.client, container.containerName)).toEqual([]);
    expect(await errorOf(plain.client.undeleteContainer(container.containerName, '0000000000000000'))).toEqual({ statusCode: 404, code: 'ContainerNotFound' });
  });
});
