import { BulkOperationType, type OperationInput } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { freshContainer, useCosmos } from './support.js';

const cosmos = useCosmos();

describe('transactional batch', () => {
  it('runs every operation and reports each status', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'old', pk: 'p', n: 1 });
    const operations: OperationInput[] = [
      { operationType: BulkOperationType.Create, resourceBody: { id: 'a', pk: 'p' } },
      { operationType: BulkOperationType.Upsert, resourceBody: { id: 'b', pk: 'p' } },
      { operationType: BulkOperationType.Read, id: 'old' },
      { operationType: BulkOperationType.Replace, id: 'old', resourceBody: { id: 'old', pk: 'p', n: 2 } },
      { operationType: BulkOperationType.Patch, id: 'old', resourceBody: { operations: [{ op: 'incr', path: '/n', value: 1 }] } },
      { operationType: BulkOperationType.Delete, id: 'b' },
    ];
    const response = await container.items.batch(operations, 'p');
    expect(response.code).toBe(200);
    expect(response.result!.map((r) => r.statusCode)).toEqual([201, 201, 200, 200, 200, 204]);
    expect((await container.item('old', 'p').read()).resource.n).toBe(3);
  });

  it('rolls everything back when one operation fails, reporting 424 for the others', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'taken', pk: 'p' });
    const response = await container.items.batch(
      [
        { operationType: BulkOperationType.Create, resourceBody: { id: 'new', pk: 'p' } },
        { operationType: BulkOperationType.Create, resourceBody: { id: 'taken', pk: 'p' } },
        { operationType: BulkOperationType.Create, resourceBody: { id: 'later', pk: 'p' } },
      ],
      'p',
    );
    expect(response.code).toBe(207);
    expect(response.result!.map((r) => r.statusCode)).toEqual([424, 409, 424]);
    expect((await container.item('new', 'p').read()).statusCode).toBe(404);
    expect((await container.item('later', 'p').read()).statusCode).toBe(404);
  });

  it('rolls back replaced and deleted items too', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p', n: 1 });
    await container.items.create({ id: 'b', pk: 'p', n: 1 });
    await container.items.batch(
      [
        { operationType: BulkOperationType.Replace, id: 'a', resourceBody: { id: 'a', pk: 'p', n: 2 } },
        { operationType: BulkOperationType.Delete, id: 'b' },
        { operationType: BulkOperationType.Read, id: 'missing' },
      ],
      'p',
    );
    expect((await container.item('a', 'p').read()).resource.n).toBe(1);
    expect((await container.item('b', 'p').read()).statusCode).toBe(200);
  });

  it('leaves the order of a plain listing as it was when it rolls back', async () => {
    const container = await freshContainer(cosmos);
    for (const id of ['a', 'b', 'c']) await container.items.create({ id, pk: 'p' });
    // A plain query lists items in write order; a write that is rolled back must not count as one.
    await container.items.batch(
      [
        { operationType: BulkOperationType.Replace, id: 'a', resourceBody: { id: 'a', pk: 'p', n: 2 } },
        { operationType: BulkOperationType.Read, id: 'missing' },
      ],
      'p',
    );
    const { resources } = await container.items.query<string>('SELECT VALUE c.id FROM c').fetchAll();
    expect(resources).toEqual(['a', 'b', 'c']);
  });

  it('refuses an operation in another logical partition', async () => {
    const container = await freshContainer(cosmos);
    const response = await container.items.batch([{ operationType: BulkOperationType.Create, resourceBody: { id: 'a', pk: 'other' } }], 'p');
    expect(response.result![0]!.statusCode).toBe(400);
    expect((await container.item('a', 'other').read()).statusCode).toBe(404);
  });

  it('refuses more than 100 operations', async () => {
    const container = await freshContainer(cosmos);
    const operations: OperationInput[] = Array.from({ length: 101 }, (_, i) => ({ operationType: BulkOperationType.Create, resourceBody: { id: `i${i}`, pk: 'p' } }));
    await expect(container.items.batch(operations, 'p')).rejects.toThrow();
  });

  it('honours ifMatch in a batch operation', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p' });
    const response = await container.items.batch([{ operationType: BulkOperationType.Replace, id: 'a', resourceBody: { id: 'a', pk: 'p' }, ifMatch: '"stale"' }], 'p');
    expect(response.result![0]!.statusCode).toBe(412);
  });
});

describe('bulk', () => {
  it('runs many operations across partitions with executeBulkOperations', async () => {
    const container = await freshContainer(cosmos);
    const operations = Array.from({ length: 150 }, (_, i) => ({ operationType: BulkOperationType.Create, partitionKey: `p${i % 7}`, resourceBody: { id: `i${i}`, pk: `p${i % 7}` } }));
    const results = await container.items.executeBulkOperations(operations);
    expect(results.every((r) => r.response?.statusCode === 201)).toBe(true);
    const { resources } = await container.items.query('SELECT VALUE COUNT(1) FROM c').fetchAll();
    expect(resources).toEqual([150]);
  });

  it('reports a failing bulk operation without stopping the others', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'taken', pk: 'p' });
    const results = await container.items.executeBulkOperations([
      { operationType: BulkOperationType.Create, partitionKey: 'p', resourceBody: { id: 'taken', pk: 'p' } },
      { operationType: BulkOperationType.Create, partitionKey: 'p', resourceBody: { id: 'fresh', pk: 'p' } },
      { operationType: BulkOperationType.Delete, id: 'nope', partitionKey: 'p' },
    ]);
    expect(results.map((r) => r.response?.statusCode ?? r.error?.code)).toEqual([409, 201, 404]);
  });

  it('upserts, reads, replaces, patches and deletes in bulk', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'a', pk: 'p', n: 1 });
    const results = await container.items.executeBulkOperations([
      { operationType: BulkOperationType.Upsert, partitionKey: 'p', resourceBody: { id: 'b', pk: 'p' } },
      { operationType: BulkOperationType.Read, id: 'a', partitionKey: 'p' },
      { operationType: BulkOperationType.Replace, id: 'a', partitionKey: 'p', resourceBody: { id: 'a', pk: 'p', n: 2 } },
      { operationType: BulkOperationType.Patch, id: 'a', partitionKey: 'p', resourceBody: { operations: [{ op: 'incr', path: '/n', value: 1 }] } },
      { operationType: BulkOperationType.Delete, id: 'b', partitionKey: 'p' },
    ]);
    expect(results.map((r) => r.response?.statusCode ?? r.error?.code)).toEqual([201, 200, 200, 200, 204]);
    expect((await container.item('a', 'p').read()).resource.n).toBe(3);
  });
});

describe('bulk that stops at the first failure', () => {
  it('reports what it never ran as 424 when continueOnError is false', async () => {
    const container = await freshContainer(cosmos);
    await container.items.create({ id: 'taken', pk: 'p' });
    const results = await container.items.bulk(
      [
        { operationType: BulkOperationType.Create, partitionKey: 'p', resourceBody: { id: 'taken', pk: 'p' } },
        { operationType: BulkOperationType.Create, partitionKey: 'p', resourceBody: { id: 'never', pk: 'p' } },
      ],
      { continueOnError: false },
    );
    expect(results.map((r) => r.statusCode)).toEqual([409, 424]);
    expect((await container.item('never', 'p').read()).statusCode).toBe(404);
  });
});
