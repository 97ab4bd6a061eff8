/**
 * Copies the mutable structure of a store's data: Maps, Sets, arrays and
 * plain objects are copied all the way down; anything else (Buffers, blob
 * content objects, dates) is shared. Stores replace such values on every
 * write instead of changing them, so a copy is a snapshot of the data for
 * the cost of its records, not of its bytes.
 */
export function plainCopy<T>(value: T): T {
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, plainCopy(v)])) as T;
  if (value instanceof Set) return new Set([...value].map(plainCopy)) as T;
  if (Array.isArray(value)) return value.map(plainCopy) as T;
  if (typeof value === 'object' && value !== null) {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const copy: Record<string, unknown> = Object.create(proto);
    // defineProperty, so a `__proto__` key in metadata stays a key.
    for (const key of Object.keys(value)) {
      Object.defineProperty(copy, key, { value: plainCopy((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
    }
    return copy as T;
  }
  return value;
}

/** A copy of `map`'s entry for one account, or undefined when it has none. */
export function captureEntry<V>(map: Map<string, V>, account: string): V | undefined {
  const data = map.get(account);
  return data === undefined ? undefined : plainCopy(data);
}

/** Puts a captured entry back (a copy of it, so it can be restored again); undefined removes the account's entry. */
export function restoreEntry<V>(map: Map<string, V>, account: string, captured: V | undefined): void {
  if (captured === undefined) map.delete(account);
  else map.set(account, plainCopy(captured));
}
