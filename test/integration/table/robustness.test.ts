import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freshTable, signedFetch, useTableService } from './support.js';

describe('robustness', () => {
  const lz = useTableService();

  it('answers hostile paths, filters and bodies with a 4xx, never a 5xx', async () => {
    const table = await freshTable(lz);
    const anyText = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: fc.constantFrom(...`{}[]"':,()\\/%=&?$ aeqnotTablesPartitionKeyRowKey0123456789.-`.split('')), maxLength: 60 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'MERGE', 'DELETE'), anyText, anyText, anyText, async (method, path, filter, body) => {
        const target = `${table.tableName}${encodeURI(path).replace(/#/g, '%23')}?$filter=${encodeURIComponent(filter)}`;
        const response = await signedFetch(lz, method, target, {
          headers: { 'Content-Type': 'application/json', Accept: 'application/json;odata=nometadata', 'If-Match': '*' },
          body: method === 'GET' || method === 'DELETE' ? undefined : body,
        });
        await response.arrayBuffer();
        expect(response.status, `${method} ${target} ${body}`).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });
});
