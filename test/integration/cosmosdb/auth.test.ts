import { CosmosClient } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { COSMOS_EMULATOR_KEY } from '../../../src/services/cosmosdb/auth.js';
import { keyOf, signedFetch, uniqueId, useCosmos } from './support.js';

const cosmos = useCosmos();

const WRONG_KEY = Buffer.alloc(64, 7).toString('base64');

describe('account and master-key auth', () => {
  it('serves the account document advertising the endpoint the client used', async () => {
    const { resource } = await cosmos.client.getDatabaseAccount();
    expect(resource!.writableLocations[0]!.databaseAccountEndpoint).toBe(cosmos.endpoint);
    expect(resource!.readableLocations[0]!.databaseAccountEndpoint).toBe(cosmos.endpoint);
  });

  it('works with endpoint discovery left on (the SDK default)', async () => {
    const client = new CosmosClient({ endpoint: cosmos.endpoint, key: keyOf(cosmos.connectionString), connectionPolicy: { enableEndpointDiscovery: true } });
    await expect(client.databases.createIfNotExists({ id: uniqueId('db') })).resolves.toMatchObject({ statusCode: 201 });
    client.dispose();
  });

  it('answers 401 to a request signed with a wrong key', async () => {
    const client = new CosmosClient({ endpoint: cosmos.endpoint, key: WRONG_KEY });
    await expect(client.databases.readAll().fetchAll()).rejects.toMatchObject({
      code: 401,
      message: expect.stringContaining("The input authorization token can't serve the request"),
    });
    client.dispose();
  });

  it('answers 401 to a request without authorization', async () => {
    const response = await fetch(`${cosmos.endpoint}dbs`, { headers: { 'x-ms-date': new Date().toUTCString() } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'Unauthorized' });
  });

  it('answers 401 to a resource token', async () => {
    const response = await fetch(`${cosmos.endpoint}dbs`, { headers: { authorization: encodeURIComponent('type=resource&ver=1.0&sig=abc'), 'x-ms-date': new Date().toUTCString() } });
    expect(response.status).toBe(401);
  });

  it("accepts the Cosmos DB emulator's well-known key for the default namespace", async () => {
    const id = uniqueId('db');
    await cosmos.client.databases.create({ id });
    const client = new CosmosClient({ endpoint: cosmos.endpoint, key: COSMOS_EMULATOR_KEY });
    await expect(client.database(id).read()).resolves.toMatchObject({ statusCode: 200 });
    client.dispose();
  });

  it('keeps each namespace to its own databases', async () => {
    const other = cosmos.namespaces.add({ name: 'otherworker', key: Buffer.alloc(64, 9).toString('base64') });
    const client = new CosmosClient(cosmos.service.getEndpoint(other)!.connectionString!);
    const id = uniqueId('db');
    await client.databases.create({ id });
    await expect(cosmos.client.database(id).read()).rejects.toMatchObject({ code: 404 });
    await expect(client.database(id).read()).resolves.toMatchObject({ statusCode: 200 });
    client.dispose();
  });

  it('answers 404 with a JSON error for a path that is no resource', async () => {
    const response = await signedFetch(cosmos, 'GET', 'nothing');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NotFound' });
  });
});
