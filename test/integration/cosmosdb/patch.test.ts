import type { PatchOperation } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { freshContainer, useCosmos } from './support.js';

const cosmos = useCosmos();

async function patched(operations: PatchOperation[] | Array<Record<string, unknown>>) {
  const container = await freshContainer(cosmos);
  await container.items.create({ id: 'a', pk: 'p', n: 1, tags: ['x', 'y'], nested: { v: 1 } });
  const { resource } = await container.item('a', 'p').patch(operations as PatchOperation[]);
  return { container, resource };
}

describe('patch', () => {
  it('adds a property', async () => {
    expect((await patched([{ op: 'add', path: '/new', value: 'v' }])).resource.new).toBe('v');
  });

  it('adds into an array at an index, and appends with -', async () => {
    expect((await patched([{ op: 'add', path: '/tags/1', value: 'm' }, { op: 'add', path: '/tags/-', value: 'z' }])).resource.tags).toEqual(['x', 'm', 'y', 'z']);
  });

  it('sets a property, creating it when missing', async () => {
    const { resource } = await patched([{ op: 'set', path: '/n', value: 5 }, { op: 'set', path: '/nested/w', value: 2 }]);
    expect(resource.n).toBe(5);
    expect(resource.nested).toEqual({ v: 1, w: 2 });
  });

  it('replaces an existing property', async () => {
    expect((await patched([{ op: 'replace', path: '/n', value: 9 }])).resource.n).toBe(9);
  });

  it('refuses to replace a missing property with 400', async () => {
    await expect(patched([{ op: 'replace', path: '/missing', value: 9 }])).rejects.toMatchObject({ code: 400 });
  });

  it('removes a property and an array element', async () => {
    const { resource } = await patched([{ op: 'remove', path: '/n' }, { op: 'remove', path: '/tags/0' }]);
    expect(resource.n).toBeUndefined();
    expect(resource.tags).toEqual(['y']);
  });

  it('refuses to remove a missing property with 400 and leaves the item as it was', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p', n: 1 });
    await expect(container.item('a', 'p').patch([{ op: 'set', path: '/n', value: 2 }, { op: 'remove', path: '/missing' }])).rejects.toMatchObject({ code: 400 });
    expect((await container.item('a', 'p').read()).resource.n).toBe(1);
  });

  it('increments a number, and creates it when missing', async () => {
    const { resource } = await patched([{ op: 'incr', path: '/n', value: 4 }, { op: 'incr', path: '/count', value: -1 }]);
    expect([resource.n, resource.count]).toEqual([5, -1]);
  });

  it('refuses to increment a string with 400', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p', s: 'text' });
    await expect(container.item('a', 'p').patch([{ op: 'incr', path: '/s', value: 1 }])).rejects.toMatchObject({ code: 400 });
  });

  it('refuses an increment past the largest double with 400 and leaves the number as it was', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p', n: 1e308 });
    await expect(container.item('a', 'p').patch([{ op: 'incr', path: '/n', value: 1e308 }])).rejects.toMatchObject({ code: 400 });
    expect((await container.item('a', 'p').read()).resource.n).toBe(1e308);
  });

  it('refuses a patch that nests the item deeper than 128 levels with 400', async () => {
    const container = await freshContainer(cosmos);
    const deep = (levels: number): unknown => (levels === 0 ? 1 : [deep(levels - 1)]);
    await container.items.create({ id: 'a', pk: 'p', d: deep(100) });
    // Each value is shallow enough for a body; set inside the one already there, it would not be.
    await expect(container.item('a', 'p').patch([{ op: 'set', path: `/d${'/0'.repeat(99)}`, value: deep(100) }])).rejects.toMatchObject({ code: 400 });
  });

  it('moves a property', async () => {
    const { resource } = await patched([{ op: 'move', from: '/nested/v', path: '/moved' }]);
    expect(resource.moved).toBe(1);
    expect(resource.nested).toEqual({});
  });

  it('refuses to patch the partition key with 400', async () => {
    await expect(patched([{ op: 'set', path: '/pk', value: 'q' }])).rejects.toMatchObject({ code: 400 });
  });

  it('refuses to patch a partition key whose path is quoted with 400', async () => {
    const container = await freshContainer(cosmos, { partitionKey: { paths: ['/"the key"'] } });
    await container.items.create({ id: 'a', 'the key': 'k' });
    await expect(container.item('a', 'k').patch([{ op: 'set', path: '/the key', value: 'other' }])).rejects.toMatchObject({ code: 400 });
    expect((await container.item('a', 'k').read()).resource['the key']).toBe('k');
  });

  it('refuses more than 10 operations with 400', async () => {
    const ops = Array.from({ length: 11 }, (_, i) => ({ op: 'set' as const, path: `/f${i}`, value: i }));
    await expect(patched(ops)).rejects.toMatchObject({ code: 400 });
  });

  it('applies a conditional patch when the filter predicate holds', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p', status: 'open' });
    const { resource } = await container.item('a', 'p').patch({ condition: "FROM c WHERE c.status = 'open'", operations: [{ op: 'set', path: '/status', value: 'closed' }] });
    expect(resource.status).toBe('closed');
  });

  it('refuses a conditional patch whose filter predicate fails with 412', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p', status: 'closed' });
    await expect(container.item('a', 'p').patch({ condition: "FROM c WHERE c.status = 'open'", operations: [{ op: 'set', path: '/status', value: 'x' }] })).rejects.toMatchObject({ code: 412 });
  });

  it('answers 404 when patching an item that does not exist', async () => {
    const container = await freshContainer(cosmos);
    await expect(container.item('nope', 'p').patch([{ op: 'set', path: '/n', value: 1 }])).rejects.toMatchObject({ code: 404 });
  });

  it('changes the etag and keeps the _rid', async () => {
    const container = await freshContainer(cosmos);
    const { resource: created } = await container.items.create({ id: 'a', pk: 'p' });
    const { resource } = await container.item('a', 'p').patch([{ op: 'set', path: '/n', value: 1 }]);
    expect(resource._rid).toBe(created!._rid);
    expect(resource._etag).not.toBe(created!._etag);
  });
});
