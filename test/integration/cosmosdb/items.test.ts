import { CosmosClient } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { freshContainer, keyOf, useCosmos } from './support.js';

const cosmos = useCosmos();

describe('items', () => {
  it('creates an item with system properties', async () => {
    const container = await freshContainer(cosmos);
    const { resource, statusCode, etag } = await container.items.create({ id: 'a', pk: 'p', n: 1 });
    expect(statusCode).toBe(201);
    expect(resource).toMatchObject({ id: 'a', pk: 'p', n: 1, _attachments: 'attachments/' });
    expect(resource!._etag).toMatch(/^".+"$/);
    expect(etag).toBe(resource!._etag);
    expect(resource!._self).toBe(`${(await container.read()).resource!._self}docs/${resource!._rid}/`);
    expect(resource!._ts).toBe(Math.floor(cosmos.clock.now() / 1000));
  });

  it('reads an item by id and partition key', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p', n: 1 });
    const { resource, statusCode } = await container.item('a', 'p').read();
    expect(statusCode).toBe(200);
    expect(resource.n).toBe(1);
  });

  it('reads nothing (404) under another partition key', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p' });
    const { statusCode, resource } = await container.item('a', 'other').read();
    expect(statusCode).toBe(404);
    expect(resource).toBeUndefined();
  });

  it('refuses a second item with the same id in a partition with 409', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p' });
    await expect(container.items.create({ id: 'a', pk: 'p' })).rejects.toMatchObject({ code: 409 });
  });

  it('allows the same id in two logical partitions', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p1', n: 1 });
    await container.items.create({ id: 'a', pk: 'p2', n: 2 });
    expect((await container.item('a', 'p2').read()).resource.n).toBe(2);
  });

  it('upserts: creates (201) then replaces (200)', async () => {
    const container = await freshContainer(cosmos);
    const created = await container.items.upsert({ id: 'a', pk: 'p', n: 1 });
    const replaced = await container.items.upsert({ id: 'a', pk: 'p', n: 2 });
    expect([created.statusCode, replaced.statusCode]).toEqual([201, 200]);
    expect(replaced.resource!._rid).toBe(created.resource!._rid);
    expect(replaced.resource!._etag).not.toBe(created.resource!._etag);
    expect((await container.item('a', 'p').read()).resource.n).toBe(2);
  });

  it('replaces an item and changes its etag', async () => {
    const container = await freshContainer(cosmos);
    const { resource: created } = await container.items.create({ id: 'a', pk: 'p', n: 1 });
    const { resource } = await container.item('a', 'p').replace({ id: 'a', pk: 'p', n: 5 });
    expect(resource!.n).toBe(5);
    expect(resource!._etag).not.toBe(created!._etag);
  });

  it('answers 404 when replacing an item that does not exist', async () => {
    const container = await freshContainer(cosmos);
    await expect(container.item('nope', 'p').replace({ id: 'nope', pk: 'p' })).rejects.toMatchObject({ code: 404 });
  });

  it('replaces with a matching If-Match', async () => {
    const container = await freshContainer(cosmos);
    const { resource } = await container.items.create({ id: 'a', pk: 'p', n: 1 });
    const replaced = await container.item('a', 'p').replace({ id: 'a', pk: 'p', n: 2 }, { accessCondition: { type: 'IfMatch', condition: resource!._etag } });
    expect(replaced.statusCode).toBe(200);
  });

  it('refuses a replace with a stale If-Match with 412', async () => {
    const container = await freshContainer(cosmos);
    const { resource } = await container.items.create({ id: 'a', pk: 'p', n: 1 });
    await container.item('a', 'p').replace({ id: 'a', pk: 'p', n: 2 });
    await expect(
      container.item('a', 'p').replace({ id: 'a', pk: 'p', n: 3 }, { accessCondition: { type: 'IfMatch', condition: resource!._etag } }),
    ).rejects.toMatchObject({ code: 412 });
    expect((await container.item('a', 'p').read()).resource.n).toBe(2);
  });

  it('refuses a delete with a stale If-Match with 412', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p' });
    await expect(container.item('a', 'p').delete({ accessCondition: { type: 'IfMatch', condition: '"stale"' } })).rejects.toMatchObject({ code: 412 });
  });

  it('answers 304 to a read whose If-None-Match is the current etag', async () => {
    const container = await freshContainer(cosmos);
    const { resource } = await container.items.create({ id: 'a', pk: 'p' });
    const { statusCode } = await container.item('a', 'p').read({ accessCondition: { type: 'IfNoneMatch', condition: resource!._etag } });
    expect(statusCode).toBe(304);
  });

  it('deletes an item', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p' });
    const { statusCode } = await container.item('a', 'p').delete();
    expect(statusCode).toBe(204);
    expect((await container.item('a', 'p').read()).statusCode).toBe(404);
  });

  it('answers 404 when deleting an item that does not exist', async () => {
    const container = await freshContainer(cosmos);
    await expect(container.item('nope', 'p').delete()).rejects.toMatchObject({ code: 404 });
  });

  it('refuses a body whose partition key differs from the one named with 400', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p' });
    await expect(container.item('a', 'p').replace({ id: 'a', pk: 'other' })).rejects.toMatchObject({
      code: 400,
      message: expect.stringContaining("PartitionKey extracted from document doesn't match"),
    });
  });

  it('stores an item without the partition key property under the "none" key', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', other: 1 });
    const { resources } = await container.items.query('SELECT * FROM c WHERE NOT IS_DEFINED(c.pk)').fetchAll();
    expect(resources.map((r) => r.id)).toEqual(['a']);
  });

  it('addresses items by a hierarchical partition key', async () => {
    const container = await freshContainer(cosmos, { partitionKey: { paths: ['/tenant', '/user'], kind: 'MultiHash', version: 2 } });
    await container.items.create({ id: 'a', tenant: 't1', user: 'u1', n: 1 });
    await container.items.create({ id: 'a', tenant: 't1', user: 'u2', n: 2 });
    expect((await container.item('a', ['t1', 'u2']).read()).resource.n).toBe(2);
    const { resources } = await container.items.query('SELECT VALUE c.n FROM c', { partitionKey: ['t1', 'u1'] }).fetchAll();
    expect(resources).toEqual([1]);
  });

  it('refuses an item over 2 MB with 413', async () => {
    const container = await freshContainer(cosmos);
    await expect(container.items.create({ id: 'big', pk: 'p', blob: 'x'.repeat(2 * 1024 * 1024) })).rejects.toMatchObject({ code: 413 });
    expect((await container.item('big', 'p').read()).statusCode).toBe(404);
  });

  it('accepts an item just under 2 MB', async () => {
    const container = await freshContainer(cosmos);
    await expect(container.items.create({ id: 'big', pk: 'p', blob: 'x'.repeat(2 * 1024 * 1024 - 100) })).resolves.toMatchObject({ statusCode: 201 });
  });

  it('accepts an item id of 1,023 bytes and refuses one of 1,024 with 400', async () => {
    const container = await freshContainer(cosmos);
    // Azure counts an item id in UTF-8 bytes (database and container ids in characters, up to 255).
    await expect(container.items.create({ id: `${'é'.repeat(511)}x`, pk: 'p' })).resolves.toMatchObject({ statusCode: 201 });
    await expect(container.items.create({ id: 'é'.repeat(512), pk: 'p' })).rejects.toMatchObject({ code: 400 });
  });

  it('refuses an item without an id with 400', async () => {
    const container = await freshContainer(cosmos);
    await expect(container.items.create({ pk: 'p' }, { disableAutomaticIdGeneration: true })).rejects.toThrow();
  });

  it('reads all items page by page', async () => {
    const container = await freshContainer(cosmos);
    for (let i = 0; i < 5; i++) await container.items.create({ id: `i${i}`, pk: 'p' });
    const iterator = container.items.readAll({ maxItemCount: 2 });
    const sizes: number[] = [];
    while (iterator.hasMoreResults()) {
      const { resources } = await iterator.fetchNext();
      if (resources.length > 0) sizes.push(resources.length);
    }
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('keeps ids with spaces and unicode addressable', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'hello wörld+1', pk: 'p' });
    expect((await container.item('hello wörld+1', 'p').read()).statusCode).toBe(200);
  });

  it('works with a { endpoint, key } client', async () => {
    const container = await freshContainer(cosmos);
    const client = new CosmosClient({ endpoint: cosmos.endpoint, key: keyOf(cosmos.connectionString) });
    await client.database(container.database.id).container(container.id).items.create({ id: 'a', pk: 'p' });
    expect((await container.item('a', 'p').read()).statusCode).toBe(200);
    client.dispose();
  });
});

