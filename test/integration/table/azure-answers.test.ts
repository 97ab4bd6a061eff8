import { describe, expect, it } from 'vitest';
import { errorOf, freshTable, signedFetch, uniqueTable, useTableService } from './support.js';

const table = useTableService();

const failureOf = async (promise: Promise<unknown>) => {
  const { statusCode, code } = await errorOf(promise);
  return { statusCode, code };
};

describe('table answers as Azure gives them', () => {
  it('refuses an If-Match that is no entity ETag with 400, not 412', async () => {
    const client = await freshTable(table);
    await client.createEntity({ partitionKey: 'p', rowKey: 'r', v: 1 });
    for (const etag of ['"wrong"', 'wrong', `"datetime'2015-01-01T23%3A14%3A33.4980000Z'"`]) {
      expect(await failureOf(client.updateEntity({ partitionKey: 'p', rowKey: 'r', v: 2 }, 'Replace', { etag }))).toEqual({ statusCode: 400, code: 'InvalidInput' });
    }
    for (const etag of [`W/"datetime'2015-01-01T23%3A14%3A33.4980000Z'"`, 'w/"wrong"']) {
      expect(await failureOf(client.updateEntity({ partitionKey: 'p', rowKey: 'r', v: 2 }, 'Replace', { etag }))).toEqual({ statusCode: 412, code: 'UpdateConditionNotSatisfied' });
    }
  });

  it('reads an empty $filter as no filter', async () => {
    const client = await freshTable(table);
    await client.createEntity({ partitionKey: 'p', rowKey: 'a' });
    await client.createEntity({ partitionKey: 'p', rowKey: 'b' });
    const keys: string[] = [];
    for await (const entity of client.listEntities({ queryOptions: { filter: '' } })) keys.push(entity.rowKey!);
    expect(keys).toEqual(['a', 'b']);
  });

  it('refuses an invalid Date and an infinite Double with 400 InvalidInput', async () => {
    const client = await freshTable(table);
    expect(await failureOf(client.createEntity({ partitionKey: 'p', rowKey: 'date', when: new Date('') }))).toEqual({ statusCode: 400, code: 'InvalidInput' });
    expect(await failureOf(client.createEntity({ partitionKey: 'p', rowKey: 'double', big: { value: Infinity, type: 'Double' } }))).toEqual({ statusCode: 400, code: 'InvalidInput' });
    await client.createEntity({ partitionKey: 'p', rowKey: 'finite', big: { value: 1.797693134862315e308, type: 'Double' } });
  });

  it.each([
    ['quotes as sent', (name: string) => `Tables('${name}')`],
    ['quotes percent-encoded', (name: string) => `Tables(%27${name}%27)`],
  ])('verifies Shared Key Lite on DELETE Tables(name) with %s', async (_, path) => {
    const name = uniqueTable('lite');
    await table.serviceClient.createTable(name);
    const response = await signedFetch(table, 'DELETE', path(name));
    expect(response.status).toBe(204);
  });

  it('creates a table posted to Tables/ with a trailing slash', async () => {
    const name = `slash${Date.now()}`;
    const response = await fetch(`${table.url}/Tables/?${await accountSas()}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json;odata=nometadata', 'x-ms-version': '2019-02-02' },
      body: JSON.stringify({ TableName: name }),
    });
    expect(response.status).toBe(201);
    const names: string[] = [];
    for await (const t of table.serviceClient.listTables()) names.push(t.name!);
    expect(names).toContain(name);
  });
});

async function accountSas(): Promise<string> {
  const { generateAccountSas } = await import('@azure/data-tables');
  return generateAccountSas(table.credential, { expiresOn: new Date(Date.now() + 3_600_000), permissions: { add: true, list: true, write: true, query: true } }).replace(/^\?/, '');
}
