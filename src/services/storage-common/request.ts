import type { IncomingMessage } from 'node:http';
import type { Namespace } from '../../core/namespaces.js';

/** One parsed storage request, shared by every handler of every storage service. */
export interface StorageRequest {
  readonly method: string;
  readonly raw: IncomingMessage;
  /** The path as sent, still percent-encoded, without the query. */
  readonly rawPath: string;
  /** Query parameters, percent-decoded (`+` stays `+`, as Azure reads it). */
  readonly query: URLSearchParams;
  readonly account: Namespace;
  /** True when addressed as `<account>-secondary`, the read-access secondary endpoint of the account. */
  readonly secondary?: boolean;
  /** Decoded path segments after the account, split the way the service asks. */
  readonly segments: string[];
  readonly requestId: string;
  /** When the request arrived, from the service clock (epoch ms). */
  readonly now: number;
  /** A header value, or undefined when absent. Names are case-insensitive. */
  header(name: string): string | undefined;
}

/** Splits `a=1&b=%2B` into decoded pairs without turning `+` into a space. Undefined when the encoding is broken. */
export function parseQuery(search: string): URLSearchParams | undefined {
  const query = new URLSearchParams();
  for (const part of search.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    try {
      query.append(decodeURIComponent(name), decodeURIComponent(value));
    } catch {
      return undefined;
    }
  }
  return query;
}

export function headerOf(raw: IncomingMessage, name: string): string | undefined {
  const value = raw.headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * `x-ms-meta-*` headers with their names in the case the client sent them
 * (Node lowercases `headers`; Azure keeps the case).
 */
export function metadataHeaders(raw: IncomingMessage): Record<string, string> {
  const metadata: Record<string, string> = {};
  const { rawHeaders } = raw;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    // Defined, not assigned: `metadata['__proto__'] = v` would be dropped instead of kept as the metadata name it is.
    if (name.length > 10 && name.slice(0, 10).toLowerCase() === 'x-ms-meta-') {
      Object.defineProperty(metadata, name.slice(10), { value: rawHeaders[i + 1]!, enumerable: true, writable: true, configurable: true });
    }
  }
  return metadata;
}
