import type { Container } from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshContainer, useCosmos } from './support.js';

const cosmos = useCosmos();
let numbers: Container;

beforeAll(async () => {
  numbers = await freshContainer(cosmos);
  for (let i = 0; i < 25; i++) await numbers.items.create({ id: `n${i}`, pk: `p${i % 3}`, n: i });
});

describe('paging', () => {
  it('answers at most maxItemCount results per page', async () => {
    const iterator = numbers.items.query('SELECT VALUE c.n FROM c ORDER BY c.n', { maxItemCount: 10 });
    const first = await iterator.fetchNext();
    expect(first.resources).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(first.hasMoreResults).toBe(true);
    expect(first.continuationToken).toEqual(expect.any(String));
  });

  it('walks every page with fetchNext until there are no more', async () => {
    const iterator = numbers.items.query('SELECT VALUE c.n FROM c ORDER BY c.n DESC', { maxItemCount: 10 });
    const pages: number[][] = [];
    while (iterator.hasMoreResults()) {
      const { resources } = await iterator.fetchNext();
      if (resources.length > 0) pages.push(resources);
    }
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual([...Array(25).keys()].reverse());
  });

  it('resumes a query from a continuation token in a new iterator', async () => {
    const first = await numbers.items.query('SELECT VALUE c.n FROM c ORDER BY c.n', { maxItemCount: 7 }).fetchNext();
    const second = await numbers.items.query('SELECT VALUE c.n FROM c ORDER BY c.n', { maxItemCount: 7, continuationToken: first.continuationToken }).fetchNext();
    expect(second.resources).toEqual([7, 8, 9, 10, 11, 12, 13]);
  });

  it('fetchAll gathers every page', async () => {
    const { resources } = await numbers.items.query('SELECT VALUE c.n FROM c WHERE c.n >= 5', { maxItemCount: 4 }).fetchAll();
    expect(resources).toHaveLength(20);
  });

  it('pages GROUP BY results', async () => {
    const iterator = numbers.items.query('SELECT c.pk, COUNT(1) AS n FROM c GROUP BY c.pk', { maxItemCount: 2 });
    const all: unknown[] = [];
    while (iterator.hasMoreResults()) all.push(...(await iterator.fetchNext()).resources);
    expect(all).toEqual([{ pk: 'p0', n: 9 }, { pk: 'p1', n: 8 }, { pk: 'p2', n: 8 }]);
  });

  it('iterates pages with for await', async () => {
    let count = 0;
    for await (const page of numbers.items.query('SELECT * FROM c', { maxItemCount: 10 }).getAsyncIterator()) count += page.resources.length;
    expect(count).toBe(25);
  });

  it('pages one logical partition', async () => {
    const { resources } = await numbers.items.query('SELECT VALUE c.n FROM c', { partitionKey: 'p1', maxItemCount: 3 }).fetchAll();
    expect(resources).toEqual([1, 4, 7, 10, 13, 16, 19, 22]);
  });
});

describe('continuation tokens', () => {
  it('refuses a token passed to another query with 400', async () => {
    const first = await numbers.items.query('SELECT VALUE c.n FROM c ORDER BY c.n', { maxItemCount: 5 }).fetchNext();
    await expect(numbers.items.query('SELECT VALUE c.id FROM c', { maxItemCount: 5, continuationToken: first.continuationToken }).fetchNext()).rejects.toMatchObject({ code: 400 });
  });

  it('resumes after a reset dropped the kept results, by running the query again', async () => {
    const first = await numbers.items.query('SELECT VALUE c.n FROM c ORDER BY c.n', { maxItemCount: 5 }).fetchNext();
    // A full reset drops the kept result sets (and the items, so they are written again); the token resumes at its position.
    await cosmos.service.reset();
    for (let i = 0; i < 25; i++) await numbers.items.create({ id: `n${i}`, pk: `p${i % 3}`, n: i });
    const second = await numbers.items.query('SELECT VALUE c.n FROM c ORDER BY c.n', { maxItemCount: 5, continuationToken: first.continuationToken }).fetchNext();
    expect(second.resources).toEqual([5, 6, 7, 8, 9]);
  });
});
