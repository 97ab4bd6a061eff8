import { createHmac } from 'node:crypto';

/**
 * Shared Key signing written from the REST reference ("Authorize with Shared
 * Key"), apart from the emulator's verifier, so a replay checks the
 * emulator's verification instead of agreeing with itself.
 */
export interface SignedRequest {
  method: string;
  url: URL;
  /** Lower-case names. */
  headers: Record<string, string>;
}

export function signBlobOrQueue(request: SignedRequest, account: string, key: string): string {
  const h = request.headers;
  const length = h['content-length'] && h['content-length'] !== '0' ? h['content-length'] : '';
  const canonicalHeaders = Object.keys(h)
    .filter((name) => name.startsWith('x-ms-'))
    .sort()
    .map((name) => `${name}:${h[name]!.trim()}\n`)
    .join('');
  const text = [
    request.method,
    h['content-encoding'] ?? '',
    h['content-language'] ?? '',
    length,
    h['content-md5'] ?? '',
    h['content-type'] ?? '',
    '',
    h['if-modified-since'] ?? '',
    h['if-match'] ?? '',
    h['if-none-match'] ?? '',
    h['if-unmodified-since'] ?? '',
    h.range ?? '',
  ].join('\n');
  const resource = `/${account}${request.url.pathname}${queryResource(request.url.searchParams)}`;
  return `SharedKey ${account}:${hmac(key, `${text}\n${canonicalHeaders}${resource}`)}`;
}

export function signTable(request: SignedRequest, account: string, key: string): string {
  const h = request.headers;
  const comp = request.url.searchParams.get('comp');
  const resource = `/${account}${request.url.pathname}${comp === null ? '' : `?comp=${comp}`}`;
  const text = [request.method, h['content-md5'] ?? '', h['content-type'] ?? '', h['x-ms-date'] ?? '', resource].join('\n');
  return `SharedKey ${account}:${hmac(key, text)}`;
}

function queryResource(query: URLSearchParams): string {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of query) grouped.set(name.toLowerCase(), [...(grouped.get(name.toLowerCase()) ?? []), value]);
  return [...grouped.keys()]
    .sort()
    .map((name) => `\n${name}:${grouped.get(name)!.sort().join(',')}`)
    .join('');
}

function hmac(key: string, text: string): string {
  return createHmac('sha256', Buffer.from(key, 'base64')).update(text, 'utf8').digest('base64');
}
