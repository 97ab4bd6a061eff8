import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Namespace } from '../../core/namespaces.js';
import { httpDate, parseDate } from './dates.js';
import { compareHeaderNames } from './header-order.js';
import type { StorageRequest } from './request.js';
import { commonErrors } from './storage-error.js';

export type SharedKeyKind = 'SharedKey' | 'SharedKeyLite';

/**
 * How one storage service builds the Shared Key string to sign. Blob and
 * queue share {@link blobQueueSharedKey}; the table service signs fewer
 * headers and plugs in its own scheme built from the helpers below.
 *
 * It returns every string a genuine client could have signed (path-style and
 * host-style resource, SDK quirks), and a request is accepted when one matches.
 */
export interface SharedKeyScheme {
  stringsToSign(request: StorageRequest, kind: SharedKeyKind): string[];
}

/**
 * Verifies the `Authorization: SharedKey account:signature` header against
 * the account key looked up for this request. Throws 403 AuthenticationFailed.
 */
export function verifySharedKey(request: StorageRequest, authorization: string, scheme: SharedKeyScheme): void {
  const match = /^(SharedKey|SharedKeyLite) ([^:]+):(.+)$/.exec(authorization.trim());
  if (!match) throw commonErrors.authenticationFailed(`The Authorization header "${authorization}" is not of the form "SharedKey account:signature".`);
  const [, kind, account, signature] = match as unknown as [string, SharedKeyKind, string, string];
  if (account !== request.account.name) {
    throw commonErrors.authenticationFailed(`The account "${account}" in the Authorization header does not match the account "${request.account.name}" in the URL.`);
  }
  verifyRequestDate(request);
  const keys = accountKeys(request.account);
  const candidates = scheme.stringsToSign(request, kind);
  if (candidates.some((text) => keys.some((key) => signatureMatches(sign(key, text), signature)))) return;
  throw commonErrors.authenticationFailed(
    `The MAC signature found in the HTTP request '${signature}' is not the same as any computed signature. Server used following string to sign: '${candidates[0]}'.`,
  );
}

/** How far a signed request's date may be from the service's time: Azure's 15 minutes. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/**
 * `x-ms-date` (or `Date` without it) must be within 15 minutes of now, so a
 * captured request cannot be replayed later: 403 AuthenticationFailed, as
 * Azure answers. "Now" is the emulators' clock; clients stamp wall-clock
 * time, so once a test has moved the emulators' clock forward, dates
 * between the wall clock and the emulators' clock are accepted too.
 */
export function verifyRequestDate(request: StorageRequest): void {
  const text = request.header('x-ms-date') ?? request.header('date');
  if (text === undefined) throw commonErrors.authenticationFailed('Request date header not specified: send x-ms-date or Date.');
  const date = parseDate(text);
  if (date === undefined) throw commonErrors.authenticationFailed(`The request date ${text} is not a valid date.`);
  const wall = Date.now();
  if (date < Math.min(request.now, wall) - MAX_CLOCK_SKEW_MS || date > Math.max(request.now, wall) + MAX_CLOCK_SKEW_MS) {
    throw commonErrors.authenticationFailed(
      `Request date header too old or too far ahead: ${text}. It must be within 15 minutes of the service time ${httpDate(request.now)}.`,
    );
  }
}

// Registry entries are frozen and replaced, never changed, so an entry's decoded key stays right for its lifetime.
const decodedKeys = new WeakMap<Namespace, Buffer[]>();

/** The account's keys as bytes (the primary, then any secondary: either signs), decoded once per account instead of on every signed request. */
export function accountKeys(account: Namespace): Buffer[] {
  let keys = decodedKeys.get(account);
  if (!keys) {
    keys = [account.key, account.secondaryKey].filter((k): k is string => k !== undefined).map((k) => Buffer.from(k, 'base64'));
    decodedKeys.set(account, keys);
  }
  return keys;
}

export function sign(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('base64');
}

