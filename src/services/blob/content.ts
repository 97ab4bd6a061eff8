import { createHash } from 'node:crypto';

/**
 * Blob bytes. Buffers stored here are never written to again: new data makes
 * new content objects that share the unchanged buffers, so snapshots and
 * downloads in flight keep seeing the bytes they started with.
 */
export interface BlobContent {
  readonly length: number;
  /** The bytes in [start, end) as views onto stored buffers, never a joined copy. */
  read(start: number, end: number): Iterable<Buffer>;
}

/** Base64 MD5 of the bytes in [start, end), hashed chunk by chunk. */
export function md5Of(content: BlobContent, start = 0, end = content.length): string {
  const hash = createHash('md5');
  for (const chunk of content.read(start, end)) hash.update(chunk);
  return hash.digest('base64');
}

const EMPTY: Buffer[] = [];

/** Block and append blob bytes: a sequence of chunks. */
export class ChunkedContent implements BlobContent {
  readonly #chunks: Buffer[];
  readonly #count: number;
  readonly length: number;
  #offsets: number[] | undefined;

  // `count` lets appends share the chunk array: content holding the first
  // `count` chunks stays valid while later ones are pushed.
  constructor(chunks: Buffer[] = EMPTY, count = chunks.length, length?: number) {
    this.#chunks = chunks;
    this.#count = count;
    this.length = length ?? chunks.slice(0, count).reduce((n, c) => n + c.length, 0);
  }

  static concat(parts: readonly Buffer[][]): ChunkedContent {
    return new ChunkedContent(parts.flat());
  }

  get chunks(): readonly Buffer[] {
    return this.#chunks.length === this.#count ? this.#chunks : this.#chunks.slice(0, this.#count);
  }

  append(chunks: Buffer[]): ChunkedContent {
    const added = chunks.reduce((n, c) => n + c.length, 0);
    if (this.#chunks.length === this.#count && this.#chunks !== EMPTY) {
      this.#chunks.push(...chunks);
      return new ChunkedContent(this.#chunks, this.#chunks.length, this.length + added);
    }
    const copy = [...this.chunks, ...chunks];
    return new ChunkedContent(copy, copy.length, this.length + added);
  }

  *read(start: number, end: number): Iterable<Buffer> {
    const offsets = this.#chunkOffsets();
    let index = firstChunkAt(offsets, start);
    for (; index < this.#count && offsets[index]! < end; index++) {
      const chunk = this.#chunks[index]!;
      const from = Math.max(0, start - offsets[index]!);
      const to = Math.min(chunk.length, end - offsets[index]!);
      if (to > from) yield from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to);
    }
  }

  #chunkOffsets(): number[] {
    if (!this.#offsets) {
      this.#offsets = [];
      let at = 0;
      for (let i = 0; i < this.#count; i++) {
        this.#offsets.push(at);
        at += this.#chunks[i]!.length;
      }
    }
    return this.#offsets;
  }
}

/** Index of the chunk holding byte `position` (binary search over chunk start offsets). */
function firstChunkAt(offsets: number[], position: number): number {
  let low = 0;
  let high = offsets.length - 1;
  let found = 0;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (offsets[mid]! <= position) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

export const PAGE_SIZE = 512;

/** A written stretch of a page blob. */
export interface PageRun {
  start: number;
  data: ChunkedContent;
}

/** Page blob bytes: a fixed size, with written runs; everything else reads as zeros. */
export class PageContent implements BlobContent {
  constructor(
    readonly length: number,
    /** Sorted, non-overlapping. */
    readonly runs: readonly PageRun[] = [],
  ) {}

  /** Content with [start, start + data.length) replaced by `data`. */
  write(start: number, data: ChunkedContent): PageContent {
    return this.#replace(start, start + data.length, [{ start, data }]);
  }

  clear(start: number, end: number): PageContent {
    return this.#replace(start, end, []);
  }

  resize(length: number): PageContent {
    const kept = length < this.length ? this.#replace(length, this.length, []).runs : this.runs;
    return new PageContent(length, kept);
  }

  #replace(start: number, end: number, inserted: PageRun[]): PageContent {
    const runs: PageRun[] = [];
    for (const run of this.runs) {
      const runEnd = run.start + run.data.length;
      if (runEnd <= start || run.start >= end) {
        runs.push(run);
        continue;
      }
      if (run.start < start) runs.push({ start: run.start, data: new ChunkedContent([...run.data.read(0, start - run.start)]) });
      if (runEnd > end) runs.push({ start: end, data: new ChunkedContent([...run.data.read(end - run.start, run.data.length)]) });
    }
    runs.push(...inserted);
    runs.sort((a, b) => a.start - b.start);
    return new PageContent(this.length, runs);
  }

  /**
   * Written ranges within [start, end), as inclusive [first, last] byte
   * offsets, one per run: adjacent writes stay separate ranges, as Azurite
   * lists them (Azure documents only that ranges never overlap).
   */
  ranges(start = 0, end = this.length): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (const run of this.runs) {
      const from = Math.max(start, run.start);
      const to = Math.min(end, run.start + run.data.length);
      if (to > from) out.push([from, to - 1]);
    }
    return out;
  }

  *read(start: number, end: number): Iterable<Buffer> {
    let at = start;
    for (const run of this.runs) {
      const runEnd = run.start + run.data.length;
      if (runEnd <= at || run.start >= end) continue;
      if (run.start > at) {
        yield* zeros(run.start - at);
        at = run.start;
      }
      const to = Math.min(end, runEnd);
      yield* run.data.read(at - run.start, to - run.start);
      at = to;
    }
    if (at < end) yield* zeros(end - at);
  }
}

const ZERO_BLOCK = Buffer.alloc(64 * 1024);

function* zeros(count: number): Iterable<Buffer> {
  for (let left = count; left > 0; left -= ZERO_BLOCK.length) yield ZERO_BLOCK.subarray(0, Math.min(left, ZERO_BLOCK.length));
}