describe('hierarchical partition key prefixes', () => {
  it('queries every partition under a prefix of the key', async () => {
    const container = await freshContainer(cosmos, { partitionKey: { paths: ['/tenant', '/user'], kind: 'MultiHash', version: 2 } });
    await container.items.create({ id: 'a', tenant: 't1', user: 'u1' });
    await container.items.create({ id: 'b', tenant: 't1', user: 'u2' });
    await container.items.create({ id: 'c', tenant: 't2', user: 'u1' });
    const { resources } = await container.items.query('SELECT VALUE c.id FROM c', { partitionKey: ['t1'] }).fetchAll();
    expect(resources).toEqual(['a', 'b']);
  });

  it('refuses a point read or delete by a prefix of the key with 400, as a key of the wrong shape', async () => {
    const container = await freshContainer(cosmos, { partitionKey: { paths: ['/tenant', '/user'], kind: 'MultiHash', version: 2 } });
    await container.items.create({ id: 'a', tenant: 't1', user: 'u1' });
    await expect(container.item('a', ['t1']).read()).rejects.toMatchObject({ code: 400 });
    await expect(container.item('a', ['t1']).delete()).rejects.toMatchObject({ code: 400 });
    expect((await container.item('a', ['t1', 'u1']).read()).statusCode).toBe(200);
  });
});

describe('concurrent writers', () => {
  it('lets exactly one of 20 racing If-Match replaces win', async () => {
    const container = await freshContainer(cosmos);
    const { resource } = await container.items.create({ id: 'a', pk: 'p', winner: null });
    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => container.item('a', 'p').replace({ id: 'a', pk: 'p', winner: i }, { accessCondition: { type: 'IfMatch', condition: resource!._etag } })),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(attempts.filter((a) => a.status === 'rejected').every((a) => (a as PromiseRejectedResult).reason.code === 412)).toBe(true);
  });

  it('creates exactly one of 20 racing creates of the same id', async () => {
    const container = await freshContainer(cosmos);
    const attempts = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => container.items.create({ id: 'same', pk: 'p', i })));
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
  });
});
