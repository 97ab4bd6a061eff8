import { ChangeFeedMode, ChangeFeedStartFrom, StatusCodes, type ChangeFeedIteratorOptions, type Container } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { freshContainer, useCosmos } from './support.js';

const cosmos = useCosmos();

/** Reads the change feed until it reports nothing new; returns the ids seen and the last continuation. */
async function drain(container: Container, options: ChangeFeedIteratorOptions): Promise<{ ids: string[]; continuation: string }> {
  const iterator = container.items.getChangeFeedIterator<{ id: string }>(options);
  const ids: string[] = [];
  for (;;) {
    const response = await iterator.readNext();
    if (response.statusCode === StatusCodes.NotModified) return { ids, continuation: response.continuationToken };
    ids.push(...response.result.map((r) => r.id));
  }
}

describe('change feed', () => {
  it('reads every item from the beginning of the container', async () => {
    const container = await freshContainer(cosmos);
    for (const id of ['a', 'b', 'c']) await container.items.create({ id, pk: id });
    expect((await drain(container, { changeFeedStartFrom: ChangeFeedStartFrom.Beginning() })).ids).toEqual(['a', 'b', 'c']);
  });

  it('shows an item once, at its latest write', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p', n: 1 });
    await container.items.create({ id: 'b', pk: 'p' });
    await container.items.upsert({ id: 'a', pk: 'p', n: 2 });
    expect((await drain(container, { changeFeedStartFrom: ChangeFeedStartFrom.Beginning() })).ids).toEqual(['b', 'a']);
  });

  it('reads one logical partition', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'x' });
    await container.items.create({ id: 'b', pk: 'y' });
    expect((await drain(container, { changeFeedStartFrom: ChangeFeedStartFrom.Beginning('y') })).ids).toEqual(['b']);
  });

  it('starts from now: only later changes', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'before', pk: 'p' });
    const iterator = container.items.getChangeFeedIterator<{ id: string }>({ changeFeedStartFrom: ChangeFeedStartFrom.Now() });
    expect((await iterator.readNext()).statusCode).toBe(StatusCodes.NotModified);
    await container.items.create({ id: 'after', pk: 'p' });
    const response = await iterator.readNext();
    expect(response.result.map((r) => r.id)).toEqual(['after']);
  });

  it('resumes from a continuation token', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p' });
    const { continuation } = await drain(container, { changeFeedStartFrom: ChangeFeedStartFrom.Beginning() });
    await container.items.create({ id: 'b', pk: 'p' });
    expect((await drain(container, { changeFeedStartFrom: ChangeFeedStartFrom.Continuation(continuation) })).ids).toEqual(['b']);
  });

  it('starts from a point in time on the emulators\u2019 clock', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'old', pk: 'p' });
    cosmos.clock.advance(10_000);
    const since = new Date(cosmos.clock.now());
    await container.items.create({ id: 'new', pk: 'p' });
    expect((await drain(container, { changeFeedStartFrom: ChangeFeedStartFrom.Time(since) })).ids).toEqual(['new']);
  });

  it('pages with maxItemCount', async () => {
    const container = await freshContainer(cosmos);
    for (let i = 0; i < 5; i++) await container.items.create({ id: `i${i}`, pk: 'p' });
    const iterator = container.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning('p'), maxItemCount: 2 });
    expect((await iterator.readNext()).result).toHaveLength(2);
  });

  it('refuses the all-versions-and-deletes mode with a clear 400', async () => {
    const container = await freshContainer(cosmos);
    const iterator = container.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Now(), changeFeedMode: ChangeFeedMode.AllVersionsAndDeletes });
    await expect(iterator.readNext()).rejects.toMatchObject({ code: 400 });
  });
});
