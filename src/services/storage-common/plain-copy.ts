/**
 * A store structure with private indexes (a sorted map, say) that copies
 * itself for {@link plainCopy}, its values through plainCopy too.
 */
export const PLAIN_COPY = Symbol('localzure.plainCopy');

export interface PlainCopyable<T> {
  [PLAIN_COPY](): T;
}

/**
 * Copies the mutable structure of a store's data: Maps, Sets, arrays and
 * plain objects are copied all the way down; anything else (Buffers, blob
 * content objects, dates) is shared. Stores replace such values on every
 * write instead of changing them, so a copy is a snapshot of the data for
 * the cost of its records, not of its bytes.
 */
export function plainCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (PLAIN_COPY in value) return (value as unknown as PlainCopyable<T>)[PLAIN_COPY]();
  if (value instanceof Map) {
    const copy = new Map();
    for (const [key, item] of value) copy.set(key, plainCopy(item));
    return copy as T;
  }
  if (Array.isArray(value)) {
    const copy = new Array(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = plainCopy(value[i]);
    return copy as T;
  }
  if (value instanceof Set) return new Set([...value].map(plainCopy)) as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  // Spread (and assign onto a prototype-less object) define keys, so a `__proto__` key in metadata stays a key.
  const copy: Record<string, unknown> = proto === null ? Object.assign(Object.create(null), value) : { ...value };
  for (const key in copy) {
    const item = copy[key];
    if (typeof item !== 'object' || item === null) continue;
    if (key === '__proto__') Object.defineProperty(copy, key, { value: plainCopy(item), enumerable: true, writable: true, configurable: true });
    else copy[key] = plainCopy(item);
  }
  return copy as T;
}

/** A copy of `map`'s entry for one account, or undefined when it has none. */
export function captureEntry<V>(map: Map<string, V>, account: string): V | undefined {
  const data = map.get(account);
  return data === undefined ? undefined : plainCopy(data);
}
