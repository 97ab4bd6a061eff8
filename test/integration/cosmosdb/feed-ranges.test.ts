import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BulkOperationType, ChangeFeedStartFrom, StatusCodes, type Container, type FeedRange, type PartitionKeyDefinition } from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshContainer, uniqueId, useCosmos } from './support.js';

const cosmos = useCosmos();

type Hash = (key: unknown[], definition: PartitionKeyDefinition) => string;
let sdkHash: Hash;

beforeAll(async () => {
  // The oracle: @azure/cosmos's own hashing of partition keys, which its bulk routing uses; not exported, so loaded by path.
  const entry = createRequire(import.meta.url).resolve('@azure/cosmos');
  const file = join(dirname(entry), '..', 'esm', 'utils', 'hashing', 'hash.js');
  sdkHash = ((await import(pathToFileURL(file).href)) as { hashPartitionKey: Hash }).hashPartitionKey;
});

interface Doc {
  id: string;
  pk: string | number;
  sub?: string;
}

/** Reads a change feed from the beginning until it reports nothing new. */
async function changedIds(container: Container, range?: FeedRange): Promise<string[]> {
  const iterator = container.items.getChangeFeedIterator<Doc>({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning(range) });
  const ids: string[] = [];
  for (;;) {
    const response = await iterator.readNext();
    if (response.statusCode === StatusCodes.NotModified) return ids.sort();
    ids.push(...response.result.map((r) => r.id));
  }
}

async function seeded(definition: Record<string, unknown>, docs: Doc[]): Promise<Container> {
  const container = await freshContainer(cosmos, definition);
  await Promise.all(docs.map((doc) => container.items.create(doc)));
  return container;
}

const docs = (n: number): Doc[] => Array.from({ length: n }, (_, i) => ({ id: `d${i}`, pk: i % 3 === 0 ? i : `k${i}`, sub: `s${i % 4}` }));

/** The ids whose partition key hashes (as the SDK hashes it) into the range. */
async function expectedIds(container: Container, all: Doc[], range: FeedRange, values: (doc: Doc) => unknown[]): Promise<string[]> {
  const { resource } = await container.read();
  const definition = resource!.partitionKey!;
  return all.filter((doc) => {
    const epk = sdkHash(values(doc), definition);
    return epk >= range.minInclusive && epk < range.maxExclusive;
  }).map((doc) => doc.id).sort();
}

