import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CosmosClient, type Container } from '@azure/cosmos';
import { createHttpServer } from '@vercel/cosmosdb-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE } from './people.js';
import { freshContainer, useCosmos } from './support.js';

// The same queries, through the same SDK, against LocalZure and @vercel/cosmosdb-server (the TypeScript baseline).
const cosmos = useCosmos();
let server: Server;
let baselineClient: CosmosClient;
let ours: Container;
let baseline: Container;

beforeAll(async () => {
  server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Its account document advertises another address, so the SDK must not follow it.
  baselineClient = new CosmosClient({ endpoint, key: 'dummy', connectionPolicy: { enableEndpointDiscovery: false } });
  const { database } = await baselineClient.databases.createIfNotExists({ id: 'differential' });
  baseline = (await database.containers.createIfNotExists({ id: 'people', partitionKey: { paths: ['/pk'] } })).container;
  ours = await freshContainer(cosmos);
  for (const person of PEOPLE) {
    await ours.items.create(person);
    await baseline.items.create(person);
  }
});

afterAll(async () => {
  baselineClient?.dispose();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

/** Results without system properties, which differ by nature between two servers. */
async function results(container: Container, query: string): Promise<unknown[]> {
  const { resources } = await container.items.query(query).fetchAll();
  return resources.map((r: unknown) => (r !== null && typeof r === 'object' && '_rid' in r ? Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('_'))) : r));
}

const AGREED = [
  'SELECT VALUE c.id FROM c',
  'SELECT * FROM c WHERE c.id = "2"',
  'SELECT c.name, c.age FROM c WHERE c.city = "Oslo"',
  'SELECT VALUE c.id FROM c WHERE c.age > 26',
  'SELECT VALUE c.name FROM c ORDER BY c.name DESC',
  'SELECT TOP 2 VALUE c.id FROM c ORDER BY c.id DESC',
  'SELECT c.id, k.name FROM c JOIN k IN c.kids',
  'SELECT VALUE COUNT(1) FROM c',
  'SELECT VALUE SUM(k.age) FROM c JOIN k IN c.kids',
  'SELECT VALUE MAX(c.age) FROM c',
  'SELECT VALUE AVG(c.score) FROM c',
  'SELECT VALUE c.id FROM c WHERE EXISTS(SELECT VALUE k FROM k IN c.kids WHERE k.age > 4)',
  'SELECT c.id, (SELECT VALUE COUNT(1) FROM k IN c.kids) AS n FROM c',
  'SELECT VALUE c.id FROM c WHERE c.nick = null',
  'SELECT VALUE c.id FROM c WHERE IS_DEFINED(c.nick)',
  'SELECT VALUE c.id FROM c WHERE NOT (c.age > 26)',
  'SELECT VALUE (c.age ?? "none") FROM c',
  'SELECT VALUE UPPER(c.name) FROM c',
  'SELECT VALUE c.id FROM c WHERE CONTAINS(c.name, "e")',
  'SELECT VALUE c.id FROM c WHERE ARRAY_CONTAINS(c.tags, "y")',
  'SELECT VALUE ARRAY_LENGTH(c.tags) FROM c',
  'SELECT VALUE c.id FROM c WHERE c.city IN ("Rome")',
  'SELECT VALUE c.id FROM c WHERE c.age BETWEEN 25 AND 30',
  'SELECT VALUE c.id FROM c WHERE c.tags = ["x", "y"]',
];

describe('differential: queries both servers answer the same', () => {
  it.each(AGREED)('%s', async (query) => {
    expect(await results(ours, query)).toEqual(await results(baseline, query));
  });
});

describe('differential: where they differ, LocalZure follows the Cosmos DB SQL reference', () => {
  it('ORDER BY keeps items where the property is undefined (reference: ORDER BY returns all items, undefined sorting lowest)', async () => {
    const query = 'SELECT VALUE c.id FROM c ORDER BY c.age';
    expect(await results(ours, query)).toEqual(['5', '2', '1', '3', '4']);
    expect(await results(baseline, query)).toEqual(['2', '1', '3', '4']);
  });

  it.each([
    ['OFFSET LIMIT (reference: OFFSET LIMIT clause)', 'SELECT VALUE c.id FROM c ORDER BY c.id OFFSET 1 LIMIT 2', ['2', '3']],
    ['DISTINCT (reference: SELECT DISTINCT)', 'SELECT DISTINCT VALUE c.city FROM c', ['Oslo', 'Rome']],
    ['GROUP BY (reference: GROUP BY clause)', 'SELECT c.city, COUNT(1) AS n FROM c GROUP BY c.city', [{ city: 'Oslo', n: 3 }, { city: 'Rome', n: 2 }]],
    ['LIKE (reference: LIKE keyword)', 'SELECT VALUE c.id FROM c WHERE c.name LIKE "_e%"', ['4']],
  ])('%s: LocalZure answers, the baseline refuses the syntax', async (_what, query, expected) => {
    expect(await results(ours, query)).toEqual(expected);
    await expect(results(baseline, query)).rejects.toMatchObject({ code: 400 });
  });
});
