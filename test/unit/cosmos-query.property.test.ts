import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CosmosError } from '../../src/services/cosmosdb/errors.js';
import { runQuery } from '../../src/services/cosmosdb/query/execute.js';

const DOCS = [
  { id: '1', a: 1, s: 'x', arr: [1, 2, { b: null }], o: { p: [true] } },
  { id: '2', a: '1', arr: [], n: null },
];

// Fragments of the grammar and of what breaks it, mixed at random.
const PIECES = ['SELECT', 'VALUE', 'DISTINCT', 'TOP 2', '*', 'c', 'c.a', 'c.arr[0]', 'c["s"]', 'FROM', 'c', 'JOIN', 't IN c.arr', 'WHERE', 'GROUP BY', 'ORDER BY', 'OFFSET 1 LIMIT 1', 'AND', 'OR', 'NOT', '=', '!=', '<', '+', '||', '??', '?', ':', '(', ')', '[', ']', '{', '}', ',', '.', "'x'", '"y"', '1', '-2.5e3', 'null', 'true', 'undefined', '@p', 'COUNT(1)', 'SUM(c.a)', 'UPPER(c.s)', 'IS_DEFINED(c.n)', 'ARRAY_CONTAINS(c.arr, 1)', 'EXISTS(SELECT VALUE t FROM t IN c.arr)', 'LIKE', "'%x'", 'IN', 'BETWEEN', 'udf.f(1)', 'NOSUCH(1)', '\\', '#', '@'];

function outcome(text: string): 'ok' | 'refused' {
  try {
    runQuery({ query: text, parameters: [{ name: '@p', value: 1 }] }, DOCS, 0);
    return 'ok';
  } catch (error) {
    if (error instanceof CosmosError && error.status === 400) return 'refused';
    throw error;
  }
}

describe('the Cosmos DB query engine on arbitrary text', () => {
  it('answers or refuses with 400, never crashes', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }), (pieces) => {
        expect(['ok', 'refused']).toContain(outcome(pieces.join(' ')));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers or refuses random characters with 400', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (text) => {
      expect(['ok', 'refused']).toContain(outcome(`SELECT ${text} FROM c`));
    }), { numRuns: 2000 });
  });

  it('refuses nesting deep enough to exhaust the stack with 400', () => {
    expect(outcome(`SELECT VALUE ${'('.repeat(5000)}1${')'.repeat(5000)}`)).toBe('refused');
    expect(outcome(`SELECT VALUE ${Array(20000).fill('1').join(' + ')}`)).toBe('refused');
    expect(outcome(`SELECT VALUE c${'.a'.repeat(20000)} FROM c`)).toBe('refused');
    expect(outcome(`SELECT VALUE ${'-'.repeat(5000)}1`)).toBe('refused');
    expect(outcome(`SELECT VALUE ${'['.repeat(3000)}${']'.repeat(3000)}`)).toBe('refused');
  });

  it('refuses query text over 256 KiB with 400', () => {
    expect(outcome(`SELECT VALUE '${'x'.repeat(262_144)}'`)).toBe('refused');
  });
});
