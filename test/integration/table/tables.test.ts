import { describe, expect, it } from 'vitest';
import { all, captureResponse, errorOf, uniqueTable, useTableService } from './support.js';

describe('tables', () => {
  const lz = useTableService();

  it('creates a table that then appears in the listing', async () => {
    const name = uniqueTable();
    await lz.serviceClient.createTable(name);
    const names = (await all(lz.serviceClient.listTables())).map((t) => t.name);
    expect(names).toContain(name);
  });

  it('answers 409 TableAlreadyExists when creating an existing table (which the SDK then ignores)', async () => {
    const name = uniqueTable();
    await lz.serviceClient.createTable(name);
    const response = captureResponse();
    await lz.serviceClient.createTable(name, response.options);
    expect(response).toMatchObject({ status: 409, code: 'TableAlreadyExists' });
  });

  it('treats table names case-insensitively', async () => {
    const name = uniqueTable('Mixed');
    await lz.serviceClient.createTable(name);
    const response = captureResponse();
    await lz.serviceClient.createTable(name.toLowerCase(), response.options);
    expect(response.code).toBe('TableAlreadyExists');
  });

  it('deletes a table', async () => {
    const name = uniqueTable();
    await lz.serviceClient.createTable(name);
    await lz.serviceClient.deleteTable(name);
    const names = (await all(lz.serviceClient.listTables())).map((t) => t.name);
    expect(names).not.toContain(name);
  });

  it('answers 404 ResourceNotFound when deleting a missing table (which the SDK then ignores)', async () => {
    const response = captureResponse();
    await lz.serviceClient.deleteTable(uniqueTable(), response.options);
    expect(response).toMatchObject({ status: 404, code: 'ResourceNotFound' });
  });

  it.each(['ab', '1abc', 'has-dash', 'tables', 'a'.repeat(64)])('refuses the invalid table name %j with 400 InvalidResourceName', async (name) => {
    const error = await errorOf(lz.serviceClient.createTable(name));
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidResourceName' });
  });

  it('filters the table listing', async () => {
    const prefix = uniqueTable('flt');
    await lz.serviceClient.createTable(`${prefix}a`);
    await lz.serviceClient.createTable(`${prefix}b`);
    const listed = await all(lz.serviceClient.listTables({ queryOptions: { filter: `TableName eq '${prefix}b'` } }));
    expect(listed.map((t) => t.name)).toEqual([`${prefix}b`]);
  });

  it('pages the table listing with continuation tokens', async () => {
    const prefix = uniqueTable('page');
    const names = [0, 1, 2, 3, 4].map((i) => `${prefix}n${i}`);
    for (const name of names) await lz.serviceClient.createTable(name);
    const filter = `TableName ge '${prefix}' and TableName lt '${prefix}z'`;
    const pages: string[][] = [];
    for await (const page of lz.serviceClient.listTables({ queryOptions: { filter } }).byPage({ maxPageSize: 2 })) {
      pages.push(page.map((t) => t.name!));
    }
    expect(pages).toEqual([names.slice(0, 2), names.slice(2, 4), names.slice(4)]);
  });
});
