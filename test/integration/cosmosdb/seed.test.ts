import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';
import type { SeedSource } from '../../../src/core/service.js';
import { CosmosDbService } from '../../../src/services/cosmosdb/index.js';

const started: Array<{ service: CosmosDbService; client: CosmosClient }> = [];

async function seeded(seed: SeedSource): Promise<CosmosClient> {
  const service = new CosmosDbService({ seed });
  await service.start();
  await service.seed();
  const client = new CosmosClient(service.getEndpoint(DEFAULT_ACCOUNT)!.connectionString!);
  started.push({ service, client });
  return client;
}

afterEach(async () => {
  for (const { service, client } of started.splice(0)) {
    client.dispose();
    await service.stop();
  }
});

function seedFolder(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lz-cosmos-seed-'));
  for (const [path, value] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), typeof value === 'string' ? value : JSON.stringify(value));
  }
  return dir;
}

describe('seed', () => {
  it('loads <seed>/cosmosdb/<database>/<container>.json with its partition key', async () => {
    const dir = seedFolder({ 'cosmosdb/shop/orders.json': { partitionKey: '/customerId', items: [{ id: 'o1', customerId: 'c1' }] } });
    const client = await seeded({ dir });
    const { resource } = await client.database('shop').container('orders').read();
    expect(resource!.partitionKey!.paths).toEqual(['/customerId']);
    expect((await client.database('shop').container('orders').item('o1', 'c1').read()).statusCode).toBe(200);
  });

  it('takes a bare list of items, partitioned on /id', async () => {
    const dir = seedFolder({ 'cosmosdb/shop/tags.json': [{ id: 't1' }, { id: 't2' }] });
    const client = await seeded({ dir });
    const { resources } = await client.database('shop').container('tags').items.query('SELECT VALUE c.id FROM c').fetchAll();
    expect(resources).toEqual(['t1', 't2']);
  });

  it('loads inline data with hierarchical keys and container settings', async () => {
    const client = await seeded({
      data: { cosmosdb: { databases: { app: { events: { partitionKey: ['/tenant', '/user'], defaultTtl: 3600, items: [{ id: 'e1', tenant: 't', user: 'u' }] } } } } },
    });
    const { resource } = await client.database('app').container('events').read();
    expect(resource!.partitionKey!.paths).toEqual(['/tenant', '/user']);
    expect(resource!.defaultTtl).toBe(3600);
    expect((await client.database('app').container('events').item('e1', ['t', 'u']).read()).statusCode).toBe(200);
  });

  it('refuses an item without an id with LZ_INVALID_SEED', async () => {
    const service = new CosmosDbService({ seed: { data: { cosmosdb: { databases: { d: { c: { items: [{ name: 'no id' }] } } } } } } });
    await service.start();
    await expect(service.seed()).rejects.toMatchObject({ code: 'LZ_INVALID_SEED', name: 'CosmosSeedError' });
    await service.stop();
  });

  it('refuses a file that is not JSON with LZ_INVALID_SEED naming it', async () => {
    const dir = seedFolder({ 'cosmosdb/shop/broken.json': '{ nope' });
    const service = new CosmosDbService({ seed: { dir } });
    await service.start();
    await expect(service.seed()).rejects.toThrow(/broken\.json is not valid JSON/);
    await service.stop();
  });

  it('a reset restores the seed as it was read at start, not as the folder holds it since', async () => {
    const dir = seedFolder({ 'cosmosdb/shop/tags.json': [{ id: 't1', label: 'seeded' }] });
    const client = await seeded({ dir });
    const { service } = started.at(-1)!;
    writeFileSync(join(dir, 'cosmosdb/shop/tags.json'), JSON.stringify([{ id: 't1', label: 'edited on disk' }]));
    await service.reset();
    await service.seed();
    const { resource } = await client.database('shop').container('tags').item('t1', 't1').read();
    expect(resource.label).toBe('seeded');
  });

  it('refuses a database folder that links out of the seed folder', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'lz-outside-'));
    const dir = seedFolder({ 'cosmosdb/.keep': '' });
    symlinkSync(outside, join(dir, 'cosmosdb', 'escape'));
    const service = new CosmosDbService({ seed: { dir } });
    await service.start();
    await expect(service.seed()).rejects.toMatchObject({ code: 'LZ_INVALID_SEED' });
    await service.stop();
  });

  it('shows seeded data to inspect()', async () => {
    const service = new CosmosDbService({ seed: { data: { cosmosdb: { databases: { d: { c: [{ id: 'x' }] } } } } } });
    await service.start();
    await service.seed();
    const snapshot = await service.inspect(DEFAULT_ACCOUNT.name);
    expect(snapshot).toMatchObject({ kind: 'cosmosdb', accounts: { [DEFAULT_ACCOUNT.name]: { databases: [{ id: 'd', containers: [{ id: 'c', itemCount: 1 }] }] } } });
    await service.stop();
  });
});
