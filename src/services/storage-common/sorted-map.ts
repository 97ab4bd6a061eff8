import { ordinal } from './ordinal.js';
import { PLAIN_COPY, plainCopy, type PlainCopyable } from './plain-copy.js';
import { SortedList } from './sorted-list.js';

/**
 * A map from names to values that walks its names in Azure's ordinal order,
 * from any name on, without sorting: what a storage listing pages through.
 * Lookups are a Map's; adding or removing a name costs O(log n).
 */
export class SortedMap<V> implements Iterable<[string, V]>, PlainCopyable<SortedMap<V>> {
  #values = new Map<string, V>();
  #names = new SortedList<string>(ordinal);

  get size(): number {
    return this.#values.size;
  }

  get(name: string): V | undefined {
    return this.#values.get(name);
  }

  has(name: string): boolean {
    return this.#values.has(name);
  }

  set(name: string, value: V): this {
    if (!this.#values.has(name)) this.#names.add(name);
    this.#values.set(name, value);
    return this;
  }

  delete(name: string): boolean {
    if (!this.#values.delete(name)) return false;
    this.#names.delete(name);
    return true;
  }

  clear(): void {
    this.#values.clear();
    this.#names.clear();
  }

  /** Names in order, from the first one not before `from`. */
  keys(from?: string): Generator<string, void, undefined> {
    return this.#names.from(from);
  }

  /** Values in the order of their names, from the first name not before `from`. */
  *values(from?: string): Generator<V, void, undefined> {
    for (const name of this.#names.from(from)) yield this.#values.get(name)!;
  }

  *entries(from?: string): Generator<[string, V], void, undefined> {
    for (const name of this.#names.from(from)) yield [name, this.#values.get(name)!];
  }

  [Symbol.iterator](): Generator<[string, V], void, undefined> {
    return this.entries();
  }

  /**
   * A copy holding `copyValue(value)` under each name (the values themselves
   * without it). The name index is copied as it is, not rebuilt: a snapshot
   * restore of a thousand names costs a walk, not a thousand inserts.
   */
  copy(copyValue?: (value: V) => V): SortedMap<V> {
    const copy = new SortedMap<V>();
    if (copyValue === undefined) copy.#values = new Map(this.#values);
    else for (const [name, value] of this.#values) copy.#values.set(name, copyValue(value));
    copy.#names = this.#names.copy();
    return copy;
  }

  /** A copy whose values are plain copies of these (a snapshot of a listing's data). */
  [PLAIN_COPY](): SortedMap<V> {
    return this.copy(plainCopy);
  }

  /**
   * A listing page: up to `maxResults` values whose names start with
   * `prefix`, from `marker` (the first name of the page) on, and the name
   * the next page starts at.
   */
  page(prefix: string, marker: string | undefined, maxResults: number): { items: V[]; next?: string } {
    const items: V[] = [];
    for (const [name, value] of this.entries(marker !== undefined && marker > prefix ? marker : prefix)) {
      if (!name.startsWith(prefix)) break;
      if (items.length === maxResults) return { items, next: name };
      items.push(value);
    }
    return { items };
  }
}
