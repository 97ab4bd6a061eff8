import { describe, expect, it } from 'vitest';
import { freshContainer, signedFetch, useCosmos } from './support.js';

const cosmos = useCosmos();

async function docsPath(): Promise<string> {
  const container = await freshContainer(cosmos);
  return `dbs/${container.database.id}/colls/${container.id}/docs`;
}

async function expectError(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('x-ms-activity-id')).toEqual(expect.any(String));
  expect(await response.json()).toMatchObject({ code, message: expect.any(String) });
}

describe('bad input on the wire', () => {
  it('answers 400 to an item body that is not JSON', async () => {
    const path = await docsPath();
    await expectError(await signedFetch(cosmos, 'POST', path, { body: '{ not json', headers: { 'x-ms-documentdb-partitionkey': '["p"]' } }), 400, 'BadRequest');
  });

  it('answers 400 to an item body that is a JSON array', async () => {
    const path = await docsPath();
    await expectError(await signedFetch(cosmos, 'POST', path, { body: '[1]', headers: { 'x-ms-documentdb-partitionkey': '["p"]' } }), 400, 'BadRequest');
  });

  it('answers 400 to an item with a number beyond a double, storing nothing', async () => {
    const path = await docsPath();
    const headers = { 'x-ms-documentdb-partitionkey': '["p"]' };
    await expectError(await signedFetch(cosmos, 'POST', path, { body: '{"id":"a","pk":"p","n":1e400}', headers }), 400, 'BadRequest');
    expect((await signedFetch(cosmos, 'GET', `${path}/a`, { headers })).status).toBe(404);
  });

  it('answers 400 to a partition key header that is not a JSON array', async () => {
    const path = await docsPath();
    await expectError(await signedFetch(cosmos, 'POST', path, { body: '{"id":"a","pk":"p"}', headers: { 'x-ms-documentdb-partitionkey': 'p' } }), 400, 'BadRequest');
  });

  it('answers 400 to a query body without query text', async () => {
    const path = await docsPath();
    const headers = { 'content-type': 'application/query+json', 'x-ms-documentdb-isquery': 'True' };
    await expectError(await signedFetch(cosmos, 'POST', path, { body: '{"parameters":[]}', headers }), 400, 'BadRequest');
  });

  it('answers 400 to a page size that is not a number', async () => {
    const path = await docsPath();
    await expectError(await signedFetch(cosmos, 'GET', path, { headers: { 'x-ms-max-item-count': 'many' } }), 400, 'BadRequest');
  });

  it('answers 413 to a body far over the item limit without storing anything', async () => {
    const path = await docsPath();
    const body = JSON.stringify({ id: 'huge', pk: 'p', blob: 'x'.repeat(17 * 1024 * 1024) });
    await expectError(await signedFetch(cosmos, 'POST', path, { body, headers: { 'x-ms-documentdb-partitionkey': '["p"]' } }), 413, 'RequestEntityTooLarge');
  });

  it('answers 400 to a patch without operations', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p' });
    const path = `dbs/${container.database.id}/colls/${container.id}/docs/a`;
    await expectError(await signedFetch(cosmos, 'PATCH', path, { body: '{"operations":[]}', headers: { 'x-ms-documentdb-partitionkey': '["p"]' } }), 400, 'BadRequest');
  });

  it('answers 400 to a point read without its partition key', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p' });
    await expectError(await signedFetch(cosmos, 'GET', `dbs/${container.database.id}/colls/${container.id}/docs/a`), 400, 'BadRequest');
  });

  it('answers 400 to a point read whose partition key value is an object', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p' });
    const headers = { 'x-ms-documentdb-partitionkey': '[{"pk":"p"}]' };
    await expectError(await signedFetch(cosmos, 'GET', `dbs/${container.database.id}/colls/${container.id}/docs/a`, { headers }), 400, 'BadRequest');
  });

  it('answers 400 to a partition key header with a number beyond a double, rather than reading the null partition', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: null });
    const headers = { 'x-ms-documentdb-partitionkey': '[1e400]' };
    await expectError(await signedFetch(cosmos, 'GET', `dbs/${container.database.id}/colls/${container.id}/docs/a`, { headers }), 400, 'BadRequest');
  });

  it('answers 400 to a query whose partition key value is an object', async () => {
    const path = await docsPath();
    const headers = { 'content-type': 'application/query+json', 'x-ms-documentdb-isquery': 'True', 'x-ms-documentdb-partitionkey': '[{"pk":"p"}]' };
    await expectError(await signedFetch(cosmos, 'POST', path, { body: '{"query":"SELECT * FROM c"}', headers }), 400, 'BadRequest');
  });

  it('answers 400 to a feed range whose start is not below its end', async () => {
    const path = await docsPath();
    await expectError(await signedFetch(cosmos, 'GET', path, { headers: { 'x-ms-start-epk': '10', 'x-ms-end-epk': '05' } }), 400, 'BadRequest');
  });

  it('answers 400 to a feed range that is not hex', async () => {
    const path = await docsPath();
    await expectError(await signedFetch(cosmos, 'GET', path, { headers: { 'x-ms-start-epk': 'zz', 'x-ms-end-epk': 'FF' } }), 400, 'BadRequest');
  });

  it('answers 410 with substatus 1002 to a partition key range the container does not have', async () => {
    const path = await docsPath();
    const response = await signedFetch(cosmos, 'GET', path, { headers: { 'x-ms-documentdb-partitionkeyrangeid': '7' } });
    expect(response.headers.get('x-ms-substatus')).toBe('1002');
    await expectError(response, 410, 'Gone');
  });

  it('answers 400 to a change feed page size that is not a number, as a query does', async () => {
    const path = await docsPath();
    await expectError(await signedFetch(cosmos, 'GET', path, { headers: { 'a-im': 'Incremental feed', 'x-ms-max-item-count': 'many' } }), 400, 'BadRequest');
  });

  it('answers 400 to a change feed continuation it did not issue', async () => {
    const path = await docsPath();
    await expectError(await signedFetch(cosmos, 'GET', path, { headers: { 'a-im': 'Incremental feed', 'if-none-match': '"abc"' } }), 400, 'BadRequest');
  });

  it('answers 405 to a method the resource does not take', async () => {
    const container = await freshContainer(cosmos);
    await expectError(await signedFetch(cosmos, 'PATCH', `dbs/${container.database.id}/colls/${container.id}`), 405, 'MethodNotAllowed');
  });

  it('reports an unknown batch operation as that operation\u2019s 400 and applies nothing', async () => {
    const path = await docsPath();
    const body = JSON.stringify([{ operationType: 'Create', resourceBody: { id: 'a', pk: 'p' } }, { operationType: 'Explode' }]);
    const headers = { 'x-ms-cosmos-is-batch-request': 'True', 'x-ms-cosmos-batch-atomic': 'True', 'x-ms-documentdb-partitionkey': '["p"]' };
    const response = await signedFetch(cosmos, 'POST', path, { body, headers });
    expect(response.status).toBe(207);
    expect(((await response.json()) as Array<{ statusCode: number }>).map((r) => r.statusCode)).toEqual([424, 400]);
    expect((await signedFetch(cosmos, 'GET', `${path}/a`, { headers: { 'x-ms-documentdb-partitionkey': '["p"]' } })).status).toBe(404);
  });
});

describe('deeply nested bodies', () => {
  it('refuses an item nested deeper than 128 levels with 400', async () => {
    const path = await docsPath();
    const body = `{"id":"deep","pk":"p","v":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    await expectError(await signedFetch(cosmos, 'POST', path, { body, headers: { 'x-ms-documentdb-partitionkey': '["p"]' } }), 400, 'BadRequest');
  });

  it('accepts an item nested 100 levels deep', async () => {
    const path = await docsPath();
    const body = `{"id":"deep","pk":"p","v":${'['.repeat(100)}${']'.repeat(100)}}`;
    expect((await signedFetch(cosmos, 'POST', path, { body, headers: { 'x-ms-documentdb-partitionkey': '["p"]' } })).status).toBe(201);
  });
});
