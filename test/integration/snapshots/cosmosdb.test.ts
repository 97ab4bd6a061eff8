import { ChangeFeedStartFrom, CosmosClient, StatusCodes, type ChangeFeedIteratorOptions, type Container } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { restore, snapshot, type Environment } from '../../../src/index.js';
import { CosmosDbService } from '../../../src/services/cosmosdb/index.js';
import { useControlRuntime } from '../control/support.js';
import { itSharesSnapshotBehaviour } from './support.js';

const lz = useControlRuntime({}, { cosmosdb: CosmosDbService });

function client(env: Environment): CosmosClient {
  return new CosmosClient({ endpoint: env.endpoints.cosmosdb!, key: env.account.key, connectionPolicy: { enableEndpointDiscovery: false } });
}

async function changes(container: Container, options: ChangeFeedIteratorOptions): Promise<{ seen: string[]; continuation: string }> {
  const iterator = container.items.getChangeFeedIterator<{ id: string; _lsn: number }>(options);
  const seen: string[] = [];
  for (;;) {
    const response = await iterator.readNext();
    if (response.statusCode === StatusCodes.NotModified) return { seen, continuation: response.continuationToken };
    seen.push(...response.result.map((r) => `${r.id}@${r._lsn}`));
  }
}

async function baseline(env: Environment): Promise<void> {
  const { database } = await client(env).databases.createIfNotExists({ id: 'shop' });
  const { container } = await database.containers.createIfNotExists({ id: 'orders', partitionKey: '/pk' });
  for (const id of ['a', 'b', 'c']) await container.items.create({ id, pk: 'p', qty: 1 });
  await container.item('b', 'p').replace({ id: 'b', pk: 'p', qty: 2 });
}

/** Databases, containers and items with their system properties, and the change feed from the beginning. */
async function contents(env: Environment) {
  const cosmos = client(env);
  const system = (r: { id: string; _rid?: string; _etag?: string; _ts?: number }) => `${r.id} ${r._rid} ${r._etag} ${r._ts}`;
  const databases = (await cosmos.databases.readAll().fetchAll()).resources.map(system);
  const shop = cosmos.database('shop');
  const containers = (await shop.containers.readAll().fetchAll()).resources.map(system);
  const orders = shop.container('orders');
  const items = (await orders.items.query<{ id: string; qty: number }>('SELECT * FROM c').fetchAll()).resources.map((i) => `${system(i)} qty=${i.qty}`);
  return { databases, containers, items, feed: (await changes(orders, { changeFeedStartFrom: ChangeFeedStartFrom.Beginning() })).seen };
}

async function changeEverything(env: Environment, recreateContainer: boolean): Promise<void> {
  const shop = client(env).database('shop');
  if (recreateContainer) {
    await shop.container('orders').delete();
    await shop.containers.create({ id: 'orders', partitionKey: '/pk' });
  }
  const orders = shop.container('orders');
  await orders.item('a', 'p').delete().catch(() => {});
  await orders.items.upsert({ id: 'c', pk: 'p', qty: 9 });
  await orders.items.create({ id: 'd', pk: 'p', qty: 1 });
  await shop.containers.create({ id: 'extra', partitionKey: '/pk' });
  await client(env).databases.create({ id: 'other' });
}

describe('Cosmos DB snapshots', () => {
  it('puts back databases, containers and items with their _rid, _etag and _ts, and the change feed, as often as asked', async () => {
    const env = await lz.worker('c1');
    await baseline(env);
    const saved = await contents(env);
    expect(await snapshot('baseline', env)).toMatchObject({ services: ['cosmosdb'] });
    for (const recreateContainer of [false, true]) {
      await changeEverything(env, recreateContainer);
      await restore('baseline', env);
      expect(await contents(env)).toEqual(saved);
    }
  });

  it('keeps a container\'s partition key ranges, so its feed ranges are the same after a restore', async () => {
    const env = await lz.worker('c5');
    const { database } = await client(env).databases.createIfNotExists({ id: 'wide' });
    const { container } = await database.containers.createIfNotExists({ id: 'events', partitionKey: '/pk', throughput: 20_000 });
    const before = (await container.getFeedRanges()).length;
    expect(before).toBeGreaterThan(1);
    await snapshot('wide', env);
    await container.delete();
    await restore('wide', env);
    expect((await client(env).database('wide').container('events').getFeedRanges()).length).toBe(before);
  });

  it('keeps an item restored under its saved _etag, so a conditional replace with it succeeds', async () => {
    const env = await lz.worker('c2');
    await baseline(env);
    const orders = client(env).database('shop').container('orders');
    const { etag } = await orders.item('a', 'p').read();
    await snapshot('etags', env);
    await orders.items.upsert({ id: 'a', pk: 'p', qty: 5 });
    await restore('etags', env);
    const { statusCode } = await orders.item('a', 'p').replace({ id: 'a', pk: 'p', qty: 6 }, { accessCondition: { type: 'IfMatch', condition: etag } });
    expect(statusCode).toBe(200);
  });

  it('never skips a write after the restore for a change feed continuation taken before it', async () => {
    const env = await lz.worker('c3');
    await baseline(env);
    const orders = client(env).database('shop').container('orders');
    const { continuation } = await changes(orders, { changeFeedStartFrom: ChangeFeedStartFrom.Beginning() });
    await snapshot('feed', env);
    await orders.items.create({ id: 'gone', pk: 'p' });
    await orders.items.create({ id: 'gone-too', pk: 'p' });
    await restore('feed', env);
    await orders.items.create({ id: 'e', pk: 'p' });
    expect((await changes(orders, { changeFeedStartFrom: ChangeFeedStartFrom.Continuation(continuation) })).seen.map((s) => s.split('@')[0])).toEqual(['e']);
  });

  it('takes an account without databases back to none', async () => {
    const env = await lz.worker('c4');
    await snapshot('empty', env);
    await baseline(env);
    await restore('empty', env);
    expect((await client(env).databases.readAll().fetchAll()).resources).toEqual([]);
  });

  itSharesSnapshotBehaviour(lz, { service: 'cosmosdb', baseline, contents }, ['c6', 'c7', 'c5']);
});
