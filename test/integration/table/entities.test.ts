import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { errorOf, freshTable, uniqueTable, useTableService } from './support.js';

describe('entities', () => {
  const lz = useTableService();

  it('keeps every Edm type exactly through a create and a get', async () => {
    const table = await freshTable(lz);
    const when = new Date('2024-02-29T12:34:56.789Z');
    const guid = randomUUID();
    await table.createEntity({
      partitionKey: 'p',
      rowKey: 'types',
      text: 'héllo',
      int32: 42,
      int64: 9007199254740993n,
      double: 2.5,
      wholeDouble: { type: 'Double', value: '3' },
      flag: true,
      when,
      id: { type: 'Guid', value: guid },
      bytes: new Uint8Array([0, 1, 254, 255]),
    });
    const entity = await table.getEntity('p', 'types');
    expect(entity).toMatchObject({
      text: 'héllo',
      int32: 42,
      int64: 9007199254740993n,
      double: 2.5,
      wholeDouble: 3,
      flag: true,
      when,
      id: { type: 'Guid', value: guid },
    });
    expect([...(entity.bytes as Uint8Array)]).toEqual([0, 1, 254, 255]);
  });

  it('reports the stored types when type conversion is off', async () => {
    const table = await freshTable(lz);
    await table.createEntity({ partitionKey: 'p', rowKey: 'r', n: 7, d: 7.25, big: { type: 'Int64', value: '-12' }, s: '7' });
    const entity = await table.getEntity('p', 'r', { disableTypeConversion: true });
    expect(entity).toMatchObject({
      n: { type: 'Int32', value: '7' },
      d: { type: 'Double', value: '7.25' },
      big: { type: 'Int64', value: '-12' },
      s: { type: 'String', value: '7' },
    });
  });

  it('answers 409 EntityAlreadyExists when creating an entity twice', async () => {
    const table = await freshTable(lz);
    await table.createEntity({ partitionKey: 'p', rowKey: 'r' });
    expect(await errorOf(table.createEntity({ partitionKey: 'p', rowKey: 'r' }))).toMatchObject({ statusCode: 409, code: 'EntityAlreadyExists' });
  });

  it('answers 404 ResourceNotFound for a missing entity', async () => {
    const table = await freshTable(lz);
    expect(await errorOf(table.getEntity('p', 'missing'))).toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
  });

  it('answers 404 TableNotFound when the table does not exist', async () => {
    const table = lz.tableClient(uniqueTable());
    expect(await errorOf(table.createEntity({ partitionKey: 'p', rowKey: 'r' }))).toMatchObject({ statusCode: 404, code: 'TableNotFound' });
  });

  it('replaces all properties on a Replace update', async () => {
    const table = await freshTable(lz);
    await table.createEntity({ partitionKey: 'p', rowKey: 'r', a: 1, b: 2 });
    await table.updateEntity({ partitionKey: 'p', rowKey: 'r', b: 3 }, 'Replace');
    const entity = await table.getEntity('p', 'r');
    expect(entity.a).toBeUndefined();
    expect(entity.b).toBe(3);
  });

  it('keeps other properties on a Merge update', async () => {
    const table = await freshTable(lz);
    await table.createEntity({ partitionKey: 'p', rowKey: 'r', a: 1, b: 2 });
    await table.updateEntity({ partitionKey: 'p', rowKey: 'r', b: 3 }, 'Merge');
    expect(await table.getEntity('p', 'r')).toMatchObject({ a: 1, b: 3 });
  });

  it('updates when If-Match carries the current ETag', async () => {
    const table = await freshTable(lz);
    const { etag } = await table.createEntity({ partitionKey: 'p', rowKey: 'r', v: 1 });
    await table.updateEntity({ partitionKey: 'p', rowKey: 'r', v: 2 }, 'Merge', { etag });
    expect((await table.getEntity('p', 'r')).v).toBe(2);
  });

  it('answers 412 UpdateConditionNotSatisfied for a stale ETag', async () => {
    const table = await freshTable(lz);
    const { etag } = await table.createEntity({ partitionKey: 'p', rowKey: 'r', v: 1 });
    await table.updateEntity({ partitionKey: 'p', rowKey: 'r', v: 2 }, 'Replace');
    const error = await errorOf(table.updateEntity({ partitionKey: 'p', rowKey: 'r', v: 3 }, 'Replace', { etag }));
    expect(error).toMatchObject({ statusCode: 412, code: 'UpdateConditionNotSatisfied' });
    expect((await table.getEntity('p', 'r')).v).toBe(2);
  });

  it('answers 404 ResourceNotFound when updating a missing entity with If-Match *', async () => {
    const table = await freshTable(lz);
    expect(await errorOf(table.updateEntity({ partitionKey: 'p', rowKey: 'nope', v: 1 }, 'Merge'))).toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
  });

  it.each(['Merge', 'Replace'] as const)('upserts (%s) a missing entity and then updates it', async (mode) => {
    const table = await freshTable(lz);
    await table.upsertEntity({ partitionKey: 'p', rowKey: 'r', a: 1 }, mode);
    await table.upsertEntity({ partitionKey: 'p', rowKey: 'r', b: 2 }, mode);
    const entity = await table.getEntity('p', 'r');
    expect(entity.b).toBe(2);
    expect(entity.a).toBe(mode === 'Merge' ? 1 : undefined);
  });

  it('deletes an entity', async () => {
    const table = await freshTable(lz);
    await table.createEntity({ partitionKey: 'p', rowKey: 'r' });
    await table.deleteEntity('p', 'r');
    expect((await errorOf(table.getEntity('p', 'r'))).statusCode).toBe(404);
  });

  it('refuses to delete with a stale ETag', async () => {
    const table = await freshTable(lz);
    const { etag } = await table.createEntity({ partitionKey: 'p', rowKey: 'r' });
    await table.updateEntity({ partitionKey: 'p', rowKey: 'r', x: 1 });
    expect(await errorOf(table.deleteEntity('p', 'r', { etag }))).toMatchObject({ statusCode: 412, code: 'UpdateConditionNotSatisfied' });
  });

  it('answers 404 ResourceNotFound when deleting a missing entity', async () => {
    const table = await freshTable(lz);
    expect(await errorOf(table.deleteEntity('p', 'missing'))).toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
  });

  it('gives every write a new weak datetime ETag and a Timestamp from the service clock', async () => {
    const table = await freshTable(lz);
    const first = await table.createEntity({ partitionKey: 'p', rowKey: 'r' });
    lz.clock.advance(86_400_000);
    const second = await table.updateEntity({ partitionKey: 'p', rowKey: 'r', v: 1 });
    expect(first.etag).toMatch(/^W\/"datetime'\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\d\.\d{7}Z'"$/);
    expect(second.etag).not.toBe(first.etag);
    const entity = await table.getEntity('p', 'r');
    expect(entity.etag).toBe(second.etag);
    expect(Math.abs(new Date(entity.timestamp!).getTime() - lz.clock.now())).toBeLessThan(5_000);
  });

  it.each([["quotes 'single'", 'row'], ['unicode ✓ ü', 'spaces and, commas)'], ['', '']])('round-trips the keys %j / %j', async (partitionKey, rowKey) => {
    const table = await freshTable(lz);
    await table.createEntity({ partitionKey, rowKey, v: 1 });
    expect(await table.getEntity(partitionKey, rowKey)).toMatchObject({ partitionKey, rowKey, v: 1 });
    await table.deleteEntity(partitionKey, rowKey);
  });

  it('returns only the selected properties of one entity', async () => {
    const table = await freshTable(lz);
    await table.createEntity({ partitionKey: 'p', rowKey: 'r', a: 1, b: 2 });
    const entity = await table.getEntity('p', 'r', { queryOptions: { select: ['b'] } });
    expect(entity.b).toBe(2);
    expect(entity.a).toBeUndefined();
  });

  it('stores a property named __proto__ as plain data', async () => {
    const table = await freshTable(lz);
    await table.createEntity({ partitionKey: 'p', rowKey: 'r', ['__proto__']: 'x', constructor: 'y' } as never);
    const entity = await table.getEntity('p', 'r', { disableTypeConversion: true });
    expect(Object.getOwnPropertyDescriptor(entity, 'constructor')?.value).toMatchObject({ value: 'y' });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
