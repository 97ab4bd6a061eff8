import type { StorageRequest } from './request.js';
import { canonicalizedResources, combine, type SharedKeyScheme } from './shared-key.js';

/**
 * The table flavour of Shared Key and Shared Key Lite: no canonicalized
 * `x-ms-*` headers, only `?comp=` of the query, and the date taken from
 * `x-ms-date` when the client sent it (else `Date`).
 *
 *   SharedKey:     VERB \n Content-MD5 \n Content-Type \n Date \n resource
 *   SharedKeyLite: Date \n resource
 */
export const tableSharedKey: SharedKeyScheme = {
  stringsToSign(request: StorageRequest, kind) {
    const h = (name: string) => request.header(name) ?? '';
    // The reference says x-ms-date wins when both are sent; older clients signed Date regardless.
    const dates = [request.header('x-ms-date'), request.header('date')].filter((d): d is string => d !== undefined);
    const resources = canonicalizedResources(request, 'comp');
    if (kind === 'SharedKeyLite') return combine(dates.map((date) => `${date}\n`), resources);
    return combine([`${request.method}\n${h('content-md5')}\n${h('content-type')}\n`], dates.map((date) => `${date}\n`), resources);
  },
};
