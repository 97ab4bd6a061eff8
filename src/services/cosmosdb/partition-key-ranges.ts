import { effectivePartitionKey, encodeNumber } from './effective-partition-key.js';
import { badRequest, CosmosError } from './errors.js';
import { keyText, type PartitionKeyDefinition, type PartitionKeyValues } from './partition-key.js';
import type { Throughput } from './store.js';

/** The most RU/s one physical partition serves: a container provisioned above it starts with one partition per 10,000 RU/s. */
const RU_PER_PARTITION = 10_000;

/** The EPK space: '' below every key, 'FF' above every key. */
const MIN_EPK = '';
const MAX_EPK = 'FF';

const EPK = /^[0-9A-F]*$/;

export interface PartitionKeyRange {
  id: string;
  minInclusive: string;
  maxExclusive: string;
}

/** How many physical partitions (partition key ranges) a container created with this throughput gets; shared database throughput gives one. */
export function partitionsFor(throughput: Throughput | undefined): number {
  const ru = throughput?.autoscaleMax ?? throughput?.manual ?? 0;
  return Math.max(1, Math.ceil(ru / RU_PER_PARTITION));
}

/**
 * `count` ranges splitting the EPK space evenly: V2 hashes (and the first
 * hash of a hierarchical key) are 128-bit numbers below 2^126; a V1 EPK
 * starts with its 32-bit hash in the order-preserving number encoding.
 */
export function partitionKeyRanges(definition: PartitionKeyDefinition, count: number): PartitionKeyRange[] {
  const bounds = [MIN_EPK];
  for (let i = 1; i < count; i++) {
    const bound = definition.kind !== 'MultiHash' && definition.version === 1
      ? encodeNumber(Math.floor((i * 2 ** 32) / count)).toString('hex').toUpperCase()
      : ((BigInt(i) << 126n) / BigInt(count)).toString(16).toUpperCase().padStart(32, '0');
    bounds.push(bound);
  }
  bounds.push(MAX_EPK);
  return bounds.slice(0, -1).map((min, i) => ({ id: String(i), minInclusive: min, maxExclusive: bounds[i + 1]! }));
}

/** What a feed request needs of its container to be restricted to a range. */
export interface RangedContainer {
  partitionKey: PartitionKeyDefinition;
  partitionCount: number;
}

/**
 * The part of a container a query, read feed or change feed request asks
 * for: the partition key range the SDK addressed
 * (`x-ms-documentdb-partitionkeyrangeid`), narrowed to a feed range by
 * `x-ms-start-epk` / `x-ms-end-epk`. A filter on partition key values, or
 * undefined when the request covers the whole container.
 */
export function rangeScope(container: RangedContainer, header: (name: string) => string | undefined): ((key: PartitionKeyValues) => boolean) | undefined {
  let min = MIN_EPK;
  let max = MAX_EPK;
  const rangeId = header('x-ms-documentdb-partitionkeyrangeid');
  if (rangeId !== undefined) {
    // The SDK sends the range id; other clients "<collection rid>,<range id>".
    const id = rangeId.slice(rangeId.lastIndexOf(',') + 1);
    const range = partitionKeyRanges(container.partitionKey, container.partitionCount).find((r) => r.id === id);
    if (!range) {
      throw new CosmosError('Gone', `The partition key range ${id} does not exist in this container: read its partition key ranges (pkranges) again.`, { status: 410, subStatus: 1002 });
    }
    min = range.minInclusive;
    max = range.maxExclusive;
  }
  const start = header('x-ms-start-epk');
  const end = header('x-ms-end-epk');
  if (start !== undefined || end !== undefined) {
    if (start === undefined || end === undefined) throw badRequest('A feed range needs both x-ms-start-epk and x-ms-end-epk.');
    if (!EPK.test(start) || !EPK.test(end) || start >= end) {
      throw badRequest(`The feed range [${start}, ${end}) is not a range of effective partition keys: both ends are upper-case hex and the start is below the end.`);
    }
    if (start > min) min = start;
    if (end < max) max = end;
  }
  if (min === MIN_EPK && max === MAX_EPK) return undefined;
  // Items of one logical partition share their EPK: hash each partition once per request.
  const seen = new Map<string, boolean>();
  return (key) => {
    const text = keyText(key);
    let inside = seen.get(text);
    if (inside === undefined) {
      const epk = effectivePartitionKey(container.partitionKey, key);
      seen.set(text, (inside = epk >= min && epk < max));
    }
    return inside;
  };
}
