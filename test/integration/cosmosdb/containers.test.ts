import { PartitionKeyDefinitionVersion, PartitionKeyKind } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { freshContainer, uniqueId, useCosmos } from './support.js';

const cosmos = useCosmos();

describe('containers', () => {
  it('creates a container with its partition key and default indexing policy', async () => {
    const id = uniqueId('c');
    const { resource, statusCode } = await cosmos.database.containers.create({ id, partitionKey: '/tenant' });
    expect(statusCode).toBe(201);
    expect(resource!.partitionKey!.paths).toEqual(['/tenant']);
    expect(resource!.indexingPolicy).toMatchObject({ indexingMode: 'consistent', automatic: true });
    expect(resource!._self).toMatch(/^dbs\/.+\/colls\/.+\/$/);
  });

  it('returns the indexing policy it was given', async () => {
    const indexingPolicy = { indexingMode: 'consistent' as const, automatic: true, includedPaths: [{ path: '/name/?' }], excludedPaths: [{ path: '/*' }] };
    const { resource } = await cosmos.database.containers.create({ id: uniqueId('c'), partitionKey: '/pk', indexingPolicy });
    expect(resource!.indexingPolicy).toEqual(indexingPolicy);
  });

  it('creates a container with a hierarchical partition key', async () => {
    const { resource } = await cosmos.database.containers.create({
      id: uniqueId('c'),
      partitionKey: { paths: ['/tenant', '/user'], version: PartitionKeyDefinitionVersion.V2, kind: PartitionKeyKind.MultiHash },
    });
    expect(resource!.partitionKey).toMatchObject({ paths: ['/tenant', '/user'], kind: 'MultiHash' });
  });

  it('refuses a second container with the same id with 409', async () => {
    const id = uniqueId('c');
    await cosmos.database.containers.create({ id, partitionKey: '/pk' });
    await expect(cosmos.database.containers.create({ id, partitionKey: '/pk' })).rejects.toMatchObject({ code: 409 });
  });

  it('createIfNotExists returns the existing container', async () => {
    const id = uniqueId('c');
    const first = await cosmos.database.containers.createIfNotExists({ id, partitionKey: '/pk' });
    const second = await cosmos.database.containers.createIfNotExists({ id, partitionKey: '/pk' });
    expect(second.resource!._rid).toBe(first.resource!._rid);
  });

  it('answers 404 for a container in a database that does not exist', async () => {
    await expect(cosmos.client.database('nope').container('c').read()).rejects.toMatchObject({ code: 404 });
  });

  it('replaces a container definition (default TTL)', async () => {
    const container = await freshContainer(cosmos);
    const { resource: current } = await container.read();
    const { resource } = await container.replace({ ...current!, id: current!.id, partitionKey: current!.partitionKey, defaultTtl: 60 });
    expect(resource!.defaultTtl).toBe(60);
    expect((await container.read()).resource!.defaultTtl).toBe(60);
  });

  it('refuses to change the partition key of a container with 400', async () => {
    const container = await freshContainer(cosmos);
    const { resource: current } = await container.read();
    await expect(container.replace({ id: current!.id, partitionKey: { paths: ['/other'] } })).rejects.toMatchObject({ code: 400 });
  });

  it('deletes a container', async () => {
    const container = await freshContainer(cosmos);
    await container.delete();
    await expect(container.read()).rejects.toMatchObject({ code: 404 });
  });

  it('lists and queries containers', async () => {
    const container = await freshContainer(cosmos);
    const all = await cosmos.database.containers.readAll().fetchAll();
    expect(all.resources.map((c) => c.id)).toContain(container.id);
    const queried = await cosmos.database.containers.query({ query: 'SELECT VALUE c.id FROM c WHERE c.id = @id', parameters: [{ name: '@id', value: container.id }] }).fetchAll();
    expect(queried.resources).toEqual([container.id]);
  });

  it('keeps dedicated throughput and lets it be replaced', async () => {
    const { container } = await cosmos.database.containers.create({ id: uniqueId('c'), partitionKey: '/pk', throughput: 800 });
    const { resource: offer } = await container.readOffer();
    expect(offer!.content!.offerThroughput).toBe(800);
    await cosmos.client.offer(offer!.id).replace({ ...offer!, content: { ...offer!.content!, offerThroughput: 1200 } });
    expect((await container.readOffer()).resource!.content!.offerThroughput).toBe(1200);
  });

  it('refuses an offer replacement whose If-Match is stale with 412, keeping the throughput', async () => {
    const { container } = await cosmos.database.containers.create({ id: uniqueId('c'), partitionKey: '/pk', throughput: 800 });
    const { resource: offer } = await container.readOffer();
    const replacement = { ...offer!, content: { ...offer!.content!, offerThroughput: 1200 } };
    await expect(cosmos.client.offer(offer!.id).replace(replacement, { accessCondition: { type: 'IfMatch', condition: '"stale"' } })).rejects.toMatchObject({ code: 412 });
    expect((await container.readOffer()).resource!.content!.offerThroughput).toBe(800);
  });

  it('refuses an offer replacement above the throughput a new container may ask for with 400', async () => {
    const { container } = await cosmos.database.containers.create({ id: uniqueId('c'), partitionKey: '/pk', throughput: 800 });
    const { resource: offer } = await container.readOffer();
    // 10^12 RU/s is refused at creation; a replacement must not reach it either.
    const replacement = { ...offer!, content: { ...offer!.content!, offerThroughput: 1_000_000_000_000 } };
    await expect(cosmos.client.offer(offer!.id).replace(replacement)).rejects.toMatchObject({ code: 400 });
    expect((await container.readOffer()).resource!.content!.offerThroughput).toBe(800);
  });

  it('keeps autoscale throughput', async () => {
    const { container } = await cosmos.database.containers.create({ id: uniqueId('c'), partitionKey: '/pk', maxThroughput: 4000 });
    const { resource: offer } = await container.readOffer();
    expect(offer!.content!.offerAutopilotSettings).toEqual({ maxThroughput: 4000 });
  });

  it('refuses a container without a partition key definition with 400', async () => {
    await expect(cosmos.database.containers.create({ id: uniqueId('c'), partitionKey: { paths: ['no-slash'] } })).rejects.toMatchObject({ code: 400 });
  });

  it('enforces unique keys within a logical partition with 409', async () => {
    const container = await freshContainer(cosmos, { uniqueKeyPolicy: { uniqueKeys: [{ paths: ['/email'] }] } });
    await container.items.create({ id: '1', pk: 'a', email: 'x@example.com' });
    await expect(container.items.create({ id: '2', pk: 'a', email: 'x@example.com' })).rejects.toMatchObject({ code: 409 });
    await expect(container.items.create({ id: '3', pk: 'b', email: 'x@example.com' })).resolves.toBeDefined();
  });

  it('refuses a partition key kind other than Hash or MultiHash with 400', async () => {
    await expect(cosmos.database.containers.create({ id: uniqueId('c'), partitionKey: { paths: ['/pk'], kind: 'Range' as never } })).rejects.toMatchObject({ code: 400 });
  });

  it('refuses a partition key version other than 1 or 2 with 400', async () => {
    await expect(cosmos.database.containers.create({ id: uniqueId('c'), partitionKey: { paths: ['/pk'], version: 3 as never } })).rejects.toMatchObject({ code: 400 });
  });

  it('refuses an indexing policy that is not an object with 400', async () => {
    await expect(cosmos.database.containers.create({ id: uniqueId('c'), partitionKey: '/pk', indexingPolicy: 'consistent' as never })).rejects.toMatchObject({ code: 400 });
  });

  it('refuses a unique key without paths with 400', async () => {
    await expect(cosmos.database.containers.create({ id: uniqueId('c'), partitionKey: '/pk', uniqueKeyPolicy: { uniqueKeys: [{ paths: [] }] } })).rejects.toMatchObject({ code: 400 });
  });

  it('checks unique keys on replace too', async () => {
    const container = await freshContainer(cosmos, { uniqueKeyPolicy: { uniqueKeys: [{ paths: ['/email'] }] } });
    await container.items.create({ id: '1', pk: 'a', email: 'one' });
    await container.items.create({ id: '2', pk: 'a', email: 'two' });
    await expect(container.item('2', 'a').replace({ id: '2', pk: 'a', email: 'one' })).rejects.toMatchObject({ code: 409 });
    await expect(container.item('1', 'a').replace({ id: '1', pk: 'a', email: 'one', more: true })).resolves.toBeDefined();
  });

  it('reports one partition key range covering every key', async () => {
    const container = await freshContainer(cosmos);
    const ranges = await container.readPartitionKeyRanges().fetchAll();
    expect(ranges.resources).toMatchObject([{ id: '0', minInclusive: '', maxExclusive: 'FF' }]);
  });

  it('refuses stored procedures with a clear 400', async () => {
    const container = await freshContainer(cosmos);
    await expect(container.scripts.storedProcedures.create({ id: 'sp', body: 'function () {}' })).rejects.toMatchObject({
      code: 400,
      message: expect.stringContaining('does not support stored procedures'),
    });
  });
});
