/**
 * Cosmos DB's value rules: JSON values plus `undefined` (a missing
 * property), the cross-type order ORDER BY, MIN and MAX use, and equality
 * that is undefined across types.
 */

/** undefined < null < boolean < number < string < array < object. */
export function typeRank(value: unknown): number {
  if (value === undefined) return 0;
  if (value === null) return 1;
  switch (typeof value) {
    case 'boolean':
      return 2;
    case 'number':
      return 3;
    case 'string':
      return 4;
    default:
      return Array.isArray(value) ? 5 : 6;
  }
}

/** The total order of ORDER BY: by type rank first, then within the type; arrays and objects tie. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 2:
      return Number(a) - Number(b);
    case 3:
      return (a as number) - (b as number);
    case 4:
      return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
    default:
      return 0;
  }
}

/** Deep equality of two JSON values of the same type. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeRank(a) !== typeRank(b) || typeof a !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => sameValue(item, other[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((k) => left[k] !== undefined);
  return keys.length === Object.keys(right).filter((k) => right[k] !== undefined).length && keys.every((k) => sameValue(left[k], right[k]));
}

/** `=`: undefined when either side is undefined or the types differ. */
export function queryEquals(a: unknown, b: unknown): boolean | undefined {
  if (a === undefined || b === undefined || typeRank(a) !== typeRank(b)) return undefined;
  return sameValue(a, b);
}

/** `<`, `>` and the rest: undefined across types, for undefined, and between arrays or objects. */
export function queryCompare(a: unknown, b: unknown): number | undefined {
  const rank = typeRank(a);
  if (rank === 0 || rank !== typeRank(b) || rank >= 5) return undefined;
  return compareValues(a, b);
}

/** A canonical text for a value, so equal values (objects with keys in any order) share one key: DISTINCT and GROUP BY. */
export function valueKey(value: unknown): string {
  if (value === undefined) return 'u';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(valueKey).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${valueKey(record[k])}`).join(',')}}`;
}

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The values without repeats (deep equality), first occurrence kept. */
export function distinctValues(values: unknown[]): unknown[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = valueKey(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Sets a property as plain data, so a name like `__proto__` from a query stays a property. */
export function setProperty(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * What Cosmos DB refuses in a parsed JSON value, found in one walk without
 * recursion (so it never overflows on the very values it refuses): nesting
 * deeper than `limit` levels, and numbers beyond a double (JSON.parse makes
 * `1e400` Infinity, which would be stored, compare and read back as null).
 */
export function jsonProblem(value: unknown, limit = 128): string | undefined {
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [next, depth] = pending.pop()!;
    if (typeof next === 'number' && !Number.isFinite(next)) return 'has a number too large for a double (such as 1e400); Cosmos DB keeps finite numbers only';
    if (typeof next !== 'object' || next === null) continue;
    if (depth > limit) return 'nests objects or arrays more than 128 levels deep, the most Cosmos DB allows';
    for (const child of Object.values(next)) pending.push([child, depth + 1]);
  }
  return undefined;
}
