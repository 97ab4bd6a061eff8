import type { StorageRequest } from './request.js';
import type { StorageResponse } from './response.js';
import { commonErrors } from './storage-error.js';
import { toXml, type XmlNode } from './xml.js';

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

/** The `prefix`, `marker` and `maxresults` of a listing request. */
export interface ListingPaging {
  prefix: string;
  marker?: string;
  maxResults: number;
}

export function listingPaging(request: StorageRequest): ListingPaging {
  return { prefix: request.query.get('prefix') ?? '', marker: request.query.get('marker') || undefined, maxResults: listingMaxResults(request) };
}

/**
 * A listing's `<EnumerationResults>`: the ServiceEndpoint and any other
 * `attributes`, the paging parameters (Azure echoes only those the request
 * gave), the `items` elements, and NextMarker, empty on the last page.
 */
export function listingResponse(
  request: StorageRequest,
  paging: ListingPaging,
  page: { attributes?: XmlNode; items: XmlNode; nextMarker?: string },
): StorageResponse {
  const body = toXml({
    EnumerationResults: {
      '@ServiceEndpoint': listingServiceEndpoint(request),
      ...page.attributes,
      ...(request.query.has('prefix') ? { Prefix: paging.prefix } : {}),
      ...(request.query.has('marker') ? { Marker: paging.marker ?? '' } : {}),
      ...(request.query.has('maxresults') ? { MaxResults: paging.maxResults } : {}),
      ...page.items,
      NextMarker: page.nextMarker ?? '',
    },
  });
  return { status: 200, headers: { 'Content-Type': 'application/xml' }, body };
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
