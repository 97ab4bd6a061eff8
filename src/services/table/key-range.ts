import type { EntityKeys } from './entity.js';
import type { ComparisonOperator, FilterNode } from './filter/parser.js';

// Keys hold no control characters (entity.ts refuses them), so joined with
// U+0000 they order exactly as (PartitionKey, RowKey) do, and U+0001 sorts
// after every key of a partition and before the next partition's.
const JOIN = '\u0000';
const PAST_PARTITION = '\u0001';

/** One string per entity that orders as its (PartitionKey, RowKey). */
export function entityKey(keys: EntityKeys): string {
  return `${keys.partitionKey}${JOIN}${keys.rowKey}`;
}

/** A stretch of entity keys (as {@link entityKey} spells them): `from` inclusive, `to` exclusive. */
export interface KeyRange {
  from?: string;
  to?: string;
}

interface Bounds {
  low?: { value: string; inclusive: boolean };
  high?: { value: string; inclusive: boolean };
}

/**
 * The keys a filter can match, from the `PartitionKey`/`RowKey`
 * comparisons it requires (those joined by `and` at its top): a point
 * query reads one entity, a partition query one partition. Anything else
 * in the filter is left to the filter itself, so the range only narrows
 * what is read, never what matches.
 */
export function filterKeyRange(filter: FilterNode | undefined): KeyRange {
  const partition: Bounds = {};
  const row: Bounds = {};
  for (const { name, op, value } of keyComparisons(filter)) narrow(name === 'PartitionKey' ? partition : row, op, value);
  const { low, high } = partition;
  if (low && high && low.inclusive && high.inclusive && low.value === high.value) {
    const prefix = low.value + JOIN;
    return {
      from: row.low ? prefix + row.low.value + (row.low.inclusive ? '' : JOIN) : prefix,
      to: row.high ? prefix + row.high.value + (row.high.inclusive ? JOIN : '') : low.value + PAST_PARTITION,
    };
  }
  return {
    ...(low ? { from: low.value + (low.inclusive ? JOIN : PAST_PARTITION) } : {}),
    ...(high ? { to: high.value + (high.inclusive ? PAST_PARTITION : JOIN) } : {}),
  };
}

const FLIPPED: Record<ComparisonOperator, ComparisonOperator> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

function* keyComparisons(node: FilterNode | undefined): Generator<{ name: 'PartitionKey' | 'RowKey'; op: ComparisonOperator; value: string }> {
  if (node?.kind === 'and') {
    yield* keyComparisons(node.left);
    yield* keyComparisons(node.right);
    return;
  }
  if (node?.kind !== 'compare') return;
  const [property, literal, op] = node.left.kind === 'property' ? [node.left, node.right, node.op] : [node.right, node.left, FLIPPED[node.op]];
  if (property.kind !== 'property' || literal.kind !== 'literal' || literal.value.type !== 'Edm.String') return;
  if (property.name === 'PartitionKey' || property.name === 'RowKey') yield { name: property.name, op, value: literal.value.value };
}

function narrow(bounds: Bounds, op: ComparisonOperator, value: string): void {
  const low = { value, inclusive: op !== 'gt' };
  const high = { value, inclusive: op !== 'lt' };
  if (op === 'eq' || op === 'gt' || op === 'ge') {
    const current = bounds.low;
    if (!current || value > current.value || (value === current.value && !low.inclusive)) bounds.low = low;
  }
  if (op === 'eq' || op === 'lt' || op === 'le') {
    const current = bounds.high;
    if (!current || value < current.value || (value === current.value && !high.inclusive)) bounds.high = high;
  }
}
