import { CosmosClient } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlClient } from '../../../src/harness/control-client.js';
import { workerEnvironment } from '../../../src/harness/worker.js';
import { failureReport, injectFault, requests, resetLocalZure, withLocalZure, type Environment, type LocalZureHarness } from '../../../src/index.js';

const SEED = {
  cosmosdb: {
    databases: {
      shop: {
        orders: { partitionKey: '/customerId', items: [{ id: 'o1', customerId: 'c1', total: 10 }] },
      },
    },
  },
};

let lz: LocalZureHarness;
let env: Environment;
const clients: CosmosClient[] = [];

function client(environment: Environment): CosmosClient {
  const c = new CosmosClient(environment.connectionStrings.cosmosdb!);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  lz = withLocalZure(['cosmosdb'], { seed: SEED, logger: { info() {}, warn() {}, error() {} } });
  env = await lz.setup();
});

afterAll(async () => {
  for (const c of clients) c.dispose();
  await lz?.teardown();
});

describe('cosmosdb in the harness', () => {
  it('hands out a connection string new CosmosClient accepts, in the environment too', async () => {
    expect(env.connectionStrings.cosmosdb).toMatch(/^AccountEndpoint=http:\/\/127\.0\.0\.1:\d+\/;AccountKey=.+;$/);
    expect(env.env.LOCALZURE_COSMOSDB_CONNECTION_STRING).toBe(env.connectionStrings.cosmosdb);
    const { resource } = await client(env).database('shop').container('orders').item('o1', 'c1').read();
    expect(resource.total).toBe(10);
  });

  it('reset empties items, keeps databases and containers, and re-applies the seed', async () => {
    const cosmos = client(env);
    const { container } = await cosmos.database('shop').containers.createIfNotExists({ id: 'carts', partitionKey: '/id' });
    await container.items.create({ id: 'cart1' });
    await cosmos.database('shop').container('orders').items.create({ id: 'o2', customerId: 'c2' });
    await resetLocalZure('cosmosdb', env);
    expect((await container.read()).statusCode).toBe(200);
    expect((await container.items.readAll().fetchAll()).resources).toEqual([]);
    const { resources } = await cosmos.database('shop').container('orders').items.query('SELECT VALUE c.id FROM c').fetchAll();
    expect(resources).toEqual(['o1']);
  });

  it('gives each worker its own databases on the same endpoint', async () => {
    const worker = workerEnvironment(env, '7');
    await new ControlClient(worker.controlUrl).registerNamespace(worker.account);
    expect(worker.connectionStrings.cosmosdb).not.toBe(env.connectionStrings.cosmosdb);
    const mine = client(worker);
    await mine.databases.create({ id: 'worker7-only' });
    await expect(client(env).database('worker7-only').read()).rejects.toMatchObject({ code: 404 });
    await mine.database('shop').container('orders').items.create({ id: 'w7', customerId: 'c1' });
    await resetLocalZure(undefined, worker);
    expect((await client(env).database('shop').container('orders').item('o1', 'c1').read()).statusCode).toBe(200);
    expect((await mine.database('shop').container('orders').item('w7', 'c1').read()).statusCode).toBe(404);
  });

  it('journals operations by name and throttles with 429 through injectFault, absorbed by SDK retries', async () => {
    await resetLocalZure('cosmosdb', env);
    await injectFault({ service: 'cosmosdb', operation: 'ReadItem', status: 429 }, env);
    const { statusCode } = await client(env).database('shop').container('orders').item('o1', 'c1').read();
    expect(statusCode).toBe(200);
    const reads = await requests({ service: 'cosmosdb', operation: 'ReadItem' }, env);
    expect(reads.map((r) => r.status)).toEqual([429, 200]);
  });

  it('records queries, patches and batches under their own names', async () => {
    await resetLocalZure('cosmosdb', env);
    const orders = client(env).database('shop').container('orders');
    await orders.items.query('SELECT * FROM c', { partitionKey: 'c1' }).fetchAll();
    await orders.item('o1', 'c1').patch([{ op: 'incr', path: '/total', value: 1 }]);
    await orders.items.batch([{ operationType: 'Read', id: 'o1' }], 'c1');
    const names = (await requests({ service: 'cosmosdb' }, env)).map((r) => r.operation);
    expect(names).toEqual(expect.arrayContaining(['Query', 'Patch', 'Batch']));
  });

  it('names databases, containers and item counts in the failure report', async () => {
    await resetLocalZure('cosmosdb', env);
    const report = await failureReport(env, 'a failing test');
    expect(report).toContain('shop/orders (/customerId): 1 item');
  });
});
