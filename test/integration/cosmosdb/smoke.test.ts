import { describe, expect, it } from 'vitest';
import { freshContainer, useCosmos } from './support.js';

const cosmos = useCosmos();

describe('smoke', () => {
  it('creates and reads an item', async () => {
    const container = await freshContainer(cosmos);
    const { resource } = await container.items.create({ id: 'a', pk: 'p', n: 1 });
    expect(resource?._etag).toBeDefined();
    const read = await container.item('a', 'p').read();
    expect(read.resource.n).toBe(1);
    const { resources } = await container.items.query('SELECT VALUE COUNT(1) FROM c').fetchAll();
    expect(resources).toEqual([1]);
  });
});
