import { describe, expect, it } from 'vitest';
import { uniqueId, useCosmos } from './support.js';

const cosmos = useCosmos();

describe('databases', () => {
  it('creates a database with system properties', async () => {
    const id = uniqueId('db');
    const { resource, statusCode } = await cosmos.client.databases.create({ id });
    expect(statusCode).toBe(201);
    expect(resource).toMatchObject({ id, _colls: 'colls/', _users: 'users/' });
    expect(resource!._rid).toEqual(expect.any(String));
    expect(resource!._self).toBe(`dbs/${resource!._rid}/`);
    expect(resource!._ts).toBe(Math.floor(cosmos.clock.now() / 1000));
  });

  it('refuses a second database with the same id with 409', async () => {
    const id = uniqueId('db');
    await cosmos.client.databases.create({ id });
    await expect(cosmos.client.databases.create({ id })).rejects.toMatchObject({ code: 409 });
  });

  it('createIfNotExists returns the existing database', async () => {
    const id = uniqueId('db');
    const first = await cosmos.client.databases.createIfNotExists({ id });
    const second = await cosmos.client.databases.createIfNotExists({ id });
    expect(second.resource!._rid).toBe(first.resource!._rid);
  });

  it('reads a database by id', async () => {
    const id = uniqueId('db');
    await cosmos.client.databases.create({ id });
    const { resource } = await cosmos.client.database(id).read();
    expect(resource!.id).toBe(id);
  });

  it('answers 404 for a database that does not exist', async () => {
    await expect(cosmos.client.database('missing-db').read()).rejects.toMatchObject({ code: 404 });
  });

  it('deletes a database and everything in it', async () => {
    const id = uniqueId('db');
    const { database } = await cosmos.client.databases.create({ id });
    await database.containers.create({ id: 'c', partitionKey: '/pk' });
    await database.delete();
    await expect(database.read()).rejects.toMatchObject({ code: 404 });
    await expect(database.container('c').read()).rejects.toMatchObject({ code: 404 });
  });

  it('lists databases', async () => {
    const id = uniqueId('db');
    await cosmos.client.databases.create({ id });
    const { resources } = await cosmos.client.databases.readAll().fetchAll();
    expect(resources.map((d) => d.id)).toContain(id);
  });

  it('queries databases with parameters', async () => {
    const id = uniqueId('db');
    await cosmos.client.databases.create({ id });
    const { resources } = await cosmos.client.databases.query({ query: 'SELECT * FROM root r WHERE r.id = @id', parameters: [{ name: '@id', value: id }] }).fetchAll();
    expect(resources.map((d) => d.id)).toEqual([id]);
  });

  it('keeps shared throughput given at creation', async () => {
    const { database } = await cosmos.client.databases.create({ id: uniqueId('db'), throughput: 1000 });
    const { resource } = await database.readOffer();
    expect(resource!.content!.offerThroughput).toBe(1000);
  });

  it('refuses throughput below 400 RU/s with 400', async () => {
    await expect(cosmos.client.databases.create({ id: uniqueId('db'), throughput: 100 })).rejects.toMatchObject({ code: 400 });
  });

  it('refuses a database without an id with 400', async () => {
    await expect(cosmos.client.databases.create({} as { id: string })).rejects.toMatchObject({ code: 400 });
  });

});
