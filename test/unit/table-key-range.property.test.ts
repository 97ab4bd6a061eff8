import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateFilter } from '../../src/services/table/filter/evaluate.js';
import { parseFilter } from '../../src/services/table/filter/parser.js';
import { entityKey, filterKeyRange } from '../../src/services/table/key-range.js';

const key = fc.constantFrom('', 'a', 'ab', 'b', 'b~', 'ba', 'c');
const op = fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le');
const comparison = fc
  .tuple(fc.constantFrom('PartitionKey', 'RowKey', 'Other'), op, key, fc.boolean())
  .map(([name, o, value, flipped]) => (flipped ? `'${value}' ${o} ${name}` : `${name} ${o} '${value}'`));
// Key comparisons joined by `and` (what narrows), now and then under `or`/`not` (what must not).
const filter = fc.oneof(
  fc.array(comparison, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(' and ')),
  fc.tuple(comparison, comparison, comparison).map(([a, b, c]) => `${a} and (${b} or ${c})`),
  fc.tuple(comparison, comparison).map(([a, b]) => `not (${a}) and ${b}`),
);

const within = (k: string, range: { from?: string; to?: string }) => (range.from === undefined || k >= range.from) && (range.to === undefined || k < range.to);

describe('filterKeyRange', () => {
  it('never leaves out an entity the filter matches', () => {
    fc.assert(
      fc.property(filter, fc.array(fc.tuple(key, key), { maxLength: 30 }), (text, entities) => {
        const tree = parseFilter(text);
        const range = filterKeyRange(tree);
        for (const [partitionKey, rowKey] of entities) {
          const lookup = (name: string) =>
            name === 'PartitionKey' ? { type: 'Edm.String' as const, value: partitionKey } : name === 'RowKey' ? { type: 'Edm.String' as const, value: rowKey } : undefined;
          if (evaluateFilter(tree, lookup)) expect(within(entityKey({ partitionKey, rowKey }), range)).toBe(true);
        }
      }),
    );
  });

  it('reads one key for a point query and one partition for a partition query', () => {
    const keys = ['a', 'ab', 'b'].flatMap((partitionKey) => ['', 'r', 'r1', 's'].map((rowKey) => ({ partitionKey, rowKey })));
    const read = (text: string) => keys.filter((k) => within(entityKey(k), filterKeyRange(parseFilter(text)))).map((k) => `${k.partitionKey}/${k.rowKey}`);

    expect(read("PartitionKey eq 'a' and RowKey eq 'r'")).toEqual(['a/r']);
    expect(read("PartitionKey eq 'a'")).toEqual(['a/', 'a/r', 'a/r1', 'a/s']);
    expect(read("RowKey gt 'r' and PartitionKey eq 'ab'")).toEqual(['ab/r1', 'ab/s']);
  });
});
