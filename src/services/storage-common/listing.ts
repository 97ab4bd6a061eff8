import type { StorageRequest } from './request.js';
import { commonErrors } from './storage-error.js';

// Paging and `include` parameters shared by the listing operations of every storage service.

/** Azure answers at most this many items per listing page. */
export const MAX_LISTING_RESULTS = 5000;

/** `maxresults`: a larger ask is capped at 5000, the default; zero or below is OutOfRangeQueryParameterValue, junk InvalidQueryParameterValue. */
export function listingMaxResults(request: StorageRequest): number {
  const text = request.query.get('maxresults');
  if (text === null) return MAX_LISTING_RESULTS;
  if (!/^-?\d+$/.test(text)) throw commonErrors.invalidQueryParameterValue('maxresults', text);
  const value = Number(text);
  if (value < 1) throw commonErrors.outOfRangeQueryParameterValue('maxresults', text, 1, 2147483647);
  return Math.min(value, MAX_LISTING_RESULTS);
}

/** The comma-separated `include` values, each checked against those the operation knows. */
export function listingIncludes(request: StorageRequest, known: readonly string[]): Set<string> {
  const values = request.query
    .getAll('include')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
  for (const value of values) if (!known.includes(value)) throw commonErrors.invalidQueryParameterValue('include', value);
  return new Set(values);
}

/** `http://<host>/<account>/`, the ServiceEndpoint attribute of listings. */
export function listingServiceEndpoint(request: StorageRequest): string {
  return `http://${request.header('host') ?? '127.0.0.1'}/${request.account.name}/`;
}
