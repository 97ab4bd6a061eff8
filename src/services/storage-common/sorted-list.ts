// Chunks split past twice this size: a change moves at most one chunk's
// items, and a chunk of references stays within a few CPU cache lines' reach.
const CHUNK = 512;

/**
 * Items in the order of `compare`, none equal to another, kept in sorted
 * chunks: adding or removing costs two binary searches and a splice within
 * one chunk, and walking from a place costs O(log n) plus the items walked.
 * So a listing page costs what the page holds, not what the store holds.
 */
export class SortedList<T> {
  #chunks: T[][] = [];
  #size = 0;

  constructor(
    readonly compare: (a: T, b: T) => number,
    /** Items a chunk keeps after a split; small only to test splitting. */
    readonly chunkSize = CHUNK,
  ) {}

  get size(): number {
    return this.#size;
  }

  /** Adds `item`; false, changing nothing, when an equal item is there already. */
  add(item: T): boolean {
    if (this.#chunks.length === 0) {
      this.#chunks.push([item]);
      this.#size = 1;
      return true;
    }
    const c = Math.min(this.#chunkAtOrAfter(item), this.#chunks.length - 1);
    const chunk = this.#chunks[c]!;
    const i = this.#indexAtOrAfter(chunk, item);
    if (i < chunk.length && this.compare(chunk[i]!, item) === 0) return false;
    chunk.splice(i, 0, item);
    this.#size++;
    if (chunk.length > 2 * this.chunkSize) this.#chunks.splice(c + 1, 0, chunk.splice(this.chunkSize));
    return true;
  }

  /** Removes the item equal to `item`; false when there is none. */
  delete(item: T): boolean {
    const c = this.#chunkAtOrAfter(item);
    const chunk = this.#chunks[c];
    if (!chunk) return false;
    const i = this.#indexAtOrAfter(chunk, item);
    if (i === chunk.length || this.compare(chunk[i]!, item) !== 0) return false;
    chunk.splice(i, 1);
    if (chunk.length === 0) this.#chunks.splice(c, 1);
    this.#size--;
    return true;
  }

  /** The first item, or undefined when empty. */
  first(): T | undefined {
    return this.#chunks[0]?.[0];
  }

  clear(): void {
    this.#chunks = [];
    this.#size = 0;
  }

  /**
   * A list of `copyItem(item)` for every item, in the same places: no
   * comparison or search, so copying costs what walking does. `copyItem`
   * must keep each item's place under `compare` (a copy of it does).
   */
  copy(copyItem: (item: T) => T = (item) => item): SortedList<T> {
    const copy = new SortedList<T>(this.compare, this.chunkSize);
    copy.#chunks = this.#chunks.map((chunk) => chunk.map(copyItem));
    copy.#size = this.#size;
    return copy;
  }

  /**
   * Items in order, from the first one not before `from` (from the start
   * without it). Changing the list while walking is allowed: the walk goes
   * on after the last item it handed out.
   */
  *from(from?: T): Generator<T, void, undefined> {
    let c = from === undefined ? 0 : this.#chunkAtOrAfter(from);
    let i = from === undefined || c === this.#chunks.length ? 0 : this.#indexAtOrAfter(this.#chunks[c]!, from);
    for (;;) {
      const chunk = this.#chunks[c];
      if (!chunk) return;
      if (i >= chunk.length) {
        c++;
        i = 0;
        continue;
      }
      const item = chunk[i]!;
      yield item;
      if (this.#chunks[c]?.[i] === item) {
        i++;
      } else {
        // The list changed under the walk: find where the last item handed out would be, and go on after it.
        c = this.#chunkAfter(item);
        i = c === this.#chunks.length ? 0 : this.#indexAfter(this.#chunks[c]!, item);
      }
    }
  }

  [Symbol.iterator](): Generator<T, void, undefined> {
    return this.from();
  }

  // The first chunk whose last item is not before `item`; the chunk count when every item is before it.
  #chunkAtOrAfter(item: T): number {
    return search(this.#chunks.length, (c) => this.compare(this.#chunks[c]!.at(-1)!, item) >= 0);
  }

  #chunkAfter(item: T): number {
    return search(this.#chunks.length, (c) => this.compare(this.#chunks[c]!.at(-1)!, item) > 0);
  }

  #indexAtOrAfter(chunk: T[], item: T): number {
    return search(chunk.length, (i) => this.compare(chunk[i]!, item) >= 0);
  }

  #indexAfter(chunk: T[], item: T): number {
    return search(chunk.length, (i) => this.compare(chunk[i]!, item) > 0);
  }
}

// The first index in [0, length) for which `holds` is true, given that it holds for every index after one where it does.
function search(length: number, holds: (index: number) => boolean): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (holds(mid)) high = mid;
    else low = mid + 1;
  }
  return low;
}
