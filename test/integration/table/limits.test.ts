import { describe, expect, it } from 'vitest';
import { errorOf, freshTable, signedFetch, useTableService } from './support.js';

describe('limits Azure enforces', () => {
  const lz = useTableService();

  it.each(['a/b', 'a\\b', 'a#b', 'a?b', 'tab\there', 'del\u007f'])('refuses the key character in %j with 400 InvalidInput', async (key) => {
    const table = await freshTable(lz);
    expect(await errorOf(table.createEntity({ partitionKey: 'p', rowKey: key }))).toMatchObject({ statusCode: 400, code: 'InvalidInput' });
    expect(await errorOf(table.createEntity({ partitionKey: key, rowKey: 'r' }))).toMatchObject({ statusCode: 400, code: 'InvalidInput' });
  });

  it('refuses a key longer than 1 KiB', async () => {
    const table = await freshTable(lz);
    await table.createEntity({ partitionKey: 'p', rowKey: 'k'.repeat(1024) });
    expect(await errorOf(table.createEntity({ partitionKey: 'p', rowKey: 'k'.repeat(1025) }))).toMatchObject({ statusCode: 400, code: 'InvalidInput' });
  });

  it('accepts 252 custom properties and refuses 253 with TooManyProperties', async () => {
    const table = await freshTable(lz);
    const props = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, i]));
    await table.createEntity({ partitionKey: 'p', rowKey: 'ok', ...props(252) });
    expect(await errorOf(table.createEntity({ partitionKey: 'p', rowKey: 'bad', ...props(253) }))).toMatchObject({ statusCode: 400, code: 'TooManyProperties' });
  });

  it('refuses an entity over 1 MiB with EntityTooLarge', async () => {
    const table = await freshTable(lz);
    const big = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`s${i}`, 'x'.repeat(32 * 1024)]));
    expect(await errorOf(table.createEntity({ partitionKey: 'p', rowKey: 'r', ...big }))).toMatchObject({ statusCode: 400, code: 'EntityTooLarge' });
  });

  it('refuses a string over 32K characters with PropertyValueTooLarge', async () => {
    const table = await freshTable(lz);
    expect(await errorOf(table.createEntity({ partitionKey: 'p', rowKey: 'r', s: 'x'.repeat(32 * 1024 + 1) }))).toMatchObject({ statusCode: 400, code: 'PropertyValueTooLarge' });
  });

  it('refuses a property name over 255 characters with PropertyNameTooLong', async () => {
    const table = await freshTable(lz);
    expect(await errorOf(table.createEntity({ partitionKey: 'p', rowKey: 'r', ['n'.repeat(256)]: 1 }))).toMatchObject({ statusCode: 400, code: 'PropertyNameTooLong' });
  });

  it.each(['has-dash', '1leading', 'sp ace'])('refuses the property name %j with PropertyNameInvalid', async (name) => {
    const table = await freshTable(lz);
    expect(await errorOf(table.createEntity({ partitionKey: 'p', rowKey: 'r', [name]: 1 }))).toMatchObject({ statusCode: 400, code: 'PropertyNameInvalid' });
  });

  it('refuses a value that does not fit its declared type with InvalidInput', async () => {
    const table = await freshTable(lz);
    for (const value of [{ type: 'Int32', value: '2147483648' }, { type: 'Int64', value: 'abc' }, { type: 'Guid', value: 'nope' }, { type: 'DateTime', value: 'soon' }, { type: 'Boolean', value: 'yes' }] as const) {
      expect(await errorOf(table.createEntity({ partitionKey: 'p', rowKey: 'r', v: value }))).toMatchObject({ statusCode: 400, code: 'InvalidInput' });
    }
  });

  it.each([
    ['not JSON', '{"PartitionKey":'],
    ['a nested object', '{"PartitionKey":"p","RowKey":"r","o":{"a":1}}'],
    ['an array', '[1,2]'],
  ])('answers 400 InvalidInput for a body that is %s', async (_, body) => {
    const table = await freshTable(lz);
    const response = await signedFetch(lz, 'POST', table.tableName, { headers: { 'Content-Type': 'application/json', Accept: 'application/json;odata=nometadata' }, body });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ms-error-code')).toBe('InvalidInput');
  });

  it('answers 400 DuplicatePropertiesSpecified for a property sent twice', async () => {
    const table = await freshTable(lz);
    const response = await signedFetch(lz, 'POST', table.tableName, { headers: { 'Content-Type': 'application/json' }, body: '{"PartitionKey":"p","RowKey":"r","a":1,"a":2}' });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ms-error-code')).toBe('DuplicatePropertiesSpecified');
  });

  it('answers 400 PropertiesNeedValue for an entity without a RowKey', async () => {
    const table = await freshTable(lz);
    const response = await signedFetch(lz, 'POST', table.tableName, { headers: { 'Content-Type': 'application/json' }, body: '{"PartitionKey":"p"}' });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ms-error-code')).toBe('PropertiesNeedValue');
  });

  it.each(['0', '1001', 'many'])('answers 400 InvalidInput for $top=%s', async (top) => {
    const table = await freshTable(lz);
    const response = await signedFetch(lz, 'GET', `${table.tableName}()?$top=${top}`, { headers: { Accept: 'application/json;odata=nometadata' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ms-error-code')).toBe('InvalidInput');
  });
});
