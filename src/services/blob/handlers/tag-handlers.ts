import { receiveText } from '../../storage-common/body.js';
import { assertConditions } from '../../storage-common/conditions.js';
import { listingMaxResults, listingServiceEndpoint } from '../../storage-common/listing.js';
import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { commonErrors } from '../../storage-common/storage-error.js';
import { asArray, parseXml, toXml } from '../../storage-common/xml.js';
import type { BlobStore } from '../blob-store.js';
import { containerNameOf, leaseIdOf } from '../blob-request.js';
import { checkLeaseAccess, leaseAt } from '../lease.js';
import { tagsXml } from '../listing.js';
import { BlobDomainError } from '../errors.js';
import { assertTagCondition } from '../preconditions.js';
import { isTagText, parseTagFilter, tagsMatch, validateTags, type TagCondition } from '../tags.js';
import { baseBlob, blobTarget } from './blob-handlers.js';

/**
 * Get and Set Blob Tags take their ETag and date conditions as
 * `x-ms-blob-if-match` and friends: plain `If-Match` would be about the tags.
 */
function blobConditionHeaders(request: StorageRequest): (name: string) => string | undefined {
  return (name) => request.header(`x-ms-blob-${name.toLowerCase()}`);
}

/** Find Blobs by Tags looks at 10 tags at most, as a blob holds 10 at most. */
const MAX_FILTER_TAGS = 10;

export function tagHandlers(store: BlobStore) {
  return {
    getTags(request: StorageRequest): StorageResponse {
      const { container, name, snapshot } = blobTarget(store, request);
      const state = store.blobState(container, name, snapshot);
      if (snapshot === undefined) checkLeaseAccess(leaseAt(store.blob(container, name).lease, request.now), leaseIdOf(request), 'read', 'blob');
      assertConditions(blobConditionHeaders(request), state, 'read');
      assertTagCondition(request, state);
      return { status: 200, headers: { 'Content-Type': 'application/xml' }, body: toXml({ Tags: tagsXml(state.tags) }) };
    },

    /** Set Blob Tags replaces the whole set; it changes neither ETag nor Last-Modified. */
    async setTags(request: StorageRequest): Promise<StorageResponse> {
      const tags = validateTags(parseTagSet(await receiveText(request.raw)));
      const blob = baseBlob(store, request);
      checkLeaseAccess(leaseAt(blob.lease, request.now), leaseIdOf(request), 'write', 'blob');
      assertConditions(blobConditionHeaders(request), blob, 'write');
      assertTagCondition(request, blob);
      blob.tags = tags;
      return { status: 204 };
    },

    /** Find Blobs by Tags, across the account or within one container; names the tags the filter used. */
    findBlobs(request: StorageRequest): StorageResponse {
      const where = request.query.get('where') ?? '';
      const conditions = parseTagFilter(where);
      const problem = conditions ? conditions.map((c) => tagProblem(where, c)).find((p) => p !== undefined) : syntaxProblem(where);
      if (!conditions || problem) throw commonErrors.invalidQueryParameterValue('where', where, `Error parsing query at or near character position ${problem ?? '1: syntax error'}`);
      if (new Set(conditions.map((c) => c.key).filter((k) => k !== '@container')).size > MAX_FILTER_TAGS) {
        throw commonErrors.invalidQueryParameterValue('where', where, `Error parsing query: there can be at most ${MAX_FILTER_TAGS} unique tags in a query`);
      }
      const onlyContainer = request.segments.length > 0 ? containerNameOf(request) : undefined;
      if (onlyContainer !== undefined) store.container(request.account.name, onlyContainer);
      const marker = request.query.get('marker') || undefined;
      const maxResults = listingMaxResults(request);
      const keys = new Set(conditions.map((c) => c.key).filter((k) => k !== '@container'));
      const found: Array<{ key: string; xml: Record<string, unknown> }> = [];
      for (const { container, blob } of store.allBlobs(request.account.name, { from: marker === undefined ? undefined : markerPosition(marker), only: onlyContainer })) {
        const key = `${container.name}/${blob.name}`;
        if (!tagsMatch(conditions, blob.tags, container.name)) continue;
        const matched = Object.fromEntries(Object.entries(blob.tags).filter(([k]) => keys.has(k)));
        found.push({ key, xml: { Name: blob.name, ContainerName: container.name, Tags: tagsXml(matched) } });
        if (found.length > maxResults) break;
      }
      const body = toXml({
        EnumerationResults: {
          '@ServiceEndpoint': listingServiceEndpoint(request),
          // Echoed as List Blobs echoes them, each only when the request gave it.
          ...(marker === undefined ? {} : { Marker: marker }),
          Where: where,
          ...(request.query.has('maxresults') ? { MaxResults: maxResults } : {}),
          Blobs: { Blob: found.slice(0, maxResults).map((f) => f.xml) as never },
          NextMarker: found.length > maxResults ? found[maxResults]!.key : '',
        },
      });
      return { status: 200, headers: { 'Content-Type': 'application/xml' }, body };
    },
  };
}

function parseTagSet(text: string): Record<string, string> {
  const root = parseXml(text).Tags;
  if (root === undefined) throw commonErrors.invalidXmlDocument();
  const set = typeof root === 'object' && root !== null ? (root as Record<string, unknown>).TagSet : undefined;
  const entries = typeof set === 'object' && set !== null ? asArray((set as Record<string, unknown>).Tag as Array<Record<string, unknown>>) : [];
  const tags: Record<string, string> = {};
  for (const entry of entries) {
    const key = typeof entry.Key === 'string' ? entry.Key : '';
    if (key in tags) throw new BlobDomainError('InvalidTag');
    tags[key] = typeof entry.Value === 'string' ? entry.Value : '';
  }
  return tags;
}

/** Markers are `container/blob`; containers hold no `/`, so the first one splits them. */
function markerPosition(marker: string): { container: string; blob: string } {
  const at = marker.indexOf('/');
  return at === -1 ? { container: marker, blob: '' } : { container: marker.slice(0, at), blob: marker.slice(at + 1) };
}

/** Azure's reason for a condition that parses but names no possible tag: `<position>: <reason>`. */
function tagProblem(where: string, { key, value }: TagCondition): string | undefined {
  if (key === '@container') return undefined;
  const at = (text: string) => where.indexOf(text) + 1;
  if (key.length > 128) return `${at(key)}: tag must be between 1 and 128 characters in length`;
  if (value.length > 256) return `${at(value)}: tag value must be between 0 and 256 characters in length`;
  const bad = [...key, ...value].find((ch) => !isTagText(ch));
  return bad === undefined ? undefined : `${at(bad)}: '${bad}' not permitted in tag name or value`;
}

/** Why a filter does not parse, where Azure names it: an `@` parameter other than `@container`. */
function syntaxProblem(where: string): string | undefined {
  const parameter = /@(?!container\b)\w+/.exec(where);
  return parameter ? `${parameter.index + 1}: unsupported parameter '${parameter[0]}'` : undefined;
}
