import { describe, expect, it } from 'vitest';
import { all, batchBody, errorOf, freshTable, signedFetch, useTableService } from './support.js';

describe('transactions', () => {
  const lz = useTableService();

  it('applies creates, updates, upserts and deletes in one transaction', async () => {
    const table = await freshTable(lz);
    await table.createEntity({ partitionKey: 'p', rowKey: 'update', v: 1 });
    await table.createEntity({ partitionKey: 'p', rowKey: 'delete' });
    const result = await table.submitTransaction([
      ['create', { partitionKey: 'p', rowKey: 'new', v: 1 }],
      ['update', { partitionKey: 'p', rowKey: 'update', v: 2 }, 'Merge'],
      ['upsert', { partitionKey: 'p', rowKey: 'upsert', v: 3 }, 'Replace'],
      ['delete', { partitionKey: 'p', rowKey: 'delete' }],
    ]);
    expect(result.status).toBe(202);
    expect(result.subResponses.map((r) => r.status)).toEqual([204, 204, 204, 204]);
    expect(result.subResponses.every((r) => r.status !== 204 || r.etag === undefined || r.etag.startsWith('W/"datetime'))).toBe(true);
    const rows = await all(table.listEntities());
    expect(rows.map((e) => [e.rowKey, e.v])).toEqual([['new', 1], ['update', 2], ['upsert', 3]]);
  });

  it('applies nothing when one operation fails, and names the failing index', async () => {
    const table = await freshTable(lz);
    await table.createEntity({ partitionKey: 'p', rowKey: 'taken', v: 'original' });
    const error = await errorOf(
      table.submitTransaction([
        ['create', { partitionKey: 'p', rowKey: 'a' }],
        ['upsert', { partitionKey: 'p', rowKey: 'b', v: 'new' }, 'Replace'],
        ['create', { partitionKey: 'p', rowKey: 'taken' }],
      ]),
    );
    expect(error).toMatchObject({ statusCode: 409, code: 'EntityAlreadyExists' });
    expect(error.message).toMatch(/^2:The specified entity already exists\./);
    const rows = await all(table.listEntities());
    expect(rows.map((e) => [e.rowKey, e.v])).toEqual([['taken', 'original']]);
  });

  it('rolls back when an update finds no entity', async () => {
    const table = await freshTable(lz);
    const error = await errorOf(
      table.submitTransaction([
        ['create', { partitionKey: 'p', rowKey: 'a' }],
        ['update', { partitionKey: 'p', rowKey: 'missing', v: 1 }],
      ]),
    );
    expect(error).toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    expect(error.message).toMatch(/^1:/);
    expect(await all(table.listEntities())).toEqual([]);
  });

  it('answers InvalidDuplicateRow when one entity appears twice', async () => {
    const table = await freshTable(lz);
    const error = await errorOf(
      table.submitTransaction([
        ['create', { partitionKey: 'p', rowKey: 'a' }],
        ['upsert', { partitionKey: 'p', rowKey: 'a', v: 1 }],
      ]),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidDuplicateRow' });
    expect(error.message).toMatch(/^1:/);
  });

  it('answers CommandsInBatchActOnDifferentPartitions for two partitions', async () => {
    const table = await freshTable(lz);
    const { boundary, body } = batchBody(lz, table.tableName, [
      { method: 'POST', body: { PartitionKey: 'p1', RowKey: 'a' } },
      { method: 'POST', body: { PartitionKey: 'p2', RowKey: 'a' } },
    ]);
    const response = await signedFetch(lz, 'POST', '$batch', { headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` }, body });
    const text = await response.text();
    expect(response.status).toBe(202);
    expect(text).toContain('HTTP/1.1 400 Bad Request');
    expect(text).toContain('"code":"CommandsInBatchActOnDifferentPartitions"');
    expect(text).toContain('"value":"1:');
    expect(await all(table.listEntities())).toEqual([]);
  });

  it('refuses more than 100 operations and applies none', async () => {
    const table = await freshTable(lz);
    const actions = Array.from({ length: 101 }, (_, i) => ['create', { partitionKey: 'p', rowKey: `r${i}` }] as ['create', { partitionKey: string; rowKey: string }]);
    const error = await errorOf(table.submitTransaction(actions));
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidInput' });
    expect(error.message).toMatch(/^100:/);
    expect(await all(table.listEntities())).toEqual([]);
  });

  it('accepts exactly 100 operations', async () => {
    const table = await freshTable(lz);
    const actions = Array.from({ length: 100 }, (_, i) => ['create', { partitionKey: 'p', rowKey: `r${String(i).padStart(3, '0')}` }] as ['create', { partitionKey: string; rowKey: string }]);
    await table.submitTransaction(actions);
    expect(await all(table.listEntities())).toHaveLength(100);
  });

  it('answers 404 TableNotFound at index 0 for a missing table', async () => {
    const table = lz.tableClient('nosuchtable2');
    const error = await errorOf(table.submitTransaction([['create', { partitionKey: 'p', rowKey: 'a' }]]));
    expect(error).toMatchObject({ statusCode: 404, code: 'TableNotFound' });
    expect(error.message).toMatch(/^0:/);
  });

  it('answers 400 InvalidInput for a body that is not a changeset', async () => {
    const response = await signedFetch(lz, 'POST', '$batch', { headers: { 'Content-Type': 'multipart/mixed; boundary=batch_x' }, body: 'garbage' });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ms-error-code')).toBe('InvalidInput');
    expect(await response.json()).toMatchObject({ 'odata.error': { code: 'InvalidInput' } });
  });

  it('answers 400 InvalidInput, at its index, for an operation that is not valid JSON', async () => {
    const table = await freshTable(lz);
    const { boundary, body } = batchBody(lz, table.tableName, [{ method: 'POST', body: { PartitionKey: 'p', RowKey: 'a' } }, { method: 'POST' }]);
    const response = await signedFetch(lz, 'POST', '$batch', { headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` }, body });
    const text = await response.text();
    expect(text).toContain('"code":"InvalidInput"');
    expect(text).toContain('"value":"1:');
    expect(await all(table.listEntities())).toEqual([]);
  });

  it.each(['http://[broken/', '/devstoreaccount1/%E0%A4%A', '/otheraccount/table'])('answers 400 InvalidInput for the operation URL %j', async (url) => {
    const table = await freshTable(lz);
    const { boundary, body } = batchBody(lz, table.tableName, [{ method: 'POST', body: { PartitionKey: 'p', RowKey: 'a' } }]);
    const response = await signedFetch(lz, 'POST', '$batch', {
      headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
      body: body.replace(/POST \S+ HTTP/, `POST ${url} HTTP`),
    });
    const text = await response.text();
    expect(response.status).toBe(202);
    expect(text).toContain('"code":"InvalidInput"');
    expect(text).toContain('"value":"0:');
  });
});
