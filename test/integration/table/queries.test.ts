import { odata, type TableClient } from '@azure/data-tables';
import { beforeAll, describe, expect, it } from 'vitest';
import { all, errorOf, freshTable, useTableService } from './support.js';

describe('queries', () => {
  const lz = useTableService();
  let table: TableClient;
  const birthday = new Date('2000-01-02T03:04:05.000Z');

  beforeAll(async () => {
    table = await freshTable(lz);
    // Inserted out of order: listings must come back sorted by PartitionKey, then RowKey.
    for (const [pk, rk, age] of [['b', '2', 30], ['a', '2', 20], ['b', '1', 40], ['a', '1', 10], ['c', '1', 50]] as const) {
      await table.createEntity({ partitionKey: pk, rowKey: rk, age, name: `${pk}${rk}`, big: BigInt(age) * 1_000_000_000_000n, born: new Date(birthday.getTime() + age * 86_400_000), active: age >= 30 });
    }
  });

  const keysOf = (entities: Array<{ partitionKey?: string; rowKey?: string }>) => entities.map((e) => `${e.partitionKey}${e.rowKey}`);

  it('lists entities in PartitionKey then RowKey order', async () => {
    expect(keysOf(await all(table.listEntities()))).toEqual(['a1', 'a2', 'b1', 'b2', 'c1']);
  });

  it.each([
    ["PartitionKey eq 'b'", ['b1', 'b2']],
    ['age gt 20 and age le 40', ['b1', 'b2']],
    ["not (PartitionKey eq 'a') and age lt 50", ['b1', 'b2']],
    ["RowKey eq '1' or name eq 'a2'", ['a1', 'a2', 'b1', 'c1']],
    ['big ge 30000000000000L', ['b1', 'b2', 'c1']],
    ['active eq true', ['b1', 'b2', 'c1']],
    ['active', ['b1', 'b2', 'c1']],
    ["born lt datetime'2000-01-25T00:00:00Z'", ['a1', 'a2']],
    ["name ne 'c1'", ['a1', 'a2', 'b1', 'b2']],
    ['missing eq 1', []],
    ["age eq '10'", []],
  ])('filters with %s', async (filter, expected) => {
    expect(keysOf(await all(table.listEntities({ queryOptions: { filter } })))).toEqual(expected);
  });

  it('accepts filters built with the odata helper', async () => {
    const filter = odata`PartitionKey eq ${'a'} and born ge ${new Date(birthday.getTime() + 15 * 86_400_000)}`;
    expect(keysOf(await all(table.listEntities({ queryOptions: { filter } })))).toEqual(['a2']);
  });

  it('returns only the selected properties', async () => {
    const [first] = await all(table.listEntities({ queryOptions: { filter: "PartitionKey eq 'a'", select: ['name'] } }));
    expect(first).toMatchObject({ name: 'a1' });
    expect(first!.age).toBeUndefined();
  });

  it('pages with continuation tokens, every entity exactly once', async () => {
    const pages: string[][] = [];
    for await (const page of table.listEntities().byPage({ maxPageSize: 2 })) pages.push(keysOf(page));
    expect(pages).toEqual([['a1', 'a2'], ['b1', 'b2'], ['c1']]);
  });

  it('resumes from a continuation token handed back by the SDK', async () => {
    const firstPage = await table.listEntities().byPage({ maxPageSize: 3 }).next();
    const token = firstPage.value.continuationToken as string;
    const rest = await table.listEntities().byPage({ maxPageSize: 3, continuationToken: token }).next();
    expect(keysOf(rest.value)).toEqual(['b2', 'c1']);
  });

  it.each(["PartitionKey eq 'a", 'age gt', 'age gt 1 and', '(age gt 1', "age eq 1 'x'", 'age === 1', "PartitionKey eq guid'nope'", "born eq datetime'yesterday'", "'x'", '12', 'age eq 99999999999999999999999'])(
    'answers 400 InvalidInput for the malformed filter %j',
    async (filter) => {
      const error = await errorOf(all(table.listEntities({ queryOptions: { filter } })));
      expect(error).toMatchObject({ statusCode: 400, code: 'InvalidInput' });
    },
  );

  it('still serves requests after a malformed filter', async () => {
    await errorOf(all(table.listEntities({ queryOptions: { filter: '((((' } })));
    expect(keysOf(await all(table.listEntities({ queryOptions: { filter: "PartitionKey eq 'c'" } })))).toEqual(['c1']);
  });

  it('answers 404 TableNotFound when querying a missing table', async () => {
    const error = await errorOf(all(lz.tableClient('nosuchtable1').listEntities()));
    expect(error).toMatchObject({ statusCode: 404, code: 'TableNotFound' });
  });
});
