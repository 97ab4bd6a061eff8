import { AzureNamedKeyCredential, AzureSASCredential, generateAccountSas, generateTableSas, TableClient, TableServiceClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { all, clientOptions, errorOf, freshTable, useTableService } from './support.js';

describe('authorization', () => {
  const lz = useTableService();
  const sasClient = (table: string, sas: string) => new TableClient(lz.url, table, new AzureSASCredential(sas), clientOptions);
  const inOneHour = () => new Date(lz.clock.now() + 3_600_000);

  it('refuses a wrong account key with 403 AuthenticationFailed', async () => {
    const table = await freshTable(lz);
    const wrong = new TableClient(lz.url, table.tableName, new AzureNamedKeyCredential('devstoreaccount1', Buffer.from('wrong key').toString('base64')), clientOptions);
    expect(await errorOf(wrong.getEntity('p', 'r'))).toMatchObject({ statusCode: 403, code: 'AuthenticationFailed' });
  });

  it('refuses a request without credentials', async () => {
    const response = await fetch(`${lz.url}/Tables`, { headers: { Accept: 'application/json' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-ms-error-code')).toBe('NoAuthenticationInformation');
  });

  it('accepts an account SAS for what it permits', async () => {
    const table = await freshTable(lz);
    const sas = generateAccountSas(lz.credential, { expiresOn: inOneHour(), permissions: { query: true, add: true, list: true }, resourceTypes: 'sco' });
    const client = sasClient(table.tableName, sas);
    await client.createEntity({ partitionKey: 'p', rowKey: 'r' });
    expect((await client.getEntity('p', 'r')).rowKey).toBe('r');
    const names = (await all(new TableServiceClient(lz.url, new AzureSASCredential(sas), clientOptions).listTables())).map((t) => t.name);
    expect(names).toContain(table.tableName);
  });

  it('refuses an account SAS without the needed permission with 403 AuthorizationPermissionMismatch', async () => {
    const table = await freshTable(lz);
    const sas = generateAccountSas(lz.credential, { expiresOn: inOneHour(), permissions: { query: true }, resourceTypes: 'sco' });
    expect(await errorOf(sasClient(table.tableName, sas).createEntity({ partitionKey: 'p', rowKey: 'r' }))).toMatchObject({ statusCode: 403, code: 'AuthorizationPermissionMismatch' });
  });

  it('accepts a table SAS for its own table', async () => {
    const table = await freshTable(lz);
    const sas = generateTableSas(table.tableName, lz.credential, { expiresOn: inOneHour(), permissions: { query: true, add: true, update: true, delete: true } });
    const client = sasClient(table.tableName, sas);
    await client.createEntity({ partitionKey: 'p', rowKey: 'r', v: 1 });
    await client.upsertEntity({ partitionKey: 'p', rowKey: 'r', v: 2 });
    expect((await client.getEntity('p', 'r')).v).toBe(2);
    await client.deleteEntity('p', 'r');
  });

  it('refuses a table SAS on another table with 403 AuthorizationFailure', async () => {
    const mine = await freshTable(lz);
    const other = await freshTable(lz);
    const sas = generateTableSas(mine.tableName, lz.credential, { expiresOn: inOneHour(), permissions: { query: true } });
    expect(await errorOf(all(sasClient(other.tableName, sas).listEntities()))).toMatchObject({ statusCode: 403, code: 'AuthorizationFailure' });
  });

  it('refuses a table SAS once the service clock passes its expiry', async () => {
    const table = await freshTable(lz);
    const sas = generateTableSas(table.tableName, lz.credential, { expiresOn: new Date(lz.clock.now() + 60_000), permissions: { query: true } });
    await all(sasClient(table.tableName, sas).listEntities());
    lz.clock.advance(120_000);
    expect(await errorOf(all(sasClient(table.tableName, sas).listEntities()))).toMatchObject({ statusCode: 403, code: 'AuthenticationFailed' });
  });

  it('refuses a tampered table SAS', async () => {
    const table = await freshTable(lz);
    const sas = generateTableSas(table.tableName, lz.credential, { expiresOn: inOneHour(), permissions: { query: true } }).replace('sp=r', 'sp=raud');
    expect(await errorOf(sasClient(table.tableName, sas).createEntity({ partitionKey: 'p', rowKey: 'r' }))).toMatchObject({ statusCode: 403, code: 'AuthenticationFailed' });
  });

  it('limits a table SAS to its partition and row key range', async () => {
    const table = await freshTable(lz);
    for (const [pk, rk] of [['a', '1'], ['b', '1'], ['b', '5'], ['c', '1']]) await table.createEntity({ partitionKey: pk!, rowKey: rk! });
    const sas = generateTableSas(table.tableName, lz.credential, {
      expiresOn: inOneHour(),
      permissions: { query: true, add: true },
      startPartitionKey: 'b',
      startRowKey: '0',
      endPartitionKey: 'b',
      endRowKey: '3',
    });
    const client = sasClient(table.tableName, sas);
    expect((await client.getEntity('b', '1')).rowKey).toBe('1');
    expect(await errorOf(client.getEntity('b', '5'))).toMatchObject({ statusCode: 403, code: 'AuthorizationFailure' });
    expect(await errorOf(client.createEntity({ partitionKey: 'c', rowKey: '2' }))).toMatchObject({ statusCode: 403, code: 'AuthorizationFailure' });
    expect((await all(client.listEntities())).map((e) => `${e.partitionKey}${e.rowKey}`)).toEqual(['b1']);
  });

  it('honours a stored access policy named by the SAS', async () => {
    const table = await freshTable(lz);
    await table.setAccessPolicy([{ id: 'readers', accessPolicy: { permission: 'r', expiry: inOneHour() } }]);
    expect([...(await table.getAccessPolicy())].map((s) => s.id)).toEqual(['readers']);
    const sas = generateTableSas(table.tableName, lz.credential, { identifier: 'readers' });
    await table.createEntity({ partitionKey: 'p', rowKey: 'r' });
    const client = sasClient(table.tableName, sas);
    expect((await client.getEntity('p', 'r')).rowKey).toBe('r');
    expect(await errorOf(client.createEntity({ partitionKey: 'p', rowKey: 'x' }))).toMatchObject({ statusCode: 403, code: 'AuthorizationPermissionMismatch' });
  });

  it('judges a SAS by its stored access policy as it is now: narrowing the policy revokes what it allowed', async () => {
    const table = await freshTable(lz);
    await table.setAccessPolicy([{ id: 'writers', accessPolicy: { permission: 'raud', expiry: inOneHour() } }]);
    const client = sasClient(table.tableName, generateTableSas(table.tableName, lz.credential, { identifier: 'writers' }));
    await client.createEntity({ partitionKey: 'p', rowKey: '1' });
    await table.setAccessPolicy([{ id: 'writers', accessPolicy: { permission: 'r', expiry: inOneHour() } }]);
    expect(await errorOf(client.createEntity({ partitionKey: 'p', rowKey: '2' }))).toMatchObject({ statusCode: 403, code: 'AuthorizationPermissionMismatch' });
    expect((await client.getEntity('p', '1')).rowKey).toBe('1');
  });

  it('runs a transaction under a table SAS that permits its operations', async () => {
    const table = await freshTable(lz);
    const sas = generateTableSas(table.tableName, lz.credential, { expiresOn: inOneHour(), permissions: { add: true, query: true } });
    const client = sasClient(table.tableName, sas);
    await client.submitTransaction([['create', { partitionKey: 'p', rowKey: '1' }], ['create', { partitionKey: 'p', rowKey: '2' }]]);
    expect(await all(client.listEntities())).toHaveLength(2);
  });

  it('refuses a transaction operation the table SAS does not permit, applying none', async () => {
    const table = await freshTable(lz);
    await table.createEntity({ partitionKey: 'p', rowKey: 'old' });
    const sas = generateTableSas(table.tableName, lz.credential, { expiresOn: inOneHour(), permissions: { add: true } });
    const error = await errorOf(sasClient(table.tableName, sas).submitTransaction([['create', { partitionKey: 'p', rowKey: 'new' }], ['delete', { partitionKey: 'p', rowKey: 'old' }]]));
    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationPermissionMismatch' });
    expect(error.message).toMatch(/^1:/);
    expect((await all(table.listEntities())).map((e) => e.rowKey)).toEqual(['old']);
  });
});
