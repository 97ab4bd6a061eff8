import { createHash, randomUUID } from 'node:crypto';
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
 * dropped re-runs the query and resumes at the same position. A token names
 * the query it belongs to (`scope`: namespace, resource, query text,
 * parameters, partition key), so one passed to another query is refused.
 */
export class ResultPages {
  readonly #cache = new Map<string, { namespace: string; results: unknown[] }>();

  page(namespace: string, scope: string, compute: () => unknown[], continuation: string | undefined, maxItemCount: string | undefined): Page {
    const size = pageSize(maxItemCount);
    const query = createHash('sha256').update(namespace).update('\u0000').update(scope).digest('base64url').slice(0, 16);
    let id: string;
    let offset = 0;
    let results: unknown[] | undefined;
    if (continuation !== undefined) {
      const token = parseToken(continuation);
      if (token.query !== query) throw badRequest('The continuation token belongs to another query: pass it back only with the query (and partition key) that issued it.');
      ({ id, offset } = token);
      results = this.#cache.get(id)?.results;
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
    this.#remember(id, namespace, results);
    return { items, continuation: JSON.stringify({ lz: id, query, offset: end }) };
  }

  /** Drops the kept results of one namespace (all when absent); its tokens then re-run their queries. */
  clear(namespace?: string): void {
    for (const [id, entry] of this.#cache) if (namespace === undefined || entry.namespace === namespace) this.#cache.delete(id);
  }

  #remember(id: string, namespace: string, results: unknown[]): void {
    this.#cache.delete(id);
    this.#cache.set(id, { namespace, results });
    if (this.#cache.size > CACHED_RESULTS) this.#cache.delete(this.#cache.keys().next().value!);
  }
}

/** The page size `x-ms-max-item-count` asks for: undefined for -1 (no limit); 400 for what is not a positive integer or -1. */
export function pageSize(header: string | undefined): number | undefined {
  if (header === undefined || header === '') return DEFAULT_PAGE;
  const n = Number(header);
  if (!Number.isInteger(n) || n === 0 || n < -1) throw badRequest(`x-ms-max-item-count must be a positive integer or -1, got ${header}.`);
  return n === -1 ? undefined : n;
}

function parseToken(token: string): { id: string; query: string; offset: number } {
  try {
    const parsed = JSON.parse(token) as { lz?: unknown; query?: unknown; offset?: unknown };
    if (typeof parsed.lz === 'string' && typeof parsed.query === 'string' && typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0) {
      return { id: parsed.lz, query: parsed.query, offset: parsed.offset };
    }
  } catch {
    // Falls through to the error below.
  }
  throw badRequest('The continuation token is not one this emulator issued: pass back the x-ms-continuation of a previous page unchanged.');
}
