import { describe, expect, it } from 'vitest';
import { errorOf, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

describe('containers', () => {
  it('creates a container with metadata and reads it back', async () => {
    const container = blob.client.getContainerClient(uniqueName('meta'));
    await container.create({ metadata: { Owner: 'team-a', purpose: 'tests' } });
    const properties = await container.getProperties();
    expect(properties.metadata).toEqual({ owner: 'team-a', purpose: 'tests' });
    expect(properties.etag).toMatch(/^"0x[0-9A-F]+"$/);
    expect(properties.leaseState).toBe('available');
  });

  it('answers 409 ContainerAlreadyExists on a second create', async () => {
    const container = blob.client.getContainerClient(uniqueName('twice'));
    await container.create();
    expect(await errorOf(container.create())).toEqual({ statusCode: 409, code: 'ContainerAlreadyExists' });
  });

  it('createIfNotExists reports whether it created the container', async () => {
    const container = blob.client.getContainerClient(uniqueName('ifnot'));
    expect((await container.createIfNotExists()).succeeded).toBe(true);
    expect((await container.createIfNotExists()).succeeded).toBe(false);
  });

  it('exists turns false after delete', async () => {
    const container = blob.client.getContainerClient(uniqueName('gone'));
    await container.create();
    expect(await container.exists()).toBe(true);
    await container.delete();
    expect(await container.exists()).toBe(false);
  });

  it('deleteIfExists reports whether there was something to delete', async () => {
    const container = blob.client.getContainerClient(uniqueName('delif'));
    await container.create();
    expect((await container.deleteIfExists()).succeeded).toBe(true);
    expect((await container.deleteIfExists()).succeeded).toBe(false);
  });

  it('answers 404 ContainerNotFound for a container that does not exist', async () => {
    const container = blob.client.getContainerClient(uniqueName('missing'));
    expect(await errorOf(container.getProperties())).toEqual({ statusCode: 404, code: 'ContainerNotFound' });
    expect(await errorOf(container.delete())).toEqual({ statusCode: 404, code: 'ContainerNotFound' });
  });

  it('replaces metadata and changes the ETag', async () => {
    const container = blob.client.getContainerClient(uniqueName('setmeta'));
    const created = await container.create({ metadata: { a: '1' } });
    const updated = await container.setMetadata({ b: '2' });
    expect(updated.etag).not.toBe(created.etag);
    expect((await container.getProperties()).metadata).toEqual({ b: '2' });
  });

  it.each([
    ['upper case', 'UpperCase', 400, 'InvalidResourceName'],
    ['underscore', 'under_score', 400, 'InvalidResourceName'],
    ['double hyphen', 'double--hyphen', 400, 'InvalidResourceName'],
    ['leading hyphen', '-leading', 400, 'InvalidResourceName'],
    ['too short', 'ab', 400, 'OutOfRangeInput'],
    ['too long', 'a'.repeat(64), 400, 'OutOfRangeInput'],
  ])('refuses a container name with %s', async (_case, name, statusCode, code) => {
    expect(await errorOf(blob.client.getContainerClient(name).create())).toEqual({ statusCode, code });
  });

  it('refuses metadata names that are not C# identifiers with InvalidMetadata', async () => {
    const container = blob.client.getContainerClient(uniqueName('badmeta'));
    expect(await errorOf(container.create({ metadata: { '1abc': 'x' } }))).toEqual({ statusCode: 400, code: 'InvalidMetadata' });
    expect(await container.exists()).toBe(false);
  });
});

describe('listing containers', () => {
  it('lists containers by prefix in name order with their metadata', async () => {
    const prefix = uniqueName('lst');
    for (const suffix of ['c', 'a', 'b']) await blob.client.getContainerClient(`${prefix}-${suffix}`).create({ metadata: { letter: suffix } });
    const listed = [];
    for await (const c of blob.client.listContainers({ prefix, includeMetadata: true })) listed.push([c.name, c.metadata?.letter]);
    expect(listed).toEqual([
      [`${prefix}-a`, 'a'],
      [`${prefix}-b`, 'b'],
      [`${prefix}-c`, 'c'],
    ]);
  });

  it('pages with maxPageSize and continuation markers', async () => {
    const prefix = uniqueName('page');
    const names = ['d', 'a', 'e', 'b', 'c'].map((s) => `${prefix}-${s}`);
    for (const name of names) await blob.client.getContainerClient(name).create();
    const pages: string[][] = [];
    for await (const page of blob.client.listContainers({ prefix }).byPage({ maxPageSize: 2 })) {
      pages.push((page.containerItems ?? []).map((c) => c.name));
    }
    expect(pages).toEqual([names.slice().sort().slice(0, 2), names.slice().sort().slice(2, 4), names.slice().sort().slice(4)]);
  });
});
