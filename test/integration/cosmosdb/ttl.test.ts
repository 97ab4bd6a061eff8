import { describe, expect, it } from 'vitest';
import { freshContainer, useCosmos } from './support.js';

const cosmos = useCosmos();

describe('time to live on the emulators\u2019 clock', () => {
  it('expires items after the container defaultTtl', async () => {
    const container = await freshContainer(cosmos, { defaultTtl: 60 });
    await container.items.create({ id: 'a', pk: 'p' });
    cosmos.clock.advance(59_000);
    expect((await container.item('a', 'p').read()).statusCode).toBe(200);
    cosmos.clock.advance(1_000);
    expect((await container.item('a', 'p').read()).statusCode).toBe(404);
  });

  it('lets an item ttl override the default', async () => {
    const container = await freshContainer(cosmos, { defaultTtl: 60 });
    await container.items.create({ id: 'short', pk: 'p', ttl: 5 });
    await container.items.create({ id: 'forever', pk: 'p', ttl: -1 });
    cosmos.clock.advance(120_000);
    const { resources } = await container.items.query('SELECT VALUE c.id FROM c').fetchAll();
    expect(resources).toEqual(['forever']);
  });

  it('expires only items with a ttl when defaultTtl is -1', async () => {
    const container = await freshContainer(cosmos, { defaultTtl: -1 });
    await container.items.create({ id: 'keeps', pk: 'p' });
    await container.items.create({ id: 'goes', pk: 'p', ttl: 1 });
    cosmos.clock.advance(1_000);
    const { resources } = await container.items.query('SELECT VALUE c.id FROM c').fetchAll();
    expect(resources).toEqual(['keeps']);
  });

  it('ignores item ttl when the container has no defaultTtl', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p', ttl: 1 });
    cosmos.clock.advance(10_000);
    expect((await container.item('a', 'p').read()).statusCode).toBe(200);
  });

  it('restarts the countdown when an item is written again', async () => {
    const container = await freshContainer(cosmos, { defaultTtl: 10 });
    await container.items.create({ id: 'a', pk: 'p' });
    cosmos.clock.advance(8_000);
    await container.items.upsert({ id: 'a', pk: 'p', n: 2 });
    cosmos.clock.advance(8_000);
    expect((await container.item('a', 'p').read()).statusCode).toBe(200);
  });

  it('lets an expired id be created again', async () => {
    const container = await freshContainer(cosmos, { defaultTtl: 1 });
    await container.items.create({ id: 'a', pk: 'p' });
    cosmos.clock.advance(1_000);
    await expect(container.items.create({ id: 'a', pk: 'p' })).resolves.toMatchObject({ statusCode: 201 });
  });

  it('refuses an item ttl of 0 with 400', async () => {
    const container = await freshContainer(cosmos, { defaultTtl: 60 });
    await expect(container.items.create({ id: 'a', pk: 'p', ttl: 0 })).rejects.toMatchObject({ code: 400 });
  });

  it('refuses a defaultTtl of 0 with 400', async () => {
    await expect(freshContainer(cosmos, { defaultTtl: 0 })).rejects.toMatchObject({ code: 400 });
  });
});