export function signatureMatches(expected: string, actual: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The `x-ms-*` headers, lowercased, sorted the storage way, one `name:value\n`
 * each. Two variants when they differ: whitespace collapsed (the REST
 * reference) and only leading whitespace trimmed (the JS SDK).
 */
export function canonicalizedHeaders(request: StorageRequest): string[] {
  const names = Object.keys(request.raw.headers)
    .filter((name) => name.startsWith('x-ms-'))
    .sort(compareHeaderNames);
  const build = (clean: (value: string) => string) => names.map((name) => `${name}:${clean(request.header(name)!)}\n`).join('');
  return [...new Set([build((v) => v.replace(/\s+/g, ' ').trim()), build((v) => v.trimStart())])];
}

/**
 * Canonicalized resources a client may have signed for this request:
 * `/account` + the path as sent, as every SDK signs a path-style URL (so the
 * account appears twice), and `/account` + the path after the account, as a
 * client signs a host-style URL (`https://<account>.blob.core.windows.net/...`,
 * which the network guard's redirect forwards here with the account
 * prepended).
 *
 * The two forms of one signature must never name two resources: path-style
 * `/acct/acct/c/b` (container `acct`, blob `c/b`) is also the host-style
 * form of `/acct/c/b`. So the host-style form is accepted only when the
 * path after the account does not itself begin with the account name; then
 * no string of one form is a string of the other, and a signature is valid
 * for exactly one resource.
 * `query: 'all'` appends every parameter (`\nname:value`, sorted, repeated
 * values comma-joined); `'comp'` appends only `?comp=` (Shared Key Lite, tables).
 */
export function canonicalizedResources(request: StorageRequest, query: 'all' | 'comp'): string[] {
  const prefix = `/${request.account.name}`;
  const paths: string[] = [];
  // Clients on Node's legacy url.parse (the azure-storage package) sign `Tables('t')` but send `Tables(%27t%27)`; both name one resource.
  for (const sent of new Set([request.rawPath, request.rawPath.replace(/%27/gi, "'")])) {
    paths.push(sent);
    const afterAccount = sent === prefix ? '/' : sent.startsWith(`${prefix}/`) ? sent.slice(prefix.length) : undefined;
    if (afterAccount !== undefined && afterAccount !== prefix && !afterAccount.startsWith(`${prefix}/`)) paths.push(afterAccount);
  }
  const suffixes = query === 'all' ? allQuerySuffixes(request.query) : [compSuffix(request.query)];
  return paths.flatMap((path) => suffixes.map((suffix) => `${prefix}${path}${suffix}`));
}

// The JS SDK drops parameters with empty values before signing; the REST
// reference keeps them. Both are genuine clients.
function allQuerySuffixes(query: URLSearchParams): string[] {
  const build = (keepEmpty: boolean) => {
    const byName = new Map<string, string[]>();
    for (const [name, value] of query) {
      if (!keepEmpty && value === '') continue;
      const key = name.toLowerCase();
      byName.set(key, [...(byName.get(key) ?? []), value]);
    }
    return [...byName.keys()]
      .sort()
      .map((key) => `\n${key}:${byName.get(key)!.sort().join(',')}`)
      .join('');
  };
  return [...new Set([build(false), build(true)])];
}

function compSuffix(query: URLSearchParams): string {
  const comp = query.get('comp');
  return comp === null ? '' : `?comp=${comp}`;
}

/** The blob and queue flavour of Shared Key and Shared Key Lite. */
export const blobQueueSharedKey: SharedKeyScheme = {
  stringsToSign(request, kind) {
    const h = (name: string) => request.header(name) ?? '';
    const headerVariants = canonicalizedHeaders(request);
    if (kind === 'SharedKeyLite') {
      const head = `${request.method}\n${h('content-md5')}\n${h('content-type')}\n${h('date')}\n`;
      return combine([head], headerVariants, canonicalizedResources(request, 'comp'));
    }
    const length = h('content-length') === '0' ? '' : h('content-length');
    const tail = [length, h('content-md5'), h('content-type'), h('date'), h('if-modified-since'), h('if-match'), h('if-none-match'), h('if-unmodified-since'), h('range')].join('\n');
    // The JS SDK signs Content-Language before Content-Encoding; the REST reference the other way round.
    const heads = [`${h('content-encoding')}\n${h('content-language')}`, `${h('content-language')}\n${h('content-encoding')}`].map(
      (encodings) => `${request.method}\n${encodings}\n${tail}\n`,
    );
    return combine(heads, headerVariants, canonicalizedResources(request, 'all'));
  },
};

/** Every concatenation of one part from each list, without repeats. */
export function combine(...parts: string[][]): string[] {
  let out = [''];
  for (const options of parts) out = out.flatMap((prefix) => [...new Set(options)].map((option) => prefix + option));
  return [...new Set(out)];
}
