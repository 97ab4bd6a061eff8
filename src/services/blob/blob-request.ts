import type { StorageRequest } from '../storage-common/request.js';
import { checkedDnsStyleName } from '../storage-common/names.js';
import { commonErrors } from '../storage-common/storage-error.js';
import type { ContentProperties } from './model.js';

// Reading the parts of a blob request: names, ranges, headers.

const SPECIAL_CONTAINERS = new Set(['$root', '$logs', '$web']);

/** The container of a request, checked against Azure's container name rules. */
export function containerNameOf(request: StorageRequest): string {
  const name = request.segments[0] ?? '';
  return SPECIAL_CONTAINERS.has(name) ? name : checkedDnsStyleName(name);
}

/** The blob name of the decoded path segments after the container; Azure reads a `\\` there as `/`. */
export function blobNameOfPath(segments: string[]): string {
  return segments.join('/').replace(/\\/g, '/');
}

/** The blob of a request: 1 to 1024 characters. */
export function blobNameOf(request: StorageRequest): string {
  const name = request.segments[1] ?? '';
  if (name.length === 0 || name.length > 1024) throw commonErrors.outOfRangeInput('The specified resource name length is not within the permissible limits.');
  return name;
}

/** `x-ms-lease-id`, in the hyphenated lowercase form when it is a GUID (see {@link canonicalGuid}). */
export function leaseIdOf(request: StorageRequest): string | undefined {
  const id = request.header('x-ms-lease-id');
  return id === undefined ? undefined : (canonicalGuid(id) ?? id);
}

const GUID_FORMS = [
  /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i,
  /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/i,
  /^\{([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}$/i,
  /^\(([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\)$/i,
];
// .NET's "X" form: {0x00000000,0x0000,0x0000,{0x00,0x00,0x00,0x00,0x00,0x00,0x00,0x00}}.
const HEX_BYTES_FORM = /^\{0x([0-9a-f]{8}),0x([0-9a-f]{4}),0x([0-9a-f]{4}),\{0x([0-9a-f]{2}),0x([0-9a-f]{2}),0x([0-9a-f]{2}),0x([0-9a-f]{2}),0x([0-9a-f]{2}),0x([0-9a-f]{2}),0x([0-9a-f]{2}),0x([0-9a-f]{2})\}\}$/i;

/**
 * A GUID in any form .NET's Guid.Parse reads (32 digits, hyphenated, in
 * braces or parentheses, or the hexadecimal-fields form) as the hyphenated
 * lowercase form, which is how Azure compares and answers lease ids;
 * undefined when it is no GUID.
 */
export function canonicalGuid(text: string): string | undefined {
  for (const form of GUID_FORMS) {
    const parts = form.exec(text.trim());
    if (parts) return parts.slice(1).join('-').toLowerCase();
  }
  const bytes = HEX_BYTES_FORM.exec(text.trim());
  if (!bytes) return undefined;
  const [a, b, c, ...rest] = bytes.slice(1);
  return `${a}-${b}-${c}-${rest.slice(0, 2).join('')}-${rest.slice(2).join('')}`.toLowerCase();
}

/** `x-ms-blob-content-*` headers, or for a single-shot upload the plain `Content-*` ones as fallback. */
export function contentPropertiesOf(request: StorageRequest, withBodyHeaders: boolean): ContentProperties {
  const pick = (name: string) => request.header(`x-ms-blob-${name}`) ?? (withBodyHeaders ? request.header(name) : undefined);
  return definedOnly({
    contentType: pick('content-type'),
    contentEncoding: pick('content-encoding'),
    contentLanguage: pick('content-language'),
    contentDisposition: pick('content-disposition'),
    cacheControl: pick('cache-control'),
    contentMd5: request.header('x-ms-blob-content-md5'),
  });
}

/** An inclusive byte range from `x-ms-range` or `Range`; undefined when none was asked. */
export function byteRangeOf(request: StorageRequest): { start: number; end?: number } | undefined {
  const text = request.header('x-ms-range') ?? request.header('range');
  if (text === undefined) return undefined;
  const match = /^bytes=(\d+)-(\d*)$/.exec(text.trim());
  // Azure ignores a Range header it cannot read and returns the whole blob.
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] === '' ? undefined : Number(match[2]);
  if (end !== undefined && end < start) return undefined;
  return { start, end };
}

/** An integer header within [min, max], or undefined when absent; anything else is InvalidHeaderValue. */
export function integerHeader(request: StorageRequest, name: string, min: number, max: number): number | undefined {
  const text = request.header(name);
  if (text === undefined) return undefined;
  const value = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw commonErrors.invalidHeaderValue(name, text);
  return value;
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
