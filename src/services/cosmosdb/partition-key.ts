import { badRequest } from './errors.js';
import { isObject } from './query/values.js';

export interface PartitionKeyDefinition {
  paths: string[];
  kind: 'Hash' | 'MultiHash' | string;
  version?: number;
  systemKey?: boolean;
}

/** One value per partition key path; `undefined` where the item lacks the property (the SDK's `{}`). */
export type PartitionKeyValues = unknown[];

const PATH = /^(\/[^/]+)+$/;

/** A container's partition key definition as given, checked: new containers must name their partition key paths, as in Azure. */
export function checkDefinition(value: unknown): PartitionKeyDefinition {
  if (!isObject(value) || !Array.isArray(value.paths) || value.paths.length === 0) {
    throw badRequest('The partition key definition is missing or invalid: give partitionKey { paths: ["/yourKey"] }.');
  }
  const paths = value.paths as unknown[];
  if (!paths.every((p) => typeof p === 'string' && PATH.test(p))) throw badRequest(`Partition key paths must look like "/property" or "/a/b", got ${JSON.stringify(paths)}.`);
  const kind = typeof value.kind === 'string' ? value.kind : paths.length > 1 ? 'MultiHash' : 'Hash';
  // Anything else would be hashed as one of these without a word, putting items in other ranges than Azure does.
  if (kind !== 'Hash' && kind !== 'MultiHash') throw badRequest(`Partition key kind "${kind}" is not supported: use Hash, or MultiHash for a hierarchical key.`);
  if (value.version != null && value.version !== 1 && value.version !== 2) throw badRequest(`Partition key version ${JSON.stringify(value.version)} is not supported: use 1 or 2.`);
  if (paths.length > 1 && kind !== 'MultiHash') throw badRequest('A partition key with several paths (hierarchical) must be of kind MultiHash.');
  if (paths.length > 3) throw badRequest('A hierarchical partition key has at most 3 paths.');
  return { ...value, paths: paths as string[], kind, version: typeof value.version === 'number' ? value.version : 2 };
}

/** The property names along a key path: `/a/"b c"` is `a`, then `b c`. */
export function keyPathNames(path: string): string[] {
  return path.slice(1).split('/').map((part) => (part.startsWith('"') && part.endsWith('"') ? part.slice(1, -1) : part));
}

/** The partition key values of a document, read along the definition's paths. */
export function extractKey(definition: PartitionKeyDefinition, body: Record<string, unknown>): PartitionKeyValues {
  return definition.paths.map((path) => {
    let value: unknown = body;
    for (const name of keyPathNames(path)) value = isObject(value) && Object.hasOwn(value, name) ? value[name] : undefined;
    return value;
  });
}

/**
 * The values of an `x-ms-documentdb-partitionkey` header: a JSON array, `{}`
 * standing for "none" (undefined). Undefined when the header is absent.
 */
export function parseKeyHeader(header: string | undefined): PartitionKeyValues | undefined {
  if (header === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    throw badRequest(`The partition key header ${header} is not valid JSON: send a JSON array such as ["value"].`);
  }
  if (!Array.isArray(parsed)) throw badRequest(`The partition key header ${header} must be a JSON array such as ["value"].`);
  // JSON.parse reads 1e400 as Infinity, which keyText would write as null: another partition than the one named.
  if (parsed.some((v) => typeof v === 'number' && !Number.isFinite(v))) throw badRequest(`The partition key header ${header} has a number too large for a double.`);
  return parsed.map((v) => (isObject(v) && Object.keys(v).length === 0 ? undefined : v));
}

/** A string that is equal for equal keys: the logical partition an item lives in. */
export function keyText(values: PartitionKeyValues): string {
  return JSON.stringify(values.map((v) => (v === undefined ? {} : v)));
}

/** Whether a key given in a header names the same partition as the document's own. */
export function sameKey(a: PartitionKeyValues, b: PartitionKeyValues): boolean {
  return keyText(a) === keyText(b);
}

/** Checks a partition key value type: strings, numbers, booleans, null or none. */
export function checkKeyValues(definition: PartitionKeyDefinition, values: PartitionKeyValues): void {
  if (values.length !== definition.paths.length) {
    throw badRequest(`Partition key provided either doesn't correspond to definition in the collection or doesn't match partition key field values specified in the document: the container's partition key has ${definition.paths.length} path(s), the request gave ${values.length} value(s).`);
  }
  checkValueTypes(values);
}

/** Checks the value types alone, for a hierarchical key's prefix (a query or change feed over several logical partitions). */
export function checkValueTypes(values: PartitionKeyValues): void {
  for (const v of values) {
    if (v !== undefined && v !== null && !['string', 'number', 'boolean'].includes(typeof v)) {
      throw badRequest(`A partition key value must be a string, number, boolean or null, got ${JSON.stringify(v)}.`);
    }
  }
}
