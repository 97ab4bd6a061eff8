import { randomUUID } from 'node:crypto';
import { badRequest } from './errors.js';

/** Items per page when the client names no `x-ms-max-item-count`, as the gateway does. */
const DEFAULT_PAGE = 100;
/** Result sets kept for continuation tokens; the oldest go first. */
const CACHED_RESULTS = 64;

export interface Page {
  items: unknown[];
  /** The `x-ms-continuation` to send back; absent on the last page. */
  continuation?: string;
}

/**
 * Pages a result list with continuation tokens. A query runs once; its
 * results are kept under the token so the following pages neither re-run
 * it nor shift when items change in between. A token whose results were
 * dropped re-runs the query and resumes at the same position.
 */
export class ResultPages {
  readonly #cache = new Map<string, unknown[]>();

  page(compute: () => unknown[], continuation: string | undefined, maxItemCount: string | undefined): Page {
    const size = pageSize(maxItemCount);
    let id: string;
    let offset = 0;
    let results: unknown[] | undefined;
    if (continuation !== undefined) {
      ({ id, offset } = parseToken(continuation));
      results = this.#cache.get(id);
    } else {
      id = randomUUID();
    }
    results ??= compute();
    const end = size === undefined ? results.length : offset + size;
    const items = results.slice(offset, end);
    if (end >= results.length) {
      this.#cache.delete(id);
      return { items };
    }
    this.#remember(id, results);
    return { items, continuation: JSON.stringify({ lz: id, offset: end }) };
  }

  clear(): void {
    this.#cache.clear();
  }

  #remember(id: string, results: unknown[]): void {
    this.#cache.delete(id);
    this.#cache.set(id, results);
    if (this.#cache.size > CACHED_RESULTS) this.#cache.delete(this.#cache.keys().next().value!);
  }
}

function pageSize(header: string | undefined): number | undefined {
  if (header === undefined || header === '') return DEFAULT_PAGE;
  const n = Number(header);
  if (!Number.isInteger(n) || n === 0 || n < -1) throw badRequest(`x-ms-max-item-count must be a positive integer or -1, got ${header}.`);
  return n === -1 ? undefined : n;
}

function parseToken(token: string): { id: string; offset: number } {
  try {
    const parsed = JSON.parse(token) as { lz?: unknown; offset?: unknown };
    if (typeof parsed.lz === 'string' && typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0) {
      return { id: parsed.lz, offset: parsed.offset };
    }
  } catch {
    // Falls through to the error below.
  }
  throw badRequest('The continuation token is not one this emulator issued: pass back the x-ms-continuation of a previous page unchanged.');
}