describe('feed ranges', () => {
  it('are one range covering every key for a container of 400 RU/s', async () => {
    const container = await freshContainer(cosmos);
    const ranges = await container.getFeedRanges();
    expect(ranges.map((r) => [r.minInclusive, r.maxExclusive])).toEqual([['', 'FF']]);
  });

  it('are one range per 10,000 RU/s, contiguous from the lowest key to the highest', async () => {
    const container = await freshContainer(cosmos, { throughput: 40_000 });
    const ranges = await container.getFeedRanges();
    expect(ranges).toHaveLength(4);
    expect(ranges[0]!.minInclusive).toBe('');
    expect(ranges.at(-1)!.maxExclusive).toBe('FF');
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.minInclusive).toBe(ranges[i - 1]!.maxExclusive);
  });

  it('restrict the change feed to the items whose effective partition key falls in the range', async () => {
    const all = docs(60);
    const container = await seeded({ throughput: 40_000 }, all);
    for (const range of await container.getFeedRanges()) {
      expect(await changedIds(container, range)).toEqual(await expectedIds(container, all, range, (d) => [d.pk]));
    }
  });

  it('split a container\u2019s items without overlap or loss', async () => {
    const all = docs(60);
    const container = await seeded({ throughput: 30_000 }, all);
    const seen = (await Promise.all((await container.getFeedRanges()).map((range) => changedIds(container, range)))).flat();
    expect(seen.sort()).toEqual(all.map((d) => d.id).sort());
    expect(seen.some((id, i) => seen.indexOf(id) !== i)).toBe(false);
  });

  it('hash version 1 partition keys as Cosmos DB does', async () => {
    const all = docs(40);
    const container = await seeded({ throughput: 20_000, partitionKey: { paths: ['/pk'], version: 1 } }, all);
    for (const range of await container.getFeedRanges()) {
      expect(await changedIds(container, range)).toEqual(await expectedIds(container, all, range, (d) => [d.pk]));
    }
  });

  it('hash hierarchical partition keys one level at a time', async () => {
    const all = docs(40);
    const container = await seeded({ throughput: 30_000, partitionKey: { paths: ['/sub', '/pk'], kind: 'MultiHash', version: 2 } }, all);
    for (const range of await container.getFeedRanges()) {
      expect(await changedIds(container, range)).toEqual(await expectedIds(container, all, range, (d) => [d.sub, d.pk]));
    }
  });

  it('leave the whole-container change feed whole over several ranges', async () => {
    const all = docs(30);
    const container = await seeded({ throughput: 40_000 }, all);
    expect(await changedIds(container)).toEqual(all.map((d) => d.id).sort());
  });

  it('of another container are served as ranges of effective partition keys, as in Azure', async () => {
    const all = docs(40);
    const narrow = (await (await freshContainer(cosmos, { throughput: 40_000 })).getFeedRanges())[1]!;
    const container = await seeded({}, all);
    expect(await changedIds(container, narrow)).toEqual(await expectedIds(container, all, narrow, (d) => [d.pk]));
  });

  it('route bulk operations the way the SDK hashes them', async () => {
    const container = await freshContainer(cosmos, { throughput: 40_000 });
    const operations = docs(40).map((doc) => ({ operationType: BulkOperationType.Create, partitionKey: doc.pk, resourceBody: { ...doc } }));
    const results = await container.items.executeBulkOperations(operations);
    expect(results.map((r) => r.response?.statusCode)).toEqual(operations.map(() => 201));
    expect(await changedIds(container)).toHaveLength(40);
  });
});

describe('queries over several partition key ranges', () => {
  it('answer a filtered cross-partition query whole', async () => {
    const all = docs(50);
    const container = await seeded({ throughput: 40_000 }, all);
    const { resources } = await container.items.query<Doc>('SELECT * FROM c WHERE STARTSWITH(c.sub, "s1")').fetchAll();
    expect(resources.map((d) => d.id).sort()).toEqual(all.filter((d) => d.sub === 's1').map((d) => d.id).sort());
  });

  it('keep ORDER BY across ranges', async () => {
    const all = docs(30);
    const container = await seeded({ throughput: 40_000 }, all);
    const { resources } = await container.items.query<Doc>('SELECT * FROM c ORDER BY c.id DESC').fetchAll();
    expect(resources.map((d) => d.id)).toEqual(all.map((d) => d.id).sort().reverse());
  });

  it('answer a plan the SDK would pass through per range for a streaming query', async () => {
    const all = docs(30);
    const container = await seeded({ throughput: 40_000 }, all);
    const { resources } = await container.items.query<Doc>('SELECT c.id FROM c WHERE c.sub = "s2"', { forceQueryPlan: true }).fetchAll();
    expect(resources.map((d) => d.id).sort()).toEqual(all.filter((d) => d.sub === 's2').map((d) => d.id).sort());
  });

  it('refuse a plan that would need merging across ranges with 400 naming the construct', async () => {
    const container = await seeded({ throughput: 40_000 }, docs(5));
    await expect(container.items.query('SELECT * FROM c ORDER BY c.id', { forceQueryPlan: true }).fetchAll()).rejects.toMatchObject({
      code: 400,
      message: expect.stringContaining('ORDER BY'),
    });
  });
});

describe('feed range errors', () => {
  it('refuses a continuation token of another container, as the SDK checks', async () => {
    const other = await seeded({ throughput: 20_000 }, docs(3));
    const iterator = other.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning((await other.getFeedRanges())[0]) });
    const { continuationToken } = await iterator.readNext();
    const container = await freshContainer(cosmos, { id: uniqueId('c'), throughput: 20_000 });
    const reading = container.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Continuation(continuationToken) }).readNext();
    await expect(reading).rejects.toThrow(/not for the current container/);
  });
});
